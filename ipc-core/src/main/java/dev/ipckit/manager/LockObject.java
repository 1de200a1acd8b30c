package dev.ipckit.manager;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The server side of a manager's {@code lock()} and {@code rlock()}: owned by the server thread that
 * serves the caller's connection (one per client thread), so it belongs to the client thread; a
 * connection that drops releases what its thread held. A non-reentrant lock refuses to be taken
 * twice by its owner instead of deadlocking.
 * <p>
 * <b>Note:</b> thread-safe; {@link #lock()} is interruptible here, so that a caller that went away
 * stops waiting.
 */
final class LockObject implements Lock, ServerOwned
{
    private final ReentrantLock lock = new ReentrantLock();
    private final boolean reentrant;

    LockObject(final boolean reentrant)
    {
        this.reentrant = reentrant;
    }

    @Override
    public void lock()
    {
        try
        {
            lockInterruptibly();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the lock", ex);
        }
    }

    @Override
    public void lockInterruptibly() throws InterruptedException
    {
        checkNotHeld();
        lock.lockInterruptibly();
        ServerOwned.touched(this);
    }

    @Override
    public boolean tryLock()
    {
        if (!reentrant && lock.isHeldByCurrentThread())
        {
            return false;
        }
        return touchedIf(lock.tryLock());
    }

    @Override
    public boolean tryLock(final long time, final TimeUnit unit) throws InterruptedException
    {
        if (!reentrant && lock.isHeldByCurrentThread())
        {
            return false;
        }
        return touchedIf(lock.tryLock(time, unit));
    }

    @Override
    public void unlock()
    {
        lock.unlock();
    }

    @Override
    public Condition newCondition()
    {
        return lock.newCondition();
    }

    @Override
    public void releaseHeldByCurrentThread()
    {
        while (lock.isHeldByCurrentThread())
        {
            lock.unlock();
        }
    }

    @Override
    public String toString()
    {
        return (reentrant ? "ManagedRLock{" : "ManagedLock{") + (lock.isLocked() ? "locked" : "unlocked") + '}';
    }

    private boolean touchedIf(final boolean acquired)
    {
        if (acquired)
        {
            ServerOwned.touched(this);
        }
        return acquired;
    }

    private void checkNotHeld()
    {
        if (!reentrant && lock.isHeldByCurrentThread())
        {
            throw new IllegalStateException("lock is not reentrant and already held by this thread (use rlock())");
        }
    }
}
