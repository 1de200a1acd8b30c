package dev.ipckit.durable;

import dev.ipckit.IpcException;
import dev.ipckit.internal.ProcessIdentity;
import org.agrona.concurrent.AtomicBuffer;

import static dev.ipckit.durable.StateDescriptor.CLAIM_FREE;
import static dev.ipckit.durable.StateDescriptor.CLAIM_INDEX;
import static dev.ipckit.durable.StateDescriptor.CLAIM_ORPHAN;
import static dev.ipckit.durable.StateDescriptor.CLAIM_OWNER;
import static dev.ipckit.durable.StateDescriptor.CLAIM_REDELIVERED;
import static dev.ipckit.durable.StateDescriptor.CLAIM_SEQUENCE;
import static dev.ipckit.durable.StateDescriptor.DONE_COUNT_OFFSET;
import static dev.ipckit.durable.StateDescriptor.FREE_HINT_OFFSET;
import static dev.ipckit.durable.StateDescriptor.INTENT_CLAIM_OFFSET;
import static dev.ipckit.durable.StateDescriptor.INTENT_CLAIM_SLOT_OFFSET;
import static dev.ipckit.durable.StateDescriptor.INTENT_PENDING_OFFSET;
import static dev.ipckit.durable.StateDescriptor.INTENT_VALUES_OFFSET;
import static dev.ipckit.durable.StateDescriptor.LAST_READ_INDEX_OFFSET;
import static dev.ipckit.durable.StateDescriptor.MAX_CLAIMS;
import static dev.ipckit.durable.StateDescriptor.MAX_CONSUMERS;
import static dev.ipckit.durable.StateDescriptor.ORPHANS_OFFSET;
import static dev.ipckit.durable.StateDescriptor.READ_COUNT_OFFSET;
import static dev.ipckit.durable.StateDescriptor.claimOffset;
import static dev.ipckit.durable.StateDescriptor.consumerOffset;

/**
 * What consumers share in the state file: the counts, the claims (which item each consumer process
 * got and has not marked done) and the consumer table, changed only under the consume lock and
 * only through {@link #commit}, whose intent makes every change all-or-nothing across a kill.
 * <p>
 * <b>Note:</b> every method but the lock-free reads ({@link #doneCount}, {@link #readCount},
 * {@link #orphans}) must be called under the consume lock.
 */
final class ConsumerBook
{
    private static final int VALUES = 5;
    private static final long NO_SLOT = -1;

    private final AtomicBuffer state;
    private final String description;
    private int consumerSlot = -1;

    /** The values one {@link #commit} writes; loaded from the state by {@link #load()}. */
    final long[] values = new long[VALUES];

    ConsumerBook(final AtomicBuffer state, final String description)
    {
        this.state = state;
        this.description = description;
    }

    long doneCount()
    {
        return state.getLongVolatile(DONE_COUNT_OFFSET);
    }

    long readCount()
    {
        return state.getLongVolatile(READ_COUNT_OFFSET);
    }

    long orphans()
    {
        return state.getLongVolatile(ORPHANS_OFFSET);
    }

    long lastReadIndex()
    {
        return state.getLong(LAST_READ_INDEX_OFFSET);
    }

    /** Loads the five counts (done, read, last read index, orphans, free hint) into {@link #values}. */
    void load()
    {
        for (int i = 0; i < VALUES; i++)
        {
            values[i] = state.getLong(DONE_COUNT_OFFSET + i * 8);
        }
    }

    /**
     * Writes {@link #values} and one claim, all or nothing across a kill.
     *
     * @param slot        the claim to write, or -1 for none.
     * @param owner       its owner.
     * @param index       its log index.
     * @param sequence    its item's sequence.
     * @param redelivered 1 if handed out again.
     */
    void commit(final int slot, final long owner, final long index, final long sequence, final long redelivered)
    {
        for (int i = 0; i < VALUES; i++)
        {
            state.putLong(INTENT_VALUES_OFFSET + i * 8, values[i]);
        }
        state.putLong(INTENT_CLAIM_SLOT_OFFSET, slot);
        state.putLong(INTENT_CLAIM_OFFSET + CLAIM_OWNER, owner);
        state.putLong(INTENT_CLAIM_OFFSET + CLAIM_INDEX, index);
        state.putLong(INTENT_CLAIM_OFFSET + CLAIM_SEQUENCE, sequence);
        state.putLong(INTENT_CLAIM_OFFSET + CLAIM_REDELIVERED, redelivered);
        state.putLongRelease(INTENT_PENDING_OFFSET, 1);
        apply();
        state.putLongRelease(INTENT_PENDING_OFFSET, 0);
    }

    /**
     * Applies an intent that a consumer killed in {@link #commit} left pending; after taking the
     * consume lock over from a dead owner.
     */
    void recoverIntent()
    {
        if (0 != state.getLongVolatile(INTENT_PENDING_OFFSET))
        {
            apply();
            state.putLongRelease(INTENT_PENDING_OFFSET, 0);
        }
    }

