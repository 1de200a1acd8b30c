package dev.ipckit.process;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where the results of {@link ProcessPool#imap} and {@link ProcessPool#imapUnordered} wait for
 * their iterator: chunks are delivered by the pool's threads and taken, one result at a time, by
 * the iterator. Waiting uses a {@link ReentrantLock} and its {@link Condition}, not a monitor, so
 * that a virtual thread waiting for a result leaves its carrier thread free.
 * <p>
 * <b>Note:</b> thread-safe; the state of the subclasses is guarded by {@link #lock}.
 *
 * @param <R> the result type.
 */
abstract sealed class ImapResults<R> implements ResultIterator.Source<R>
{
    final ReentrantLock lock = new ReentrantLock();
    private final Condition delivered = lock.newCondition();

    /**
     * Keeps the results of one chunk, or its failure for each of its elements.
     */
    final void deliver(final int from, final int count, final List<?> chunk, final Throwable failure)
    {
        lock.lock();
        try
        {
            store(from, count, chunk, failure);
            delivered.signalAll();
        }
        finally
        {
            lock.unlock();
        }
    }

    @Override
    public final R await(final int index, final long timeoutNanos) throws InterruptedException, TimeoutException
    {
        lock.lockInterruptibly();
        try
        {
            long left = timeoutNanos;
            while (!isReady(index))
            {
                if (left <= 0)
                {
                    throw new TimeoutException(notReady(index));
                }
                left = Long.MAX_VALUE == left ? awaitForever() : delivered.awaitNanos(left);
            }
            return take(index);
        }
        finally
        {
            lock.unlock();
        }
    }

    private long awaitForever() throws InterruptedException
    {
        delivered.await();
        return Long.MAX_VALUE;
    }

    /** Caller holds the lock. */
    abstract void store(int from, int count, List<?> chunk, Throwable failure);

    /** Caller holds the lock. @return whether the result {@link #await} waits for is there. */
    abstract boolean isReady(int index);

    /** Caller holds the lock. @return why a wait timed out. */
    abstract String notReady(int index);

    /**
     * Caller holds the lock, and the result is ready.
     *
     * @throws TaskFailedException if its task failed.
     */
    abstract R take(int index);

    /** The results of an ordered imap, by index. */
    static final class Ordered<R> extends ImapResults<R>
    {
        /** Guarded by {@link #lock}. */
        private final Object[] values;
        /** Guarded by {@link #lock}. */
        private final Throwable[] failures;
        /** Guarded by {@link #lock}. */
        private final boolean[] ready;

        Ordered(final int size)
        {
            values = new Object[size];
            failures = new Throwable[size];
            ready = new boolean[size];
        }

        @Override
        void store(final int from, final int count, final List<?> chunk, final Throwable failure)
        {
            for (int i = 0; i < count; i++)
            {
                values[from + i] = null == failure ? chunk.get(i) : null;
                failures[from + i] = failure;
                ready[from + i] = true;
            }
        }

        @Override
        boolean isReady(final int index)
        {
            return ready[index];
        }

        @Override
        String notReady(final int index)
        {
            return "result " + index + " is not ready";
        }

        @Override
        @SuppressWarnings("unchecked")
        R take(final int index)
        {
            if (null != failures[index])
            {
                throw new TaskFailedException("the task of element " + index + " failed", failures[index]);
            }
            return (R)values[index];
        }
    }

    /** The results of an unordered imap, as they come. */
    static final class Unordered<R> extends ImapResults<R>
    {
        /** Guarded by {@link #lock}. */
        private final Deque<Object> values = new ArrayDeque<>();
        /** Guarded by {@link #lock}. */
        private final Deque<Throwable> failures = new ArrayDeque<>();

        @Override
        void store(final int from, final int count, final List<?> chunk, final Throwable failure)
        {
            if (null != failure)
            {
                for (int i = 0; i < count; i++)
                {
                    failures.add(failure);
                }
            }
            else
            {
                values.addAll(chunk);
            }
        }

        @Override
        boolean isReady(final int index)
        {
            return !values.isEmpty() || !failures.isEmpty();
        }

        @Override
        String notReady(final int index)
        {
            return "no result is ready";
        }

        @Override
        @SuppressWarnings("unchecked")
        R take(final int index)
        {
            if (!failures.isEmpty())
            {
                throw new TaskFailedException("a task failed", failures.poll());
            }
            return (R)values.poll();
        }
    }
}
