package dev.ipckit.pipe;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Accepts {@link Connection}s on a Unix domain socket at a path of the caller's choosing, or on a
 * TCP port: Python's {@code multiprocessing.connection.Listener}. With an authentication key, every
 * connection must prove it holds the same key ({@link Client#connect(Path, byte[])}), by an
 * HMAC challenge in each direction; the key itself never crosses the socket. A TCP listener always
 * has a key: a network peer must authenticate before anything it sends is decoded.
 * <pre>{@code
 * try (Listener listener = Listener.bind(Path.of("/tmp/service.sock"), secret)) {
 *     try (Connection conn = listener.accept()) {
 *         conn.send(conn.recv());
 *     }
 * }
 * }</pre>
 * <p>
 * <b>Note:</b> {@link #accept()} may be called from several threads; {@link #close()} from any
 * thread, which makes a blocked {@code accept} throw {@link AsynchronousCloseException}. The socket
 * file is created {@code rw-------} and removed by {@link #close()}.
 */
public final class Listener implements AutoCloseable
{
    private final SocketAddress address;
    private final Path path;
    private final byte[] authKey;
    private final ServerSocketChannel server;
    private final Selector selector;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ReentrantLock acceptLock = new ReentrantLock();

    private Listener(
        final SocketAddress address,
        final Path path,
        final byte[] authKey,
        final ServerSocketChannel server,
        final Selector selector)
    {
        this.address = address;
        this.path = path;
        this.authKey = authKey;
        this.server = server;
        this.selector = selector;
    }

    /**
     * Listens at {@code address} without authentication.
     *
     * @param address where the socket file is created; it must not exist.
     * @return the listener.
     * @throws BindException if something exists at {@code address}.
     * @throws IOException   if the socket cannot be created.
     */
    public static Listener bind(final Path address) throws IOException
    {
        return bind(address, null);
    }

    /**
     * Listens at {@code address}; every accepted connection must hold {@code authKey}.
     *
     * @param address where the socket file is created; it must not exist.
     * @param authKey the shared secret (copied), or {@code null} for no authentication.
     * @return the listener.
     * @throws IllegalArgumentException if {@code authKey} is empty.
     * @throws BindException            if something exists at {@code address}.
     * @throws IOException              if the socket cannot be created.
     */
    public static Listener bind(final Path address, final byte[] authKey) throws IOException
    {
        final byte[] key = Handshake.checkKey(authKey);
        final Path path = address.toAbsolutePath();
        final ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        Selector selector = null;
        try
        {
            final UnixDomainSocketAddress bound = UnixDomainSocketAddress.of(path);
            server.bind(bound);
            dev.ipckit.RuntimeDirectory.restrictToOwner(path);
            selector = listening(server);
            return new Listener(bound, path, key, server, selector);
        }
        catch (final BindException ex)
        {
            close(server, selector);
            final BindException failure = new BindException("cannot listen at " + path + ": address already in use");
            failure.initCause(ex);
            throw failure;
        }
        catch (final SocketException ex)
        {
            close(server, selector);
            throw Rendezvous.socketFailure("bind", path, ex);
        }
        catch (final IOException | RuntimeException ex)
        {
            close(server, selector);
            throw ex;
        }
    }

    /**
     * Listens on a TCP address; every accepted connection must hold {@code authKey}. Bind to
     * {@code 127.0.0.1} (or another loopback address) unless other machines are meant to connect.
     *
     * @param address the host and port to bind; port 0 picks a free port ({@link #address()} tells which).
     * @param authKey the shared secret (copied); required.
     * @return the listener.
     * @throws IllegalArgumentException if {@code authKey} is null or empty.
     * @throws BindException            if the address is in use or not local.
     * @throws IOException              if the socket cannot be created.
     */
    public static Listener bind(final InetSocketAddress address, final byte[] authKey) throws IOException
    {
        final byte[] key = Handshake.checkNetworkKey(authKey);
        final ServerSocketChannel server = ServerSocketChannel.open();
        Selector selector = null;
        try
        {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(address);
            selector = listening(server);
            return new Listener(server.getLocalAddress(), null, key, server, selector);
        }
        catch (final IOException | RuntimeException ex)
        {
            close(server, selector);
            throw ex;
        }
    }

    private static Selector listening(final ServerSocketChannel server) throws IOException
    {
        server.configureBlocking(false);
        final Selector selector = Selector.open();
        try
        {
            server.register(selector, SelectionKey.OP_ACCEPT);
        }
        catch (final IOException | RuntimeException ex)
        {
            selector.close();
            throw ex;
        }
        return selector;
    }

    /**
     * Waits for the next client and authenticates it.
     *
     * @return a duplex connection to the client.
     * @throws AuthenticationException    if the client does not hold the key (the connection is
     *                                    closed; the listener stays usable).
     * @throws InterruptedIOException     if the thread is interrupted while waiting.
     * @throws AsynchronousCloseException if the listener is closed while waiting.
     * @throws IllegalStateException      if the listener is closed.
     * @throws IOException                on another I/O failure.
     */
    public Connection accept() throws IOException
    {
        if (closed.get())
        {
            throw new IllegalStateException("listener is closed: " + address);
        }
        final SocketChannel accepted;
        try
        {
            acceptLock.lockInterruptibly();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while accepting at " + address);
        }
        try
        {
            accepted = awaitClient();
        }
        finally
        {
            acceptLock.unlock();
        }
        if (null == path)
        {
            try
            {
                Client.noDelay(accepted);
            }
            catch (final IOException ex)
            {
                accepted.close();
                throw ex;
            }
        }

        final FrameChannel channel = FrameChannel.wrap(
            "listener=" + address, accepted, Handshake.flags(authKey), FrameChannel.Options.fromConfiguration());
        return Handshake.connection(channel, authKey, true, "listener=" + address);
    }

    private SocketChannel awaitClient() throws IOException
    {
        SocketChannel accepted;
        while (null == (accepted = acceptNow()))
        {
            if (Thread.currentThread().isInterrupted())
            {
                throw new InterruptedIOException("interrupted while accepting at " + address);
            }
            try
            {
                selector.select();
                selector.selectedKeys().clear();
            }
            catch (final java.nio.channels.ClosedSelectorException ex)
            {
                throw new AsynchronousCloseException();
            }
        }
        return accepted;
    }

    private SocketChannel acceptNow() throws IOException
    {
        if (closed.get())
        {
            throw new AsynchronousCloseException();
        }
        try
        {
            return server.accept();
        }
        catch (final java.nio.channels.ClosedChannelException ex)
        {
            throw new AsynchronousCloseException();
        }
    }

    /**
     * @return the bound address: a {@link UnixDomainSocketAddress} naming the socket file, or the
     * {@link InetSocketAddress} with the port actually bound.
     */
    public SocketAddress address()
    {
        return address;
    }

    /**
     * @return whether {@link #close()} was called.
     */
    public boolean isClosed()
    {
        return closed.get();
    }

    /**
     * Stops listening and removes the socket file. Idempotent. Connections already accepted stay open.
     */
    @Override
    public void close()
    {
        if (closed.compareAndSet(false, true))
        {
            selector.wakeup();
            close(server, selector);
            try
            {
                if (null != path)
                {
                    Files.deleteIfExists(path);
                }
            }
            catch (final IOException ignore)
            {
                // nothing more to do
            }
        }
    }

    private static void close(final ServerSocketChannel server, final Selector selector)
    {
        try
        {
            server.close();
        }
        catch (final IOException ignore)
        {
            // closing anyway
        }
        if (null != selector)
        {
            try
            {
                selector.close();
            }
            catch (final IOException ignore)
            {
                // closing anyway
            }
        }
    }

    @Override
    public String toString()
    {
        return "Listener{address=" + address + (null == authKey ? "" : ", authenticated") +
            (closed.get() ? ", closed" : "") + '}';
    }
}