    private void apply()
    {
        final long slot = state.getLong(INTENT_CLAIM_SLOT_OFFSET);
        if (NO_SLOT != slot)
        {
            final int claim = claimOffset((int)slot);
            state.putLong(claim + CLAIM_INDEX, state.getLong(INTENT_CLAIM_OFFSET + CLAIM_INDEX));
            state.putLong(claim + CLAIM_SEQUENCE, state.getLong(INTENT_CLAIM_OFFSET + CLAIM_SEQUENCE));
            state.putLong(claim + CLAIM_REDELIVERED, state.getLong(INTENT_CLAIM_OFFSET + CLAIM_REDELIVERED));
            state.putLong(claim + CLAIM_OWNER, state.getLong(INTENT_CLAIM_OFFSET + CLAIM_OWNER));
        }
        for (int i = 0; i < VALUES; i++)
        {
            state.putLongRelease(DONE_COUNT_OFFSET + i * 8, state.getLong(INTENT_VALUES_OFFSET + i * 8));
        }
    }

    /**
     * @return a free claim, at or after the free hint in {@link #values}.
     * @throws IllegalStateException if every claim is taken.
     */
    int freeClaim()
    {
        final int hint = (int)Math.floorMod(values[4], (long)MAX_CLAIMS);
        for (int i = 0; i < MAX_CLAIMS; i++)
        {
            final int slot = (hint + i) & (MAX_CLAIMS - 1);
            if (CLAIM_FREE == state.getLong(claimOffset(slot) + CLAIM_OWNER))
            {
                return slot;
            }
        }
        throw new IllegalStateException("durable queue " + description + " has " + MAX_CLAIMS +
            " items got and not marked done (call taskDone() for the items you got)");
    }

    /**
     * @return an orphaned claim (its consumer died), the one of the lowest sequence; -1 if none.
     */
    int oldestOrphan()
    {
        int oldest = -1;
        long oldestSequence = Long.MAX_VALUE;
        for (int slot = 0; slot < MAX_CLAIMS; slot++)
        {
            final int claim = claimOffset(slot);
            if (CLAIM_ORPHAN == state.getLong(claim + CLAIM_OWNER) && state.getLong(claim + CLAIM_SEQUENCE) < oldestSequence)
            {
                oldest = slot;
                oldestSequence = state.getLong(claim + CLAIM_SEQUENCE);
            }
        }
        return oldest;
    }

    long claimIndex(final int slot)
    {
        return state.getLong(claimOffset(slot) + CLAIM_INDEX);
    }

    long claimSequence(final int slot)
    {
        return state.getLong(claimOffset(slot) + CLAIM_SEQUENCE);
    }

    /**
     * @param fallback the lowest index to keep when no item is claimed.
     * @return the lowest log index of a claimed or orphaned item, or {@code fallback}.
     */
    long lowestClaimedIndex(final long fallback)
    {
        long lowest = fallback;
        for (int slot = 0; slot < MAX_CLAIMS; slot++)
        {
            final int claim = claimOffset(slot);
            if (CLAIM_FREE != state.getLong(claim + CLAIM_OWNER))
            {
                lowest = Math.min(lowest, state.getLong(claim + CLAIM_INDEX));
            }
        }
        return lowest;
    }

    /**
     * Enters this process in the consumer table, once, before its first claim.
     *
     * @throws IpcException if the table is full.
     */
    void register()
    {
        if (consumerSlot >= 0)
        {
            return;
        }
        final long token = ProcessIdentity.currentLongToken();
        for (int slot = 0; slot < MAX_CONSUMERS; slot++)
        {
            final long owner = state.getLongVolatile(consumerOffset(slot));
            if (owner == token || (0 == owner && state.compareAndSetLong(consumerOffset(slot), 0, token)))
            {
                consumerSlot = slot;
                return;
            }
        }
        throw new IpcException("durable queue " + description + " has " + MAX_CONSUMERS +
            " consumer processes holding items; no room for another");
    }

    /**
     * @return true if a process in the consumer table has died (read without the lock).
     */
    boolean hasDeadConsumer()
    {
        final long me = ProcessIdentity.currentLongToken();
        for (int slot = 0; slot < MAX_CONSUMERS; slot++)
        {
            final long owner = state.getLongVolatile(consumerOffset(slot));
            if (0 != owner && owner != me && !ProcessIdentity.isAliveToken(owner))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Orphans the claims of consumer processes that have died, or of this one ({@code self}), so
     * that their items are delivered again, then takes those processes out of the table. Claims go
     * first: a process out of the table has no claim left.
     *
     * @param self true to let go of this process's own claims (its last handle closes).
     * @return how many claims were orphaned.
     */
    int orphanDeadClaims(final boolean self)
    {
        final long me = ProcessIdentity.currentLongToken();
        int orphaned = 0;
        for (int slot = 0; slot < MAX_CONSUMERS; slot++)
        {
            final long owner = state.getLongVolatile(consumerOffset(slot));
            if (0 != owner && (self ? owner == me : owner != me && !ProcessIdentity.isAliveToken(owner)))
            {
                orphaned += orphanClaimsOf(owner);
                state.putLongRelease(consumerOffset(slot), 0);
                if (self)
                {
                    consumerSlot = -1;
                }
            }
        }
        return orphaned;
    }

    private int orphanClaimsOf(final long owner)
    {
        int orphaned = 0;
        long orphans = 0;
        for (int slot = 0; slot < MAX_CLAIMS; slot++)
        {
            final int claim = claimOffset(slot);
            final long claimOwner = state.getLong(claim + CLAIM_OWNER);
            if (claimOwner == owner)
            {
                state.putLong(claim + CLAIM_OWNER, CLAIM_ORPHAN);
                orphaned++;
                orphans++;
            }
            else if (CLAIM_ORPHAN == claimOwner)
            {
                orphans++;
            }
        }
        state.putLongRelease(ORPHANS_OFFSET, orphans);
        return orphaned;
    }
}
