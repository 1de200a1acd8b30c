package dev.ipckit.sync;

import dev.ipckit.internal.FlightEvents;
import dev.ipckit.internal.ProcessIdentity;
import dev.ipckit.internal.Waiter;
import org.agrona.concurrent.AtomicBuffer;

import java.util.concurrent.TimeUnit;

/**
 * A mutex in one 64-bit word of shared memory: 0 when free, else the owning process's token
 * ({@link ProcessIdentity#currentLongToken()}: boot, pid namespace, pid and start time). Taken by
 * CAS from 0; released by CAS from the owner's token to 0, so an owner whose lock was taken over
 * (it was taken for dead) never frees the new owner's lock. Which thread of the owning process
 * holds it, and how many times, is kept in this JVM only ({@link Local}, shared by every handle of
 * the word in the JVM).
 * <p>
 * A caller that finds the word held by a process that has died takes it over by CAS from the dead
 * token, and the new owner is told ({@link #acquiredFromDeadOwner()}), as with a robust pthread
 * mutex's {@code EOWNERDEAD}. The owner is checked on the first failed attempt, then at most every
 * 10 ms per handle ({@code tryAcquire} included, so a polling loop takes a dead owner's lock too).
 * An owner of another pid namespace counts as alive.
 * <p>
 * Waiting spins, then yields, then parks with back-off up to 1 ms ({@link Waiter}); a waiting
 * thread is recorded in the lock's {@link LockWaiters} table while it waits, and with others
 * recorded there it parks for up to 1 ms per recorded waiter ({@link Waiter#crowdedBy}): a
 * hundred processes waiting for a lock then leave its holder the CPU, and the lock still passes on
 * within about 1 ms of its release.
 * <p>
 * <b>Note:</b> thread-safe; ordering: the CASes that acquire and release are volatile, so what the
 * previous owner wrote is visible to the next.
 */
final class RobustMutex
{
    private static final long DEAD_OWNER_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final PerJvmState<Local> LOCALS = new PerJvmState<>(Local::new);

    private final AtomicBuffer buffer;
    private final int offset;
    private final LockWaiters waiters;
    private final boolean reentrant;
    private final String description;
    private final Local local;
    private final Waiter waiter;
    private final Waiter.Condition taken = this::take;
    private long nextDeadOwnerCheck;

    /**
     * What this JVM knows of a mutex: which of its threads holds it. Plain fields: only the owning
     * thread writes them, and a thread only asks whether it is itself the owner, which it sees in
     * its own program order; the word's CAS and release store order them for the next owner.
     */
    private static final class Local
    {
        Thread owner;
        int holds;
        boolean fromDeadOwner;
    }

    /**
     * @param buffer      the shared memory.
     * @param offset      of the 8-byte-aligned word.
     * @param waiters     where a thread that waits records it.
     * @param key         names the word across this JVM (region id and offset).
     * @param reentrant   whether the owning thread may acquire again.
     * @param description for messages.
     */
    RobustMutex(
        final AtomicBuffer buffer,
        final int offset,
        final LockWaiters waiters,
        final String key,
        final boolean reentrant,
        final String description)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.waiters = waiters;
        this.reentrant = reentrant;
        this.description = description;
        this.local = LOCALS.of(key);
        this.waiter = Waiter.create(() -> "interrupted while waiting for " + description).crowdedBy(waiters::count);
        this.nextDeadOwnerCheck = System.nanoTime();
    }

    boolean tryAcquire()
    {
        if (reentrant && local.owner == Thread.currentThread())
        {
            local.holds++;
            return true;
        }
        return take();
    }

    /**
     * @param timeoutNanos  how long to wait; {@link Waiter#FOREVER} for ever.
     * @param interruptible whether an interrupt ends the wait (else it is kept).
     * @return false if the time ran out.
     * @throws InterruptedException if interrupted while waiting, when {@code interruptible}.
     */
    boolean acquire(final long timeoutNanos, final boolean interruptible) throws InterruptedException
    {
        if (interruptible && Thread.interrupted())
        {
            throw new InterruptedException("interrupted before acquiring " + description);
        }
        if (tryAcquire())
        {
            return true;
        }
        final int waiterSlot = waiters.enter();
        try
        {
            return interruptible ? waiter.await(timeoutNanos, taken) : waiter.awaitUninterruptibly(timeoutNanos, taken);
        }
        finally
        {
            waiters.leave(waiterSlot);
        }
    }

    void release()
    {
        checkHeld();
        if (reentrant && --local.holds > 0)
        {
            return;
        }
        local.holds = 0;
        local.fromDeadOwner = false;
        local.owner = null;
        if (!buffer.compareAndSetLong(offset, ProcessIdentity.currentLongToken(), 0))
        {
            throw new IllegalMonitorStateException(description + " was taken over by pid=" + ownerPid() +
                " while this thread held it (that process took this one for dead)");
        }
    }

    /**
     * Releases however many times the current thread holds the mutex (for a condition wait).
     *
     * @return the hold count, for {@link #reacquire(int)}.
     */
    int releaseFully()
    {
        checkHeld();
        final int holds = local.holds;
        local.holds = 1;
        release();
        return holds;
    }

    /**
     * Acquires again, uninterruptibly, after {@link #releaseFully()}.
     *
     * @param holds the hold count to restore.
     */
    void reacquire(final int holds)
    {
        if (!take())
        {
            waiter.awaitUninterruptibly(Waiter.FOREVER, taken);
        }
        local.holds = holds;
    }

    boolean isHeldByCurrentThread()
    {
        return local.owner == Thread.currentThread();
    }

    boolean isLocked()
    {
        return 0 != buffer.getLongVolatile(offset);
    }

    boolean acquiredFromDeadOwner()
    {
        return isHeldByCurrentThread() && local.fromDeadOwner;
    }

    /** @return the pid of the process that holds it, 0 when free. */
    long ownerPid()
    {
        return ProcessIdentity.pidOfToken(buffer.getLongVolatile(offset));
    }

    String description()
    {
        return description;
    }

    void checkHeld()
    {
        if (local.owner != Thread.currentThread())
        {
            throw new IllegalMonitorStateException("current thread does not hold " + description);
        }
    }

    /** @return whether the word was free, or its owner dead, and is now this thread's. */
    private boolean take()
    {
        final Thread me = Thread.currentThread();
        final long token = ProcessIdentity.currentLongToken();
        return tryTake(me, token) || takeFromDeadOwner(me, token);
    }

    private boolean tryTake(final Thread me, final long token)
    {
        if (buffer.compareAndSetLong(offset, 0, token))
        {
            taken(me, false);
            return true;
        }
        return false;
    }

    /**
     * Takes the mutex over if its owner died; checks at most every 10 ms per handle (a check reads
     * {@code /proc}). The check time is a plain field: a race only makes a check early or late.
     */
    private boolean takeFromDeadOwner(final Thread me, final long token)
    {
        final long now = System.nanoTime();
        if (now - nextDeadOwnerCheck < 0)
        {
            return false;
        }
        nextDeadOwnerCheck = now + DEAD_OWNER_CHECK_NANOS;
        final long owner = buffer.getLongVolatile(offset);
        if (0 != owner && owner != token && !ProcessIdentity.isAliveToken(owner) &&
            buffer.compareAndSetLong(offset, owner, token))
        {
            taken(me, true);
            FlightEvents.lockTakenOver(description, owner);
            return true;
        }
        return false;
    }

    private void taken(final Thread me, final boolean fromDeadOwner)
    {
        local.owner = me;
        local.holds = 1;
        local.fromDeadOwner = fromDeadOwner;
    }
}
