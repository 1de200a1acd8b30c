package dev.ipckit.sync;

import dev.ipckit.internal.CloseOnce;
import dev.ipckit.internal.Handle;
import dev.ipckit.internal.SharedRegion;
import dev.ipckit.internal.Waiter;
import org.agrona.concurrent.AtomicBuffer;

import java.io.ObjectStreamException;
import java.io.Serializable;
import java.time.Duration;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;

/**
 * A condition variable shared by processes: Python's {@code multiprocessing.Condition}, as a
 * {@link Condition} bound to an {@link IpcLock} or {@link IpcRLock}.
 * <pre>{@code
 * IpcCondition ready = IpcCondition.create();       // with an IpcRLock of its own
 * ready.getLock().lock();
 * try { while (!done.get()) ready.await(); } finally { ready.getLock().unlock(); }
 * }</pre>
 * Its state is one 64-bit word: the number of waiters and the number of wake-up permits. A waiter
 * registers, releases the lock (however many times it holds it), waits until it can take a
 * permit, then acquires the lock again; {@link #signal()} adds a permit if there are more waiters
 * than permits, {@link #signalAll()} makes as many permits as waiters. A waiter that times out
 * withdraws, and takes back a permit that no waiter is left for, so no signal outlives its
 * waiters. As the {@link Condition} contract allows, a wake-up may be spurious (a waiter that
 * arrives after a signal may take its permit): wait in a loop that checks the state.
 * <p>
 * <b>Note:</b> thread-safe; await and signal need the lock held by the current thread
 * ({@link IllegalMonitorStateException} otherwise). A waiter killed while waiting stays counted,
 * so a later {@link #signalAll()} can leave a spare permit: one spurious wake-up.
 */
public final class IpcCondition implements Condition, AutoCloseable, Serializable
{
    private static final long serialVersionUID = 1L;
    static final String KIND = SyncDescriptor.CONDITION_KIND;
    private static final int STATE_OFFSET = 0;
    private static final long WAITER = 1L << 32;

    private final transient SharedRegion region;
    private final transient AtomicBuffer state;
    private final transient MutexLock lock;
    private final transient boolean ownsLock;
    private final transient CloseOnce closed = new CloseOnce();
    private final transient Waiter waiter = Waiter.create(() -> "interrupted while waiting on " + this);
    private final transient Waiter.Condition permitTaken = this::takePermit;

    IpcCondition(final SharedRegion region, final MutexLock lock, final boolean ownsLock)
    {
        this.region = region;
        this.state = region.payload();
        this.lock = lock;
        this.ownsLock = ownsLock;
    }

    /**
     * @return a condition with a new {@link IpcRLock} of its own, as CPython's {@code Condition()}.
     */
    public static IpcCondition create()
    {
        return new IpcCondition(SharedRegion.create(KIND, Long.BYTES), IpcRLock.create(), true);
    }

    /**
     * @param lock an {@link IpcLock} or {@link IpcRLock}.
     * @return a condition bound to that lock (also {@code lock.newCondition()}).
     */
    public static IpcCondition create(final java.util.concurrent.locks.Lock lock)
    {
        if (!(lock instanceof MutexLock))
        {
            throw new IllegalArgumentException("an IpcCondition needs an IpcLock or IpcRLock, lock=" + lock);
        }
        return new IpcCondition(SharedRegion.create(KIND, Long.BYTES), (MutexLock)lock, false);
    }

    /**
     * @return the lock this condition is bound to.
     */
    public java.util.concurrent.locks.Lock getLock()
    {
        return lock;
    }

    /** {@inheritDoc} */
    @Override
    public void await() throws InterruptedException
    {
        awaitNanos(Waiter.FOREVER, true);
    }

    /** {@inheritDoc} */
    @Override
    public void awaitUninterruptibly()
    {
        try
        {
            awaitNanos(Waiter.FOREVER, false);
        }
        catch (final InterruptedException impossible)
        {
            throw new IllegalStateException(impossible);
        }
    }

    /** {@inheritDoc} */
    @Override
    public long awaitNanos(final long nanosTimeout) throws InterruptedException
    {
        final long start = System.nanoTime();
        awaitNanos(Math.max(0, nanosTimeout), true);
        return nanosTimeout - (System.nanoTime() - start);
    }

