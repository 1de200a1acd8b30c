package dev.ipckit.manager;

import java.time.Duration;
import java.util.Date;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * The server sides of {@link ManagedSemaphore}, {@link ManagedEvent}, {@link ManagedCondition} and
 * {@link ManagedBarrier}, on the JDK's own primitives.
 * <p>
 * <b>Note:</b> all are thread-safe; their waits are interruptible.
 */
final class SyncObjects
{
    private SyncObjects()
    {
    }

    static final class SemaphoreObject implements ManagedSemaphore
    {
        private final Semaphore semaphore;

        SemaphoreObject(final int permits)
        {
            if (permits < 0)
            {
                throw new IllegalArgumentException("permits must not be negative, permits=" + permits);
            }
            semaphore = new Semaphore(permits);
        }

        @Override
        public void acquire() throws InterruptedException
        {
            semaphore.acquire();
        }

        @Override
        public boolean tryAcquire()
        {
            return semaphore.tryAcquire();
        }

        @Override
        public boolean tryAcquire(final Duration timeout) throws InterruptedException
        {
            return semaphore.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }

        @Override
        public void release()
        {
            semaphore.release();
        }

        @Override
        public int availablePermits()
        {
            return semaphore.availablePermits();
        }

        @Override
        public String toString()
        {
            return "ManagedSemaphore{permits=" + semaphore.availablePermits() + '}';
        }
    }

    static final class EventObject implements ManagedEvent
    {
        private boolean flag;

        @Override
        public synchronized void set()
        {
            flag = true;
            notifyAll();
        }

        @Override
        public synchronized void clear()
        {
            flag = false;
        }

        @Override
        public synchronized boolean isSet()
        {
            return flag;
        }

        @Override
        public synchronized void await() throws InterruptedException
        {
            while (!flag)
            {
                wait();
            }
        }

        @Override
        public synchronized boolean await(final Duration timeout) throws InterruptedException
        {
            final long deadline = System.nanoTime() + timeout.toNanos();
            long left;
            while (!flag && (left = deadline - System.nanoTime()) > 0)
            {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return flag;
        }

        @Override
        public synchronized String toString()
        {
            return "ManagedEvent{" + (flag ? "set" : "clear") + '}';
        }
    }

    static final class ConditionObject implements ManagedCondition
    {
        private final LockObject lock;
        private final Condition condition;

        ConditionObject(final LockObject lock)
        {
            this.lock = lock;
            this.condition = lock.newCondition();
        }

        @Override
        public void await() throws InterruptedException
        {
            condition.await();
        }

        @Override
        public void awaitUninterruptibly()
        {
            condition.awaitUninterruptibly();
        }

        @Override
        public long awaitNanos(final long nanosTimeout) throws InterruptedException
        {
            return condition.awaitNanos(nanosTimeout);
        }

        @Override
        public boolean await(final long time, final TimeUnit unit) throws InterruptedException
        {
            return condition.await(time, unit);
        }

        @Override
        public boolean await(final Duration timeout) throws InterruptedException
        {
            return condition.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }

        @Override
        public boolean awaitUntil(final Date deadline) throws InterruptedException
        {
            return condition.awaitUntil(deadline);
        }

        @Override
        public void signal()
        {
            condition.signal();
        }

        @Override
        public void signalAll()
        {
            condition.signalAll();
        }

        @Override
        public Lock getLock()
        {
            return lock;
        }

        @Override
        public String toString()
        {
            return "ManagedCondition{" + lock + '}';
        }
    }

    static final class BarrierObject implements ManagedBarrier
    {
        private final CyclicBarrier barrier;
        private volatile boolean aborted;

        BarrierObject(final int parties)
        {
            if (parties < 1)
            {
                throw new IllegalArgumentException("parties must be at least 1, parties=" + parties);
            }
            barrier = new CyclicBarrier(parties);
        }

        @Override
        public int await() throws InterruptedException, BrokenBarrierException
        {
            checkNotAborted();
            return barrier.getParties() - 1 - barrier.await();
        }

        @Override
        public int await(final Duration timeout) throws InterruptedException, BrokenBarrierException, TimeoutException
        {
            checkNotAborted();
            return barrier.getParties() - 1 - barrier.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }

        @Override
        public void abort()
        {
            aborted = true;
            barrier.reset();
        }

        @Override
        public void reset()
        {
            aborted = false;
            barrier.reset();
        }

        @Override
        public boolean isBroken()
        {
            return aborted || barrier.isBroken();
        }

        @Override
        public int parties()
        {
            return barrier.getParties();
        }

        @Override
        public int waiting()
        {
            return barrier.getNumberWaiting();
        }

        @Override
        public String toString()
        {
            return "ManagedBarrier{parties=" + parties() + ", waiting=" + waiting() + (isBroken() ? ", broken" : "") + '}';
        }

        private void checkNotAborted() throws BrokenBarrierException
        {
            if (aborted)
            {
                throw new BrokenBarrierException();
            }
        }
    }
}
