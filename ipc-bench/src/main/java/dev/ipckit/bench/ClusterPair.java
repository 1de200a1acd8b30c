package dev.ipckit.bench;

import dev.ipckit.cluster.Cluster;
import dev.ipckit.cluster.ClusterQueue;
import dev.ipckit.process.Task;
import dev.ipckit.shm.SharedLong;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Two Hazelcast members on loopback for the cluster benchmarks: one in the JMH JVM, one in a child
 * JVM that echoes every element of the cluster queue {@code ping} onto {@code pong} until it gets
 * {@link #STOP}. Started once per trial; the child's start-up is not measured.
 */
final class ClusterPair
{
    /** The element that stops the child's echo loop. */
    static final int STOP = -1;

    /** Hazelcast logs each connection at INFO (held: JUL keeps loggers weakly). */
    private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");

    final Cluster member;
    final InetSocketAddress[] addresses;
    final String name;
    final byte[] key;
    final ClusterQueue<Integer> ping;
    final ClusterQueue<Integer> pong;
    private final Children child;

    ClusterPair()
    {
        HAZELCAST_LOG.setLevel(Level.WARNING);
        name = "bench-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        key = new byte[16];
        new SecureRandom().nextBytes(key);
        final int here = freePort();
        final int there = freePort();
        addresses = new InetSocketAddress[] {
            new InetSocketAddress("127.0.0.1", here), new InetSocketAddress("127.0.0.1", there) };
        member = builder(name, key, here, addresses[1]).start();
        try
        {
            final String clusterName = name;
            final byte[] clusterKey = key;
            final InetSocketAddress seed = addresses[0];
            child = Children.start("cluster-echo", 1, ready -> echo(clusterName, clusterKey, there, seed, ready));
        }
        catch (final RuntimeException ex)
        {
            member.close();
            throw ex;
        }
        ping = member.queue("ping");
        pong = member.queue("pong");
    }

    void stop() throws InterruptedException
    {
        try
        {
            ping.put(STOP);
            child.stop();
        }
        finally
        {
            member.close();
        }
    }

    static Cluster.Builder builder(final String name, final byte[] key, final int port, final InetSocketAddress seed)
    {
        return Cluster.builder().name(name).authKey(key).port(port).members(seed)
            .property("hazelcast.wait.seconds.before.join", "1")
            .property("hazelcast.max.wait.seconds.before.join", "2");
    }

    /** The child's task: a member that echoes pings until {@link #STOP}; static, so it captures only its arguments. */
    static Task echo(final String name, final byte[] key, final int port, final InetSocketAddress seed,
        final SharedLong ready)
    {
        return () ->
        {
            HAZELCAST_LOG.setLevel(Level.WARNING);
            try (ready; Cluster member = builder(name, key, port, seed).start())
            {
                final ClusterQueue<Integer> in = member.queue("ping");
                final ClusterQueue<Integer> out = member.queue("pong");
                ready.incrementAndGet();
                Integer item;
                while (STOP != (item = in.get()))
                {
                    out.put(item);
                }
            }
        };
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
