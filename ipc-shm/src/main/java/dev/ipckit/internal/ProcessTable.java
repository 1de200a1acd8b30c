package dev.ipckit.internal;

import dev.ipckit.IpcException;
import org.agrona.concurrent.AtomicBuffer;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.ipckit.internal.ProcessTableDescriptor.SLOTS;
import static dev.ipckit.internal.ProcessTableDescriptor.TOKEN_OFFSET;
import static dev.ipckit.internal.ProcessTableDescriptor.VALUE_COUNT;
import static dev.ipckit.internal.ProcessTableDescriptor.slotOffset;
import static dev.ipckit.internal.ProcessTableDescriptor.valueOffset;

/**
 * The table of the processes that have a primitive open ({@link ProcessTableDescriptor}), so that
 * what a process held when it died (permits, places, unfinished gets) can be given back.
 * <p>
 * Opening a handle claims this process's slot, or shares the slot the process already has: every
 * handle of one table in a JVM shares one slot. A table that is full, once the slots of dead
 * processes are reclaimed, refuses the handle with {@link IpcException} before anything is taken.
 * Closing the last handle of the JVM frees the slot when its values are all 0; otherwise the slot
 * stays until the process dies.
 * <p>
 * Reclaiming a dead process's slot is a CAS from the dead owner's token to this process's token
 * with {@link ProcessIdentity#RECLAIMING_BIT} set, so only one process empties a slot, and a
 * process that claims a freed slot meanwhile never loses its values; then a store of 0 frees it.
 * A reclaimer that dies part-way leaves its mark, which the next reclaimer takes over the same way.
 * A token of a process this one cannot see (another pid namespace) counts as alive.
 * <p>
 * <b>Note:</b> internal to ipckit; thread-safe. Ordering: tokens are claimed and released by CAS
 * (volatile); the values are the user's, updated by atomic adds or CAS.
 */
public final class ProcessTable implements AutoCloseable
{
    private static final Map<String, Claim> CLAIMS = new HashMap<>();

    private final AtomicBuffer buffer;
    private final int tableOffset;
    private final String key;
    private final String description;
    private final Claim claim;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Gives back what a dead process held in its slot. */
    @FunctionalInterface
    public interface Reclaimer
    {
        /**
         * Called with the slot marked as this process's: nobody else changes its values meanwhile.
         *
         * @param buffer     the table's buffer.
         * @param slotOffset where the slot starts ({@link ProcessTableDescriptor#valueOffset}).
         * @return whether the slot may be freed now; false keeps it for a later reclaim.
         */
        boolean reclaim(AtomicBuffer buffer, int slotOffset);
    }

    /** This JVM's slot in one table, shared by its handles. Guarded by {@link #CLAIMS}. */
    private static final class Claim
    {
        int slot;
        int handles;
    }

    private ProcessTable(
        final AtomicBuffer buffer, final int tableOffset, final String key, final String description, final Claim claim)
    {
        this.buffer = buffer;
        this.tableOffset = tableOffset;
        this.key = key;
        this.description = description;
        this.claim = claim;
    }

    /**
     * Opens a handle of the table, claiming this process's slot unless the JVM has one.
     *
     * @param buffer      the shared memory.
     * @param tableOffset where the table starts ({@link ProcessTableDescriptor#checkTable}).
     * @param key         names the table across this JVM (region id and offset).
     * @param description for messages.
     * @param reclaimer   gives back what a dead process held, when a full table reclaims slots.
     * @return the handle.
     * @throws IpcException if {@link ProcessTableDescriptor#SLOTS} live processes hold slots.
     */
    public static ProcessTable open(
        final AtomicBuffer buffer,
        final int tableOffset,
        final String key,
        final String description,
        final Reclaimer reclaimer)
    {
        ProcessTableDescriptor.checkTable(tableOffset, buffer.capacity());
        synchronized (CLAIMS)
        {
            Claim claim = CLAIMS.get(key);
            if (null == claim)
            {
                claim = new Claim();
                claim.slot = claimSlot(buffer, tableOffset, description, reclaimer);
                CLAIMS.put(key, claim);
            }
            claim.handles++;
            return new ProcessTable(buffer, tableOffset, key, description, claim);
        }
    }

    /**
     * @return where this process's slot starts in the buffer.
     */
    public int ownSlotOffset()
    {
        return slotOffset(tableOffset, claim.slot);
    }