    /** {@inheritDoc} */
    @Override
    public boolean await(final long time, final TimeUnit unit) throws InterruptedException
    {
        return awaitNanos(Math.max(0, unit.toNanos(time)), true);
    }

    /**
     * @param timeout how long to wait.
     * @return false if the time ran out before a signal.
     * @throws InterruptedException if interrupted while waiting; the lock is held again.
     */
    public boolean await(final Duration timeout) throws InterruptedException
    {
        return awaitNanos(Waiter.nanos(timeout), true);
    }

    /** {@inheritDoc} */
    @Override
    public boolean awaitUntil(final Date deadline) throws InterruptedException
    {
        return awaitNanos(TimeUnit.MILLISECONDS.toNanos(Math.max(0, deadline.getTime() - System.currentTimeMillis())),
            true);
    }

    /**
     * Wakes one waiter, if there is one without a permit. The current thread must hold the lock.
     */
    @Override
    public void signal()
    {
        checkUsable();
        while (true)
        {
            final long s = state.getLongVolatile(STATE_OFFSET);
            if (permits(s) >= waiters(s) || state.compareAndSetLong(STATE_OFFSET, s, s + 1))
            {
                return;
            }
        }
    }

    /**
     * Wakes every waiter. The current thread must hold the lock.
     */
    @Override
    public void signalAll()
    {
        checkUsable();
        while (true)
        {
            final long s = state.getLongVolatile(STATE_OFFSET);
            if (state.compareAndSetLong(STATE_OFFSET, s, (s & ~0xFFFF_FFFFL) | waiters(s)))
            {
                return;
            }
        }
    }

    /**
     * Detaches this handle; idempotent. A lock made by {@link #create()} is closed with it.
     */
    @Override
    public void close()
    {
        closed.close(() ->
        {
            region.close();
            if (ownsLock)
            {
                lock.close();
            }
        });
    }

    @Override
    public String toString()
    {
        final long s = state.getLongVolatile(STATE_OFFSET);
        return "IpcCondition{" + region.kind() + '@' + region.id() + ", waiters=" + waiters(s) + ", permits=" +
            permits(s) + ", lock=" + lock + '}';
    }

    private boolean awaitNanos(final long timeoutNanos, final boolean interruptible) throws InterruptedException
    {
        checkUsable();
        if (interruptible && Thread.interrupted())
        {
            throw new InterruptedException("interrupted before waiting on " + this);
        }
        state.getAndAddLong(STATE_OFFSET, WAITER);
        final int holds = lock.mutex.releaseFully();
        try
        {
            final boolean signalled = interruptible ?
                waiter.await(timeoutNanos, permitTaken) : waiter.awaitUninterruptibly(timeoutNanos, permitTaken);
            if (!signalled)
            {
                withdraw();
            }
            return signalled;
        }
        catch (final InterruptedException ex)
        {
            withdraw();
            throw ex;
        }
        finally
        {
            lock.mutex.reacquire(holds);
        }
    }

    /** @return whether a permit was taken, which also unregisters the waiter. */
    private boolean takePermit()
    {
        while (true)
        {
            final long s = state.getLongVolatile(STATE_OFFSET);
            if (0 == permits(s))
            {
                return false;
            }
            if (state.compareAndSetLong(STATE_OFFSET, s, s - WAITER - 1))
            {
                return true;
            }
        }
    }

    /** A waiter that gives up leaves, with any permit that no remaining waiter can use. */
    private void withdraw()
    {
        while (true)
        {
            final long s = state.getLongVolatile(STATE_OFFSET);
            final long waiters = Math.max(0, waiters(s) - 1);
            final long permits = Math.min(permits(s), waiters);
            if (state.compareAndSetLong(STATE_OFFSET, s, waiters << 32 | permits))
            {
                return;
            }
        }
    }

    private void checkUsable()
    {
        closed.checkOpen(this);
        lock.checkOpen();
        lock.mutex.checkHeld();
    }

    private static long waiters(final long s)
    {
        return s >>> 32;
    }

    private static long permits(final long s)
    {
        return s & 0xFFFF_FFFFL;
    }

    /**
     * @return the handle that crosses a process boundary.
     * @throws ObjectStreamException never.
     */
    private Object writeReplace() throws ObjectStreamException
    {
        return Handle.of(SyncKind.CONDITION, region.kind(), region.id(), ownsLock ? 1 : 0, lock);
    }
}
