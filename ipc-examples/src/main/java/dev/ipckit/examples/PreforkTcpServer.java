package dev.ipckit.examples;

import dev.ipckit.process.IpcProcess;
import dev.ipckit.queue.IpcQueue;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The tutorial's TCP server and its client on {@code 127.0.0.1:8989}, with a process where the
 * original has a thread per client: a prefork server. Three worker processes each open their own
 * listening socket on the same port with {@code SO_REUSEPORT}; the kernel hands each incoming
 * connection to one of them, and that worker serves the whole conversation in its own process,
 * then accepts the next (a worker serves one client at a time; two clients the kernel gives the
 * same worker are served one after the other). The server sends {@code hello} and prints what
 * comes back; the client prints what it receives and answers {@code bye}.
 * <p>
 * The demo starts its own three clients, each a process that talks for three rounds (the originals
 * loop for ever), and stops the workers once the clients are done. Prints
 * {@code server: 3 worker processes accepting on 127.0.0.1:<port>, pids [<pid>, <pid>, <pid>]},
 * then, in an order that varies, nine lines {@code [client-<n>] hello} and nine lines
 * {@code [<worker pid>] bye}. The port is the first argument if given; else 8989, or a free port if
 * 8989 is taken.
 */
public final class PreforkTcpServer
{
    private static final String HOST = "127.0.0.1";
    private static final int DEFAULT_PORT = 8989;
    private static final int WORKERS = 3;
    private static final int CLIENTS = 3;
    private static final int ROUNDS = 3;
    private static final Duration START_PATIENCE = Duration.ofSeconds(30);

    private PreforkTcpServer()
    {
    }

    /**
     * @param args the port to serve on; none for 8989, or a free port if it is taken.
     * @throws Exception if the workers cannot listen in time, or a wait is interrupted.
     */
    public static void main(final String[] args) throws Exception
    {
        final int port = args.length > 0 ? Integer.parseInt(args[0]) : freePort();
        try (IpcQueue<Long> listening = IpcQueue.create())
        {
            final List<IpcProcess> workers = new ArrayList<>();
            for (int i = 1; i <= WORKERS; i++)
            {
                workers.add(IpcProcess.builder().name("server-" + i).daemon(true)
                    .target(() -> serve(port, listening)).start());
            }
            final List<Long> pids = new ArrayList<>();
            for (int i = 0; i < WORKERS; i++)
            {
                pids.add(listening.get(START_PATIENCE));
            }
            System.out.println("server: " + WORKERS + " worker processes accepting on " + HOST + ":" + port +
                ", pids " + pids);

            final List<IpcProcess> clients = new ArrayList<>();
            for (int n = 1; n <= CLIENTS; n++)
            {
                clients.add(IpcProcess.builder().name("client-" + n).target(() -> client(port)).start());
            }
            for (final IpcProcess client : clients)
            {
                client.join();
            }
            for (final IpcProcess worker : workers)
            {
                worker.terminate();
                worker.join();
            }
        }
    }

    /**
     * A worker: listens on the shared port, tells the parent, then serves one client after another.
     */
    private static void serve(final int port, final IpcQueue<Long> listening) throws IOException, InterruptedException
    {
        try (ServerSocketChannel sk = ServerSocketChannel.open())
        {
            sk.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            sk.bind(new InetSocketAddress(HOST, port));
            listening.put(ProcessHandle.current().pid());
            while (true)
            {
                try (SocketChannel conn = sk.accept())
                {
                    communicate(conn);
                }
            }
        }
    }

    private static void communicate(final SocketChannel conn) throws IOException
    {
        final String me = "[" + ProcessHandle.current().pid() + "] ";
        while (true)
        {
            conn.write(bytes("hello"));
            final String received = recv(conn);
            if (null == received)
            {
                return;
            }
            System.out.println(me + received);
        }
    }

    private static void client(final int port) throws IOException
    {
        final String me = "[" + IpcProcess.currentName() + "] ";
        try (SocketChannel sk = SocketChannel.open(new InetSocketAddress(HOST, port)))
        {
            for (int round = 0; round < ROUNDS; round++)
            {
                System.out.println(me + recv(sk));
                sk.write(bytes("bye"));
            }
            // done talking: the server's next hello is read and dropped, then its close
            sk.shutdownOutput();
            while (null != recv(sk))
            {
                continue;
            }
        }
    }

    /**
     * @return up to 1024 bytes as text, or {@code null} once the peer has closed.
     */
    private static String recv(final SocketChannel channel) throws IOException
    {
        final ByteBuffer buffer = ByteBuffer.allocate(1024);
        final int n = channel.read(buffer);
        return n < 0 ? null : new String(buffer.array(), 0, n, StandardCharsets.UTF_8);
    }

    private static ByteBuffer bytes(final String text)
    {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @return 8989 if no socket is bound to it, else a port the system reports free.
     */
    private static int freePort() throws IOException
    {
        try (ServerSocketChannel probe = ServerSocketChannel.open())
        {
            probe.bind(new InetSocketAddress(HOST, DEFAULT_PORT));
            return DEFAULT_PORT;
        }
        catch (final BindException taken)
        {
            try (ServerSocketChannel probe = ServerSocketChannel.open())
            {
                probe.bind(new InetSocketAddress(HOST, 0));
                return ((InetSocketAddress)probe.getLocalAddress()).getPort();
            }
        }
    }
}