    /**
     * @param slot 0 to {@link ProcessTableDescriptor#SLOTS} - 1.
     * @return the token in that slot: 0 when free; {@link ProcessIdentity#RECLAIMING_BIT} set while reclaimed.
     */
    public long token(final int slot)
    {
        return buffer.getLongVolatile(slotOffset(tableOffset, slot) + TOKEN_OFFSET);
    }

    /**
     * @param slot 0 to {@link ProcessTableDescriptor#SLOTS} - 1.
     * @return where that slot starts in the buffer.
     */
    public int slotOffsetOf(final int slot)
    {
        return slotOffset(tableOffset, slot);
    }

    /**
     * Reclaims the slots of dead processes.
     *
     * @param holding   only slots for which this is true are checked (a liveness check reads
     *                  {@code /proc}): e.g. those with a value other than 0.
     * @param reclaimer gives back what each dead process held.
     */
    public void reclaimDead(final SlotFilter holding, final Reclaimer reclaimer)
    {
        reclaimDead(buffer, tableOffset, holding, reclaimer);
    }

    /** Which slots are worth a liveness check. */
    @FunctionalInterface
    public interface SlotFilter
    {
        /**
         * @param buffer     the table's buffer.
         * @param slotOffset where the slot starts.
         * @return whether to check the slot's owner.
         */
        boolean test(AtomicBuffer buffer, int slotOffset);
    }

    /**
     * Closes this handle; the JVM's last handle frees the slot if its values are all 0. Idempotent.
     */
    @Override
    public void close()
    {
        if (!closed.compareAndSet(false, true))
        {
            return;
        }
        synchronized (CLAIMS)
        {
            if (--claim.handles > 0)
            {
                return;
            }
            CLAIMS.remove(key);
            final int at = slotOffset(tableOffset, claim.slot);
            for (int value = 0; value < VALUE_COUNT; value++)
            {
                if (0 != buffer.getLongVolatile(valueOffset(at, value)))
                {
                    return;
                }
            }
            buffer.compareAndSetLong(at + TOKEN_OFFSET, ProcessIdentity.currentLongToken(), 0);
        }
    }

    @Override
    public String toString()
    {
        return "ProcessTable{" + description + ", slot=" + claim.slot + '}';
    }

    private static int claimSlot(
        final AtomicBuffer buffer, final int tableOffset, final String description, final Reclaimer reclaimer)
    {
        final long token = ProcessIdentity.currentLongToken();
        for (int slot = 0; slot < SLOTS; slot++)
        {
            if (buffer.getLongVolatile(slotOffset(tableOffset, slot) + TOKEN_OFFSET) == token)
            {
                return slot;
            }
        }
        for (int pass = 0; pass < 2; pass++)
        {
            for (int slot = 0; slot < SLOTS; slot++)
            {
                final int at = slotOffset(tableOffset, slot) + TOKEN_OFFSET;
                if (0 == buffer.getLongVolatile(at) && buffer.compareAndSetLong(at, 0, token))
                {
                    return slot;
                }
            }
            reclaimDead(buffer, tableOffset, (b, at) -> true, reclaimer);
        }
        throw new IpcException("more than " + SLOTS + " live processes have " + description +
            " open (each holds a slot until it closes its last handle or exits)");
    }

    private static void reclaimDead(
        final AtomicBuffer buffer, final int tableOffset, final SlotFilter holding, final Reclaimer reclaimer)
    {
        final long own = ProcessIdentity.currentLongToken();
        for (int slot = 0; slot < SLOTS; slot++)
        {
            final int at = slotOffset(tableOffset, slot);
            final long token = buffer.getLongVolatile(at + TOKEN_OFFSET);
            if (0 == token || (token & ~ProcessIdentity.RECLAIMING_BIT) == own || !holding.test(buffer, at) ||
                ProcessIdentity.isAliveToken(token))
            {
                continue;
            }
            final long mark = own | ProcessIdentity.RECLAIMING_BIT;
            if (!buffer.compareAndSetLong(at + TOKEN_OFFSET, token, mark))
            {
                continue;
            }
            final boolean free = reclaimer.reclaim(buffer, at);
            buffer.putLongVolatile(at + TOKEN_OFFSET, free ? 0 : token & ~ProcessIdentity.RECLAIMING_BIT);
        }
    }
}
