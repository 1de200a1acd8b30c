package dev.ipckit.cluster;

import com.hazelcast.collection.IQueue;
import com.hazelcast.map.IMap;
import dev.ipckit.codec.Codec;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A cluster queue that counts unfinished tasks, with {@code JoinableQueue}'s methods: every
 * {@code put} adds a task, {@link #taskDone()} (from any member or client) marks one done, and
 * {@link #join()} waits until none is unfinished. The count lives in a map entry of the cluster
 * (changed by entry processors, backed up like the elements), not in Hazelcast's CP subsystem.
 * <p>
 * Unlike ipckit's one-machine {@code JoinableQueue}, the cluster does not know which consumer got
 * an element: a consumer that dies before its {@code taskDone()} leaves that task unfinished, so
 * {@code join(Duration)} is the safe form when consumers may die.
 * <p>
 * <b>Note:</b> thread-safe, as {@link ClusterQueue}.
 *
 * @param <E> the element type.
 */
public final class ClusterJoinableQueue<E> extends ClusterQueue<E>
{
    private static final long MAX_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final IMap<String, Long> unfinished;

    ClusterJoinableQueue(final String name, final IQueue<byte[]> queue, final Codec codec,
        final IMap<String, Long> unfinished)
    {
        super(name, queue, codec);
        this.unfinished = unfinished;
    }

    /**
     * Marks one task done.
     *
     * @throws IllegalStateException if called more times than elements were put, or on a closed handle.
     */
    public void taskDone()
    {
        checkOpen();
        if (unfinished.executeOnKey(name, new Unfinished(-1)) < 0)
        {
            throw new IllegalStateException("taskDone() called more times than elements were put in cluster queue " +
                name);
        }
    }

    /**
     * Waits until every task put has been marked done, by any member or client.
     *
     * @throws InterruptedException  if interrupted while waiting.
     * @throws IllegalStateException if this handle is closed.
     */
    public void join() throws InterruptedException
    {
        join(Long.MAX_VALUE);
    }

    /**
     * Waits up to {@code timeout} until every task has been marked done.
     *
     * @param timeout how long to wait.
     * @return false if tasks were still unfinished when the time ran out.
     * @throws InterruptedException  if interrupted while waiting.
     * @throws IllegalStateException if this handle is closed.
     */
    public boolean join(final Duration timeout) throws InterruptedException
    {
        return join(nanos(timeout));
    }

    /**
     * @return how many tasks are unfinished now, across the cluster.
     */
    public long unfinishedTasks()
    {
        final Long count = unfinished.get(name);
        return null == count ? 0 : count;
    }

    @Override
    void added(final int delta)
    {
        unfinished.executeOnKey(name, new Unfinished(delta));
    }

    private boolean join(final long timeoutNanos) throws InterruptedException
    {
        checkOpen();
        final long start = System.nanoTime();
        long pause = TimeUnit.MICROSECONDS.toNanos(100);
        while (0 != unfinishedTasks())
        {
            final long left = timeoutNanos - (System.nanoTime() - start);
            if (left <= 0)
            {
                return false;
            }
            TimeUnit.NANOSECONDS.sleep(Math.min(pause, left));
            pause = Math.min(2 * pause, MAX_POLL_NANOS);
        }
        return true;
    }
}
