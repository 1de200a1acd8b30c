package dev.ipckit.process;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The children this JVM launched that have not yet taken their task: JVMs still booting. A start
 * waits while there are {@link ProcessConfiguration#maxStartingChildren()} of them, so a program
 * that starts a hundred children boots them a few at a time: a JVM's boot is CPU-bound, and a
 * hundred booting at once on a few cores each live, and keep their compiler and periodic threads
 * busy, a hundred times longer (about three times the CPU per child). A child counts until it has
 * marked its exit record started, has exited, or has been booting for 30 s (a JVM held before its
 * {@code main}, such as one waiting for a debugger, delays starts by that much; set
 * {@link ProcessConfiguration#MAX_STARTING_PROP_NAME} to 0 then).
 * <p>
 * <b>Note:</b> thread-safe.
 */
final class StartingChildren
{
    private static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final List<Starting> STARTING = new ArrayList<>();

    private StartingChildren()
    {
    }

    /** A launched child and when it was launched. */
    private static final class Starting
    {
        final Process process;
        final ExitRecord record;
        final long launchedNanos;

        Starting(final Process process, final ExitRecord record, final long launchedNanos)
        {
            this.process = process;
            this.record = record;
            this.launchedNanos = launchedNanos;
        }

        boolean booted(final long nowNanos)
        {
            return !process.isAlive() || nowNanos - launchedNanos > PATIENCE_NANOS || record.started();
        }
    }

    /**
     * @return whether starts are limited, so children must mark their exit records started.
     */
    static boolean limited()
    {
        return ProcessConfiguration.maxStartingChildren() > 0;
    }

    /**
     * Waits until fewer children than the limit are booting. Returns at once, with the interrupt
     * status set, if the thread is interrupted.
     */
    static void awaitRoom()
    {
        final int limit = ProcessConfiguration.maxStartingChildren();
        while (limit > 0 && booting() >= limit && !Thread.currentThread().isInterrupted())
        {
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /**
     * Counts a child as booting until it has taken its task.
     *
     * @param process the launched child.
     * @param record  its exit record, which it marks started once it has taken its task; without an
     *                id the child is not counted.
     */
    static void launched(final Process process, final ExitRecord record)
    {
        if (limited() && !record.id().isEmpty())
        {
            synchronized (STARTING)
            {
                STARTING.add(new Starting(process, record, System.nanoTime()));
            }
        }
    }

    private static int booting()
    {
        final long now = System.nanoTime();
        synchronized (STARTING)
        {
            STARTING.removeIf(child -> child.booted(now));
            return STARTING.size();
        }
    }
}
