package dev.ipckit.examples;

import dev.ipckit.cluster.Cluster;
import dev.ipckit.cluster.ClusterPool;
import dev.ipckit.process.IpcProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A map across a cluster of three Hazelcast members on this machine: this JVM is one member, two
 * child JVMs are the others. {@code ClusterPool.map} squares 0 to 23 in chunks of four; each chunk
 * runs on the next member in turn and reports where it ran. Prints the members, such as
 * {@code cluster of 3 members: 127.0.0.1:40001, 127.0.0.1:40002, 127.0.0.1:40003}, one line per
 * chunk, such as {@code chunk 2: [16, 25, 36, 49] ran on 127.0.0.1:40002 (pid 4242)}, and
 * {@code sum of the squares of 0 to 23 = 4324}. Members on several machines are started the same
 * way with {@code host(...)} and each other's addresses (see the README).
 */
public final class ClusterPoolDemo
{
    private static final int CHUNK = 4;
    private static final int ELEMENTS = 24;
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Hazelcast logs each connection at INFO; the demo keeps its output to the map (held: JUL keeps loggers weakly). */
    private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");

    private ClusterPoolDemo()
    {
    }

    /**
     * @param args ignored.
     * @throws Exception if a member does not start or a chunk fails.
     */
    public static void main(final String[] args) throws Exception
    {
        HAZELCAST_LOG.setLevel(Level.SEVERE);
        final String name = "cluster-pool-demo-" + ProcessHandle.current().pid();
        final byte[] key = new byte[16];
        new SecureRandom().nextBytes(key);
        final int[] ports = { freePort(), freePort(), freePort() };
        final InetSocketAddress first = new InetSocketAddress("127.0.0.1", ports[0]);

        try (Cluster here = Cluster.builder().name(name).authKey(key).port(ports[0]).start())
        {
            final List<IpcProcess> others = new ArrayList<>();
            for (int i = 1; i < ports.length; i++)
            {
                final int port = ports[i];
                others.add(IpcProcess.builder().daemon(true).target(() -> member(name, key, port, first)).start());
            }
            for (int i = 0; i < others.size(); i++)
            {
                here.queue("joined").get(WAIT);
            }
            System.out.println("cluster of " + here.members().size() + " members: " + String.join(", ", here.members()));

            final List<Integer> numbers = IntStream.range(0, ELEMENTS).boxed().collect(Collectors.toList());
            final List<String> results;
            try (ClusterPool pool = here.pool("squares"))
            {
                results = pool.map(x -> x * x + "@" + Cluster.current().memberName() + " (pid " +
                    ProcessHandle.current().pid() + ")", numbers, CHUNK);
            }
            long sum = 0;
            for (int chunk = 0; chunk < ELEMENTS / CHUNK; chunk++)
            {
                final List<String> squares = new ArrayList<>();
                String ranOn = null;
                for (final String result : results.subList(chunk * CHUNK, (chunk + 1) * CHUNK))
                {
                    final String[] parts = result.split("@", 2);
                    squares.add(parts[0]);
                    sum += Long.parseLong(parts[0]);
                    ranOn = parts[1];
                }
                System.out.println("chunk " + chunk + ": " + squares + " ran on " + ranOn);
            }
            System.out.println("sum of the squares of 0 to " + (ELEMENTS - 1) + " = " + sum);

            for (int i = 0; i < others.size(); i++)
            {
                here.queue("stop").put("stop");
            }
            for (final IpcProcess other : others)
            {
                if (!other.join(WAIT))
                {
                    other.kill();
                }
            }
        }
    }

    /** A member in a child JVM: says it joined, then serves until it gets an element of the queue {@code stop}. */
    private static void member(final String name, final byte[] key, final int port, final InetSocketAddress first)
        throws InterruptedException
    {
        HAZELCAST_LOG.setLevel(Level.SEVERE);
        try (Cluster member = Cluster.builder().name(name).authKey(key).port(port).members(first).start())
        {
            member.queue("joined").put(member.memberName());
            member.queue("stop").get();
        }
    }

    private static int freePort()
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
