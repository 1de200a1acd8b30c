package dev.ipckit.sync;

import dev.ipckit.internal.Handle;
import dev.ipckit.internal.SharedRegion;
import dev.ipckit.internal.Waiter;

import java.io.ObjectStreamException;
import java.io.Serializable;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;

/**
 * What {@link IpcLock} and {@link IpcRLock} share: a {@link Lock} on a {@link RobustMutex} in a
 * shared region, passed to other processes as a handle (region and offset).
 */
abstract class MutexLock implements Lock, AutoCloseable, Serializable
{
    private static final long serialVersionUID = 1L;

    final transient SharedRegion region;
    final transient int offset;
    final transient RobustMutex mutex;
    private final transient boolean ownsRegion;
    private final transient boolean reentrant;
    private final transient AtomicBoolean closed = new AtomicBoolean();

    MutexLock(final SharedRegion region, final int offset, final boolean ownsRegion, final boolean reentrant,
        final String name)
    {
        this.region = region;
        this.offset = offset;
        this.ownsRegion = ownsRegion;
        this.reentrant = reentrant;
        this.mutex = new RobustMutex(region.payload(), offset, LockWaiters.of(region, offset),
            region.kind() + '@' + region.id() + ':' + offset, reentrant, name + " " + region.kind() + '@' + region.id() + (0 == offset ? "" : ":" + offset));
    }

    /**
     * Acquires the lock, waiting as long as it takes; not interruptible (an interrupt is kept).
     */
    @Override
    public void lock()
    {
        checkOpen();
        try
        {
            mutex.acquire(Waiter.FOREVER, false);
        }
        catch (final InterruptedException impossible)
        {
            throw new IllegalStateException(impossible);
        }
    }

    /**
     * Acquires the lock unless the thread is interrupted first.
     *
     * @throws InterruptedException if interrupted while waiting.
     */
    @Override
    public void lockInterruptibly() throws InterruptedException
    {
        checkOpen();
        mutex.acquire(Waiter.FOREVER, true);
    }

    /**
     * @return whether the lock was free and is now held by this thread; never waits.
     */
    @Override
    public boolean tryLock()
    {
        checkOpen();
        return mutex.tryAcquire();
    }

    /**
     * @param time how long to wait.
     * @param unit its unit.
     * @return whether the lock was acquired in time.
     * @throws InterruptedException if interrupted while waiting.
     */
    @Override
    public boolean tryLock(final long time, final TimeUnit unit) throws InterruptedException
    {
        checkOpen();
        return mutex.acquire(Math.max(0, unit.toNanos(time)), true);
    }

    /**
     * @param timeout how long to wait.
     * @return whether the lock was acquired in time.
     * @throws InterruptedException if interrupted while waiting.
     */
    public boolean tryLock(final Duration timeout) throws InterruptedException
    {
        checkOpen();
        return mutex.acquire(Waiter.nanos(timeout), true);
    }

    /**
     * Releases the lock.
     *
     * @throws IllegalMonitorStateException if the current thread does not hold it.
     */
    @Override
    public void unlock()
    {
        checkOpen();
        mutex.release();
    }

    /**
     * @return a new condition bound to this lock, shared with other processes like the lock.
     */
    @Override
    public IpcCondition newCondition()
    {
        checkOpen();
        return IpcCondition.create(this);
    }

    /**
     * @return true while the current thread holds the lock and got it from a process that died
     * holding it: what that process protected may be half-updated.
     */
    public boolean acquiredFromDeadOwner()
    {
        return mutex.acquiredFromDeadOwner();
    }

    /**
     * @return whether the current thread holds the lock.
     */
    public boolean isHeldByCurrentThread()
    {
        return mutex.isHeldByCurrentThread();
    }

    /**
     * @return whether any thread of any process holds the lock (a snapshot).
     */
    public boolean isLocked()
    {
        return mutex.isLocked();
    }

    /**
     * Detaches this handle from the lock's shared memory; idempotent. Other processes' handles
     * are unaffected.
     */
    @Override
    public void close()
    {
        if (closed.compareAndSet(false, true) && ownsRegion)
        {
            region.close();
        }
    }

    void checkOpen()
    {
        if (closed.get())
        {
            throw new IllegalStateException("closed: " + mutex.description());
        }
    }

    @Override
    public String toString()
    {
        final long owner = mutex.ownerPid();
        return mutex.description() + (0 == owner ? " (free)" : " (held by pid=" + owner + ")");
    }

    /**
     * @return the handle that crosses a process boundary.
     * @throws ObjectStreamException never.
     */
    protected final Object writeReplace() throws ObjectStreamException
    {
        return Handle.of(reentrant ? SyncKind.RLOCK : SyncKind.LOCK, region.kind(), region.id(), offset, null);
    }
}
