package dev.ipckit.bench;

import dev.ipckit.pipe.Connection;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.Task;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Starts and stops the child JVM at the far end of a benchmark's pipe. The child is a daemon, so
 * it cannot outlive a JMH fork that dies; it says it is ready with one short message once it has
 * attached its end, so that its start-up is not measured.
 */
final class Peer
{
    static final byte[] READY = { 'R' };
    static final byte[] ACK = { 'A' };
    private static final long READY_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final Duration POLL_SLICE = Duration.ofMillis(100);

    private final String name;
    private final Connection local;
    private final IpcProcess child;

    private Peer(final String name, final Connection local, final IpcProcess child)
    {
        this.name = name;
        this.local = local;
        this.child = child;
    }

    /**
     * Starts {@code task} in a child JVM and waits for its {@link #READY} on {@code local}.
     *
     * @param name  the child's name, for {@code ps} and error messages.
     * @param local this JVM's end of the pipe whose other end {@code task} captured.
     * @param task  the child's work: it sends {@link #READY}, then serves until end of stream.
     * @return the running peer.
     * @throws IOException           if the pipe fails.
     * @throws IllegalStateException if the child exits or does not get ready in time.
     */
    static Peer start(final String name, final Connection local, final Task task) throws IOException
    {
        final IpcProcess child = IpcProcess.builder().name(name).daemon(true).target(task).start();
        final long deadline = System.nanoTime() + READY_TIMEOUT_NANOS;
        try
        {
            while (!local.poll(POLL_SLICE))
            {
                if (!child.isAlive() || System.nanoTime() - deadline > 0)
                {
                    throw new IllegalStateException(name + " did not get ready: " + child);
                }
            }
            final byte[] ready = local.recvBytes();
            if (ready.length != READY.length || ready[0] != READY[0])
            {
                throw new IllegalStateException(name + " sent " + ready.length + " bytes instead of READY");
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            local.close();
            child.kill();
            throw ex;
        }
        return new Peer(name, local, child);
    }

    /**
     * @return this JVM's end of the pipe.
     */
    Connection connection()
    {
        return local;
    }

    /**
     * Closes this JVM's end, so that the child sees end of stream and returns, then waits for it;
     * kills it if it does not exit in time.
     *
     * @throws InterruptedException  if interrupted while waiting.
     * @throws IllegalStateException if the child had to be killed or exited with a non-zero code.
     */
    void stop() throws InterruptedException
    {
        local.close();
        Children.awaitExit(name, child, " of end of stream");
    }
}
