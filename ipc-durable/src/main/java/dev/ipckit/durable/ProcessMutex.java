package dev.ipckit.durable;

import dev.ipckit.internal.ProcessIdentity;
import dev.ipckit.internal.Waiter;
import org.agrona.concurrent.AtomicBuffer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A mutex between processes in one 64-bit word of a mapped file: 0 when free, else the owner's
 * {@link ProcessIdentity#currentLongToken()} (pid and start time, so a recycled pid or another pid
 * namespace's process is never taken for the owner). Taken by CAS from 0, released by a release
 * store of 0. Threads of this JVM take turns on a {@link ReentrantLock} first, so the word is only
 * ever contended between processes.
 * <p>
 * A waiter that finds the word held by a process that has died (checked at most every 10 ms while
 * waiting) takes it over by CAS from the dead token; {@link #lock} then returns {@link #FROM_DEAD}
 * and the caller repairs what the dead owner left half-done.
 * <p>
 * <b>Note:</b> thread-safe; not reentrant. The CAS that takes the word is volatile (acquire), the
 * store that frees it a release store, so what one owner wrote is visible to the next.
 */
final class ProcessMutex
{
    /** {@link #lock} result: the word was taken from a free state. */
    static final int TAKEN = 1;
    /** {@link #lock} result: the word was taken over from a process that died holding it. */
    static final int FROM_DEAD = 2;
    /** {@link #lock} result: the time ran out. */
    static final int TIMED_OUT = 0;

    private static final long DEAD_OWNER_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final AtomicBuffer buffer;
    private final int offset;
    private final ReentrantLock local = new ReentrantLock();
    private final Waiter waiter = Waiter.create(() -> "interrupted while waiting for a durable queue's lock")
        .recovering(DEAD_OWNER_CHECK_NANOS, this::takeFromDeadOwner);
    private final Waiter.Condition taken = this::taken;
    /** Whether {@link #takeFromDeadOwner()} took the word in this wait; guarded by {@link #local}. */
    private boolean takenFromDead;

    /**
     * @param buffer the mapped state.
     * @param offset of the 8-byte-aligned word.
     */
    ProcessMutex(final AtomicBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
    }

    /**
     * @param timeoutNanos how long to wait; {@link Waiter#FOREVER} for ever, 0 for one try.
     * @return {@link #TAKEN}, {@link #FROM_DEAD} or {@link #TIMED_OUT}.
     * @throws InterruptedException if interrupted while waiting.
     */
    int lock(final long timeoutNanos) throws InterruptedException
    {
        if (Waiter.FOREVER == timeoutNanos)
        {
            local.lockInterruptibly();
        }
        else if (!local.tryLock(timeoutNanos, TimeUnit.NANOSECONDS))
        {
            return TIMED_OUT;
        }
        if (buffer.compareAndSetLong(offset, 0, ProcessIdentity.currentLongToken()))
        {
            return TAKEN;
        }
        takenFromDead = false;
        try
        {
            takeFromDeadOwner();
            if (waiter.await(timeoutNanos, taken))
            {
                return takenFromDead ? FROM_DEAD : TAKEN;
            }
        }
        catch (final InterruptedException | RuntimeException ex)
        {
            local.unlock();
            throw ex;
        }
        local.unlock();
        return TIMED_OUT;
    }

    private boolean taken()
    {
        return takenFromDead || buffer.compareAndSetLong(offset, 0, ProcessIdentity.currentLongToken());
    }

    /**
     * Takes the word over from an owner that has died, or from this process's own token (no
     * other thread of it holds the word while this one holds {@link #local}).
     */
    private void takeFromDeadOwner()
    {
        final long owner = buffer.getLongVolatile(offset);
        final long token = ProcessIdentity.currentLongToken();
        if (0 != owner && (owner == token || !ProcessIdentity.isAliveToken(owner)) &&
            buffer.compareAndSetLong(offset, owner, token))
        {
            takenFromDead = true;
        }
    }

    /**
     * Takes the word only if its owner has died, for a repair that cannot wait for the next user.
     *
     * @return true if taken over (the caller repairs, then {@link #unlock()}s).
     */
    boolean lockIfOwnerDead()
    {
        final long owner = buffer.getLongVolatile(offset);
        if (0 == owner || owner == ProcessIdentity.currentLongToken() || ProcessIdentity.isAliveToken(owner) ||
            !local.tryLock())
        {
            return false;
        }
        if (buffer.compareAndSetLong(offset, owner, ProcessIdentity.currentLongToken()))
        {
            return true;
        }
        local.unlock();
        return false;
    }

    void unlock()
    {
        buffer.putLongRelease(offset, 0);
        local.unlock();
    }
}
