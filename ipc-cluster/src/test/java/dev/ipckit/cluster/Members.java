package dev.ipckit.cluster;

import dev.ipckit.process.IpcProcess;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Test clusters on loopback: a unique name and key, free ports, and Hazelcast settings that notice
 * a dead member within seconds. Members in child JVMs are {@link IpcProcess}es.
 */
final class Members implements Serializable
{
    private static final long serialVersionUID = 1L;
    /** Hazelcast logs every connection at INFO; the tests' output keeps its warnings (held: JUL keeps loggers weakly). */
    private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");

    static
    {
        HAZELCAST_LOG.setLevel(Level.WARNING);
    }

    /** Something a child member does once it has joined, before it waits to be stopped. */
    @FunctionalInterface
    interface Scenario extends Serializable
    {
        void run(Cluster member) throws Exception;
    }

    final String name;
    final byte[] key;
    private final List<Integer> ports = new ArrayList<>();

    Members(final String prefix)
    {
        this.name = prefix + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        this.key = new byte[16];
        new SecureRandom().nextBytes(key);
    }

    /** @return a member started in this JVM. */
    Cluster startHere()
    {
        final int port = freePort();
        final InetSocketAddress[] seeds = seeds();
        ports.add(port);
        return builder(port, seeds).start();
    }

    /**
     * Starts a member in a child JVM that runs {@code scenario} once joined, then waits to be killed.
     *
     * @return the child, and its member's address.
     */
    Child startChild(final Scenario scenario)
    {
        final int port = freePort();
        final InetSocketAddress[] seeds = seeds();
        ports.add(port);
        final String clusterName = name;
        final byte[] clusterKey = key;
        final IpcProcess process = IpcProcess.builder().daemon(true).jvmArgs("-Xmx256m").target(() ->
        {
            try (Cluster member = builder(clusterName, clusterKey, port, seeds).start())
            {
                scenario.run(member);
                new CountDownLatch(1).await();
            }
        }).start();
        return new Child(process, "127.0.0.1:" + port);
    }

    /** @return the addresses of the members started so far. */
    InetSocketAddress[] seeds()
    {
        return ports.stream().map(p -> new InetSocketAddress("127.0.0.1", p)).toArray(InetSocketAddress[]::new);
    }

    private Cluster.Builder builder(final int port, final InetSocketAddress[] seeds)
    {
        return builder(name, key, port, seeds);
    }

    static Cluster.Builder builder(final String name, final byte[] key, final int port, final InetSocketAddress[] seeds)
    {
        return Cluster.builder().name(name).authKey(key).port(port).members(seeds)
            .property("hazelcast.heartbeat.interval.seconds", "1")
            .property("hazelcast.max.no.heartbeat.seconds", "8")
            .property("hazelcast.wait.seconds.before.join", "1")
            .property("hazelcast.max.wait.seconds.before.join", "2")
            .property("hazelcast.partition.count", "23")
            .property("hazelcast.graceful.shutdown.max.wait", "20");
    }

    static int freePort()
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

    /** Polls {@code condition} until it holds or {@code timeout} passes. */
    static boolean await(final BooleanSupplier condition, final Duration timeout) throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** A member in a child JVM. */
    record Child(IpcProcess process, String address)
    {
        /** Stops it politely, then forcibly after a bound. */
        void stop() throws InterruptedException
        {
            if (process.isAlive())
            {
                process.terminate();
                if (!process.join(Duration.ofSeconds(15)))
                {
                    process.kill();
                    process.join(Duration.ofSeconds(10));
                }
            }
        }
    }
}
