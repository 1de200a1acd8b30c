package dev.ipckit.sync;

import dev.ipckit.internal.ProcessIdentity;
import dev.ipckit.internal.SharedRegion;
import org.agrona.concurrent.AtomicBuffer;

/**
 * The waiter table of a lock that has a region of its own ({@link SyncDescriptor#LOCK_WAITERS_OFFSET}):
 * a thread that finds the lock held writes its process's token into a free slot before it waits
 * and clears it when the wait ends, so that the inspector can say who waits. Only waiting pays
 * for it: a lock taken at once never touches the table. A waiter killed while waiting leaves its
 * token, which a reader sees dead and a waiter takes over when no slot is free; with every slot
 * taken by live waiters, a further waiter waits unrecorded.
 * <p>
 * <b>Note:</b> thread-safe; a slot is taken by CAS from 0 (or from a dead token) and cleared by
 * CAS from the taker's token, so no waiter clears another's.
 */
final class LockWaiters
{
    /** The table of a lock embedded in another primitive's region, which has no room for one. */
    static final LockWaiters NONE = new LockWaiters(null, -1);
    /** What {@link #enter()} returns when nothing was recorded. */
    static final int UNRECORDED = -1;

    private final AtomicBuffer buffer;
    private final int offset;

    private LockWaiters(final AtomicBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
    }

    /**
     * @param region the region the lock's word is in.
     * @param offset the word's offset in the payload.
     * @return the table of a lock at offset 0 of its own lock region made with room for one, else {@link #NONE}.
     */
    static LockWaiters of(final SharedRegion region, final int offset)
    {
        final boolean own = SyncDescriptor.LOCK_KIND.equals(region.kind()) || SyncDescriptor.RLOCK_KIND.equals(region.kind());
        return own && 0 == offset && region.payloadLength() >= SyncDescriptor.LOCK_LENGTH ?
            new LockWaiters(region.payload(), SyncDescriptor.LOCK_WAITERS_OFFSET) : NONE;
    }

    /**
     * Records that a thread of this process is about to wait.
     *
     * @return the slot's offset, for {@link #leave}, or {@link #UNRECORDED}.
     */
    int enter()
    {
        if (null == buffer)
        {
            return UNRECORDED;
        }
        final long token = ProcessIdentity.currentLongToken();
        for (int slot = 0; slot < SyncDescriptor.LOCK_WAITER_SLOTS; slot++)
        {
            final int at = offset + slot * Long.BYTES;
            if (0 == buffer.getLongVolatile(at) && buffer.compareAndSetLong(at, 0, token))
            {
                return at;
            }
        }
        for (int slot = 0; slot < SyncDescriptor.LOCK_WAITER_SLOTS; slot++)
        {
            final int at = offset + slot * Long.BYTES;
            final long waiter = buffer.getLongVolatile(at);
            if (0 != waiter && !ProcessIdentity.isAliveToken(waiter) && buffer.compareAndSetLong(at, waiter, token))
            {
                return at;
            }
        }
        return UNRECORDED;
    }

    /**
     * @return how many slots hold a token: the recorded waiters (a dead one's too, until a waiter
     * takes its slot over); 0 for {@link #NONE}.
     */
    int count()
    {
        if (null == buffer)
        {
            return 0;
        }
        int waiting = 0;
        for (int slot = 0; slot < SyncDescriptor.LOCK_WAITER_SLOTS; slot++)
        {
            if (0 != buffer.getLongVolatile(offset + slot * Long.BYTES))
            {
                waiting++;
            }
        }
        return waiting;
    }

    /**
     * Records that the wait {@link #enter()} recorded has ended.
     *
     * @param at what {@link #enter()} returned.
     */
    void leave(final int at)
    {
        if (UNRECORDED != at)
        {
            buffer.compareAndSetLong(at, ProcessIdentity.currentLongToken(), 0);
        }
    }
}
