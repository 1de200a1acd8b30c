package dev.ipckit.manager;

import dev.ipckit.queue.QueueEmptyException;
import dev.ipckit.queue.QueueFullException;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The server side of {@link ManagedQueue} and {@link ManagedJoinableQueue}: a deque under a lock,
 * {@code null} elements included.
 * <p>
 * <b>Note:</b> thread-safe; waits are interruptible.
 */
final class QueueObject implements ManagedJoinableQueue<Object>
{
    private static final Object NULL = new Object();

    private final int maxSize;
    private final ArrayDeque<Object> items = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final Condition allDone = lock.newCondition();
    private long unfinished;

    QueueObject(final int maxSize)
    {
        if (maxSize < 0)
        {
            throw new IllegalArgumentException("maxSize must not be negative, maxSize=" + maxSize);
        }
        this.maxSize = maxSize;
    }

    @Override
    public void put(final Object element) throws InterruptedException
    {
        lock.lockInterruptibly();
        try
        {
            while (isFullLocked())
            {
                notFull.await();
            }
            add(element);
        }
        finally
        {
            lock.unlock();
        }
    }

    @Override
    public void put(final Object element, final Duration timeout) throws InterruptedException
    {
        long nanos = timeout.toNanos();
        lock.lockInterruptibly();
        try
        {
            while (isFullLocked())
            {
                if (nanos <= 0)
                {
                    throw new QueueFullException("queue full: maxSize=" + maxSize + ", timeout=" + timeout);
                }
                nanos = notFull.awaitNanos(nanos);
            }
            add(element);
        }
        finally
        {
            lock.unlock();
        }
    }

    @Override
    public void putNowait(final Object element)
    {
        lock.lock();
        try
        {
            if (isFullLocked())
            {
                throw new QueueFullException("queue full: maxSize=" + maxSize);
            }
            add(element);
        }
        finally
        {
            lock.unlock();
        }
    }

    @Override
    public Object get() throws InterruptedException
    {
        lock.lockInterruptibly();
        try
        {
            while (items.isEmpty())
            {
                notEmpty.await();
            }
            return take();
        }
        finally
        {
            lock.unlock();
        }
    }

    @Override
    public Object get(final Duration timeout) throws InterruptedException
    {
        long nanos = timeout.toNanos();
        lock.lockInterruptibly();
        try
        {
            while (items.isEmpty())
            {
                if (nanos <= 0)
                {
                    throw new QueueEmptyException("queue empty after timeout=" + timeout);
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            return take();
        }
        finally
        {
            lock.unlock();
        }
    }

    @Override
    public Object getNowait()
    {
        lock.lock();
        try
        {
            if (items.isEmpty())
            {
                throw new QueueEmptyException("queue empty");
            }
            return take();
        }
        finally
        {
            lock.unlock();
        }
    }

    @Override
    public int qsize()
    {
        lock.lock();
        try
        {
            return items.size();
        }
        finally
        {
            lock.unlock();
        }
    }

    @Override
    public boolean isEmpty()
    {
        return 0 == qsize();
    }

    @Override
    public boolean isFull()
    {
        lock.lock();
        try
        {
            return isFullLocked();
        }
        finally
        {
            lock.unlock();
        }
    }

    @Override
    public void taskDone()
    {
        lock.lock();
        try
        {
            if (0 == unfinished)
            {
                throw new IllegalStateException("taskDone() called more times than items were put");
            }
            if (0 == --unfinished)
            {
                allDone.signalAll();
            }
        }
        finally
        {
            lock.unlock();
        }
    }

    @Override
    public void join() throws InterruptedException
    {
        lock.lockInterruptibly();
        try
        {
            while (unfinished > 0)
            {
                allDone.await();
            }
        }
        finally
        {
            lock.unlock();
        }
    }

    @Override
    public boolean join(final Duration timeout) throws InterruptedException
    {
        lock.lockInterruptibly();
        try
        {
            return 0 == unfinished || allDone.await(timeout.toNanos(), TimeUnit.NANOSECONDS) && 0 == unfinished;
        }
        finally
        {
            lock.unlock();
        }
    }

    @Override
    public String toString()
    {
        return "ManagedQueue{qsize=" + qsize() + ", maxSize=" + maxSize + '}';
    }

    private boolean isFullLocked()
    {
        return maxSize > 0 && items.size() >= maxSize;
    }

    private void add(final Object element)
    {
        items.addLast(null == element ? NULL : element);
        unfinished++;
        notEmpty.signal();
    }

    private Object take()
    {
        final Object item = items.removeFirst();
        notFull.signal();
        return item == NULL ? null : item;
    }
}
