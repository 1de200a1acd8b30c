package dev.ipckit.process;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where the results of {@link ProcessPool#imap} and {@link ProcessPool#imapUnordered} wait for
 * their iterator. Waiting uses a {@link ReentrantLock} and its {@link Condition}, not a monitor,
 * so that a virtual thread waiting for a result leaves its carrier thread free.
 */
final class ImapResults
{
    private ImapResults()
    {
    }

    /** The results of an ordered imap, by index. */
    static final class Ordered<R> implements ResultIterator.Source<R>
    {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition delivered = lock.newCondition();
        private final Object[] values;
        private final Throwable[] failures;
        private final boolean[] ready;

        Ordered(final int size)
        {
            values = new Object[size];
            failures = new Throwable[size];
            ready = new boolean[size];
        }

        void deliver(final int from, final int count, final List<?> chunk, final Throwable failure)
        {
            lock.lock();
            try
            {
                for (int i = 0; i < count; i++)
                {
                    values[from + i] = null == failure ? chunk.get(i) : null;
                    failures[from + i] = failure;
                    ready[from + i] = true;
                }
                delivered.signalAll();
            }
            finally
            {
                lock.unlock();
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public R await(final int index, final long timeoutNanos) throws InterruptedException, TimeoutException
        {
            lock.lockInterruptibly();
            try
            {
                long left = timeoutNanos;
                while (!ready[index])
                {
                    if (left <= 0)
                    {
                        throw new TimeoutException("result " + index + " is not ready");
                    }
                    left = awaitNanos(delivered, left);
                }
                if (null != failures[index])
                {
                    throw new TaskFailedException("the task of element " + index + " failed", failures[index]);
                }
                return (R)values[index];
            }
            finally
            {
                lock.unlock();
            }
        }
    }

    /** The results of an unordered imap, as they come. */
    static final class Unordered<R> implements ResultIterator.Source<R>
    {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition delivered = lock.newCondition();
        private final Deque<Object> values = new ArrayDeque<>();
        private final Deque<Throwable> failures = new ArrayDeque<>();

        void deliver(final int from, final int count, final List<?> chunk, final Throwable failure)
        {
            lock.lock();
            try
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
                delivered.signalAll();
            }
            finally
            {
                lock.unlock();
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public R await(final int index, final long timeoutNanos) throws InterruptedException, TimeoutException
        {
            lock.lockInterruptibly();
            try
            {
                long left = timeoutNanos;
                while (values.isEmpty() && failures.isEmpty())
                {
                    if (left <= 0)
                    {
                        throw new TimeoutException("no result is ready");
                    }
                    left = awaitNanos(delivered, left);
                }
                if (!failures.isEmpty())
                {
                    throw new TaskFailedException("a task failed", failures.poll());
                }
                return (R)values.poll();
            }
            finally
            {
                lock.unlock();
            }
        }
    }

    /** Waits on {@code condition}; {@link Long#MAX_VALUE} is forever. @return the nanoseconds left. */
    private static long awaitNanos(final Condition condition, final long nanos) throws InterruptedException
    {
        if (Long.MAX_VALUE == nanos)
        {
            condition.await();
            return nanos;
        }
        return condition.awaitNanos(nanos);
    }
}
