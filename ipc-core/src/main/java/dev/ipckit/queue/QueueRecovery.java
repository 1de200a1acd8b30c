package dev.ipckit.queue;

import dev.ipckit.internal.FlightEvents;
import dev.ipckit.internal.ProcessIdentity;
import dev.ipckit.internal.ProcessTable;
import dev.ipckit.internal.ProcessTableDescriptor;
import dev.ipckit.sync.IpcLock;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;

import static dev.ipckit.queue.QueueDescriptor.CLAIMING;
import static dev.ipckit.queue.QueueDescriptor.CLAIM_LANES;
import static dev.ipckit.queue.QueueDescriptor.FREE_OFFSET;
import static dev.ipckit.queue.QueueDescriptor.LOST_OFFSET;
import static dev.ipckit.queue.QueueDescriptor.NO_CLAIM;
import static dev.ipckit.queue.QueueDescriptor.UNFINISHED_OFFSET;
import static dev.ipckit.queue.QueueDescriptor.claimOffset;
import static dev.ipckit.queue.QueueDescriptor.claimedPosition;
import static dev.ipckit.queue.QueueDescriptor.diedClaimingBefore;
import static dev.ipckit.queue.QueueDescriptor.heldOffset;
import static dev.ipckit.queue.QueueDescriptor.isCounted;
import static dev.ipckit.queue.QueueDescriptor.mayOwn;
import static dev.ipckit.queue.QueueDescriptor.takenOffset;

/**
 * What a queue does about processes that died using it ({@link QueueEngine}): a record a dead
 * producer claimed and never committed becomes padding, and what a dead process held in its slot
 * of the process table (places, gets not marked done, a put claim) is given back.
 * <p>
 * A producer's put claim ({@link QueueDescriptor}) names the record it may own: claiming (any
 * record claimed from then on), or a ring position. A stuck reader unblocks the record at the head
 * only when no live process may own it and a dead one may: a producer waiting for room holds no
 * claim, so live producers waiting on a full ring never keep a dead one's record in the way.
 * <p>
 * <b>Note:</b> thread-safe; unblocking runs under the consumer lock, as Agrona's
 * {@code unblock()} assumes one consumer.
 */
final class QueueRecovery
{
    private final AtomicBuffer header;
    private final UnsafeBuffer ringBuffer;
    private final ManyToOneRingBuffer ring;
    private final ProcessTable table;
    private final IpcLock consumerLock;
    private final boolean joinable;

    QueueRecovery(
        final AtomicBuffer header,
        final UnsafeBuffer ringBuffer,
        final ManyToOneRingBuffer ring,
        final ProcessTable table,
        final IpcLock consumerLock,
        final boolean joinable)
    {
        this.header = header;
        this.ringBuffer = ringBuffer;
        this.ring = ring;
        this.table = table;
        this.consumerLock = consumerLock;
        this.joinable = joinable;
    }

    /**
     * The reader is stuck on an uncommitted record at {@code head}: under the consumer lock, with the
     * head unmoved and the record still uncommitted, it becomes padding if no process whose claim
     * may be that record is alive, and one is dead.
     */
    void unblockDeadProducer(final long head) throws InterruptedException
    {
        consumerLock.lockInterruptibly();
        try
        {
            if (ring.consumerPosition() != head ||
                ringBuffer.getIntVolatile(RecordDescriptor.lengthOffset((int)(head & (ring.capacity() - 1)))) > 0)
            {
                return;
            }
            int owner = -1;
            long ownerClaim = NO_CLAIM;
            long deadToken = 0;
            boolean deadCandidate = false;
            for (int slot = 0; slot < ProcessTableDescriptor.SLOTS; slot++)
            {
                final long token = table.token(slot);
                for (int lane = 0; lane < CLAIM_LANES && 0 != token; lane++)
                {
                    final int at = claimOffset(table.slotOffsetOf(slot), lane);
                    final long claim = header.getLongVolatile(at);
                    if (!mayOwn(claim, head))
                    {
                        continue;
                    }
                    if (ProcessIdentity.isAliveToken(token))
                    {
                        return;
                    }
                    deadCandidate = true;
                    deadToken = token;
                    if (claim > 0)
                    {
                        owner = at;
                        ownerClaim = claim;
                    }
                }
            }
            if (!deadCandidate || !ring.unblock())
            {
                return;
            }
            FlightEvents.tornRecordCleared(head, deadToken);
            if (owner >= 0)
            {
                if (joinable && isCounted(ownerClaim))
                {
                    header.getAndAddLong(UNFINISHED_OFFSET, -1);
                }
                header.compareAndSetLong(owner, ownerClaim, NO_CLAIM);
            }
        }
        finally
        {
            consumerLock.unlock();
        }
    }

    /** Gives back what dead processes held that waiters need: places, unfinished tasks, claims. */
    void reclaimDead()
    {
        table.reclaimDead(QueueRecovery::holdsAnything, (buffer, slotOffset) -> reclaim(buffer, slotOffset, ring));
    }

    private static boolean holdsAnything(final AtomicBuffer buffer, final int slotOffset)
    {
        boolean holds = 0 != buffer.getLongVolatile(heldOffset(slotOffset)) ||
            0 != buffer.getLongVolatile(takenOffset(slotOffset));
        for (int lane = 0; lane < CLAIM_LANES && !holds; lane++)
        {
            holds = NO_CLAIM != buffer.getLongVolatile(claimOffset(slotOffset, lane));
        }
        return holds;
    }

    /**
     * Settles a dead process's put claim: one that was claiming becomes "died claiming before the
     * tail"; one the consumers are past is cleared.
     *
     * @return whether the claim is clear.
     */
    private static boolean settleClaim(final AtomicBuffer buffer, final int at, final ManyToOneRingBuffer ring)
    {
        final long claim = buffer.getLongVolatile(at);
        if (CLAIMING == claim)
        {
            buffer.compareAndSetLong(at, claim, diedClaimingBefore(ring.producerPosition()));
            return false;
        }
        final long head = ring.consumerPosition();
        final boolean passed = claim > 0 ? head > claimedPosition(claim) : claim < CLAIMING && head >= -claim - 2;
        if (NO_CLAIM == claim || passed)
        {
            return NO_CLAIM == claim || buffer.compareAndSetLong(at, claim, NO_CLAIM);
        }
        return false;
    }

    /**
     * Gives back what a process that died held: free places, unfinished tasks (as lost); settles
     * its put claim once the consumers are past the record it may have claimed.
     *
     * @param buffer     the queue's header.
     * @param slotOffset the dead process's slot, marked by this process.
     * @param ring       the queue's ring.
     * @return whether the slot may be freed.
     */
    static boolean reclaim(final AtomicBuffer buffer, final int slotOffset, final ManyToOneRingBuffer ring)
    {
        final long held = buffer.getAndSetLong(heldOffset(slotOffset), 0);
        if (held > 0)
        {
            buffer.getAndAddLong(FREE_OFFSET, held);
        }
        final long gotNotDone = buffer.getAndSetLong(takenOffset(slotOffset), 0);
        if (gotNotDone > 0)
        {
            buffer.getAndAddLong(UNFINISHED_OFFSET, -gotNotDone);
            buffer.getAndAddLong(LOST_OFFSET, gotNotDone);
        }
        boolean settled = true;
        for (int lane = 0; lane < CLAIM_LANES; lane++)
        {
            settled &= settleClaim(buffer, claimOffset(slotOffset, lane), ring);
        }
        return settled;
    }
}
