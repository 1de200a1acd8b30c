package dev.ipckit.queue;

import dev.ipckit.IpcException;
import dev.ipckit.codec.CodecConfiguration;
import dev.ipckit.internal.ProcessTable;
import dev.ipckit.internal.ProcessTableDescriptor;
import dev.ipckit.internal.SharedRegion;
import dev.ipckit.internal.Waiter;
import dev.ipckit.sync.IpcLock;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.util.concurrent.TimeUnit;

import static dev.ipckit.queue.QueueDescriptor.CLAIMING;
import static dev.ipckit.queue.QueueDescriptor.CLAIM_LANES;
import static dev.ipckit.queue.QueueDescriptor.CONSUMER_LOCK_OFFSET;
import static dev.ipckit.queue.QueueDescriptor.FLAGS_OFFSET;
import static dev.ipckit.queue.QueueDescriptor.FREE_OFFSET;
import static dev.ipckit.queue.QueueDescriptor.GOT_OFFSET;
import static dev.ipckit.queue.QueueDescriptor.JOINABLE_FLAG;
import static dev.ipckit.queue.QueueDescriptor.LOST_OFFSET;
import static dev.ipckit.queue.QueueDescriptor.MAX_SIZE_OFFSET;
import static dev.ipckit.queue.QueueDescriptor.NO_CLAIM;
import static dev.ipckit.queue.QueueDescriptor.PUT_OFFSET;
import static dev.ipckit.queue.QueueDescriptor.RING_OFFSET;
import static dev.ipckit.queue.QueueDescriptor.TABLE_OFFSET;
import static dev.ipckit.queue.QueueDescriptor.UNFINISHED_OFFSET;
import static dev.ipckit.queue.QueueDescriptor.claimOffset;
import static dev.ipckit.queue.QueueDescriptor.claimedPosition;
import static dev.ipckit.queue.QueueDescriptor.heldOffset;
import static dev.ipckit.queue.QueueDescriptor.takenOffset;

/**
 * The shared part of a queue, on raw messages: a region of shared memory holding a header, a
 * {@link ProcessTable} of the processes that use the queue, and an Agrona
 * {@link ManyToOneRingBuffer} of the messages ({@link QueueDescriptor}).
 * <p>
 * <b>Put</b>: take a free place (bounded queues; the place is held in the process's slot), mark
 * the slot as claiming, claim room in the ring and record the claimed position in the slot, copy,
 * count the task (joinable queues), commit, clear the claim, and hand the place to the item. A
 * message longer than the ring's limit goes to a spill file and the ring carries its sequence
 * number. A producer waiting for room in the ring has no claim. <b>Get</b>: under the consumer
 * lock, read one record; give its place back.
 * <p>
 * <b>Faults</b>: a process that dies holding the consumer lock loses it to the next consumer (the
 * lock is robust). A producer that dies between claiming and committing leaves an uncommitted
 * record that stops every reader; a reader stuck on one for 10 ms takes the consumer lock, checks
 * the head has not moved, and looks for the processes whose claim may be that record: when none
 * of them is alive and one is dead, the record becomes padding with Agrona's {@code unblock()}, so
 * the torn message is never delivered (and, if it was counted, the task is uncounted). Places held
 * by dead processes are given back by waiting producers; gets a dead consumer had not marked done
 * are subtracted from the unfinished count by {@code join} and counted as lost. A process that
 * dies within the few instructions between two of these steps can leave a count off by one.
 * <p>
 * <b>Note:</b> thread-safe: any thread of any process may put and get. A handle is refused with
 * {@link IpcException} when {@link ProcessTableDescriptor#SLOTS} other live processes have the
 * queue open.
 */
final class QueueEngine
{
    static final String KIND = QueueDescriptor.KIND;
    static final int DEFAULT_RING_CAPACITY = 1 << 20;

    private static final int MESSAGE = 1;
    private static final int SPILLED = 2;
    private static final long STUCK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long RECOVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final SharedRegion region;
    private final AtomicBuffer header;
    private final UnsafeBuffer ringBuffer;
    private final ManyToOneRingBuffer ring;
    private final IpcLock consumerLock;
    private final ProcessTable table;
    private final SpillFiles spills;
    private final int own;
    private final int maxMessageSize;
    private final boolean joinable;
    private final boolean bounded;
    private final MessageHandler copier = this::copy;
    private final QueueRecovery recovery;
    private final Waiter placeWaiter;
    private final Waiter roomWaiter;
    private final Waiter itemWaiter;
    private final Waiter joinWaiter;
    private final Waiter.Condition placeTaken = this::takePlace;
    private final Waiter.Condition joined = this::allDone;
    private volatile boolean closed;
    private byte[] taken;
    private int takenType;

    private QueueEngine(final SharedRegion region)
    {
        this.region = region;
        this.header = region.payload();
        this.ringBuffer = new UnsafeBuffer(header, RING_OFFSET, region.payloadLength() - RING_OFFSET);
        this.ring = new ManyToOneRingBuffer(ringBuffer);
        this.consumerLock = IpcLock.embeddedIn(region, CONSUMER_LOCK_OFFSET);
        this.maxMessageSize = CodecConfiguration.maxMessageSize();
        this.joinable = 0 != (header.getIntVolatile(FLAGS_OFFSET) & JOINABLE_FLAG);
        this.bounded = 0 != header.getLong(MAX_SIZE_OFFSET);
        this.spills = new SpillFiles(region.id(), header);
        try
        {
            this.table = ProcessTable.open(header, TABLE_OFFSET, KIND + '@' + region.id(), "queue " + region.id(),
                (buffer, slotOffset) -> QueueRecovery.reclaim(buffer, slotOffset, ring));
        }
        catch (final RuntimeException ex)
        {
            region.close();
            throw ex;
        }
        this.own = table.ownSlotOffset();
        this.recovery = new QueueRecovery(header, ringBuffer, ring, table, consumerLock, joinable);
        final Runnable checkOpen = this::checkOpenWhileWaiting;
        this.roomWaiter = Waiter.create(() -> "interrupted while waiting for room in queue " + id())
            .whileOpen(checkOpen);
        this.placeWaiter = roomWaiter.recovering(RECOVERY_NANOS, recovery::reclaimDead);
        this.itemWaiter = Waiter.create(() -> "interrupted while waiting for an item of queue " + id())
            .whileOpen(checkOpen);
        this.joinWaiter = Waiter.create(() -> "interrupted while joining queue " + id())
            .whileOpen(checkOpen).recovering(RECOVERY_NANOS, recovery::reclaimDead);
    }

    /**
     * @param maxSize      items at most; 0 for no limit.
     * @param ringCapacity bytes of the ring, a power of two; messages over an eighth of it spill.
     * @param joinable     whether tasks are counted.
     * @return a new queue.
     */
    static QueueEngine create(final int maxSize, final int ringCapacity, final boolean joinable)
    {
        if (maxSize < 0)
        {
            throw new IllegalArgumentException("maxSize must not be negative (0: no limit), maxSize=" + maxSize);
        }
        if (ringCapacity < 4096 || Integer.bitCount(ringCapacity) != 1 || ringCapacity > 1 << 30)
        {
            throw new IllegalArgumentException(
                "ringCapacity must be a power of two in 4096..1073741824, ringCapacity=" + ringCapacity);
        }
        final SharedRegion region = SharedRegion.create(
            KIND, RING_OFFSET + ringCapacity + RingBufferDescriptor.TRAILER_LENGTH);
        final AtomicBuffer header = region.payload();
        header.putLong(MAX_SIZE_OFFSET, maxSize);
        header.putLong(FREE_OFFSET, maxSize);
        header.putIntVolatile(FLAGS_OFFSET, joinable ? JOINABLE_FLAG : 0);
        return new QueueEngine(region);
    }

    static QueueEngine attach(final String id)
    {
        return new QueueEngine(SharedRegion.attach(KIND, id));
    }

    String id()
    {
        return region.id();
    }

    int maxSize()
    {
        return (int)header.getLong(MAX_SIZE_OFFSET);
    }

    /**
     * Puts one message.
     *
     * @param message      the encoded element.
     * @param timeoutNanos how long to wait for room; 0 not at all.
     * @return false if the queue stayed full.
     * @throws InterruptedException if interrupted while waiting.
     */
    boolean put(final byte[] message, final long timeoutNanos) throws InterruptedException
    {
        if (message.length > maxMessageSize)
        {
            throw new IpcException("message length=" + message.length + " exceeds maxMessageSize=" +
                maxMessageSize + " (" + CodecConfiguration.MAX_MESSAGE_SIZE_PROP_NAME + ") on queue " + id());
        }
        long timeout = timeoutNanos;
        if (bounded && !takePlace())
        {
            final long start = System.nanoTime();
            if (!placeWaiter.await(timeoutNanos, placeTaken))
            {
                return false;
            }
            timeout = Waiter.remaining(timeoutNanos, start);
        }
        final boolean spill = message.length > ring.maxMsgLength();
        final byte[] record;
        try
        {
            record = spill ? spills.write(message) : message;
        }
        catch (final RuntimeException ex)
        {
            undoPut(false, null);
            throw ex;
        }
        final int type = spill ? SPILLED : MESSAGE;
        long claimed = claim(type, record.length);
        if (claimed < 0)
        {
            final Long room;
            try
            {
                room = roomWaiter.poll(timeout, () -> claimOrNull(type, record.length));
            }
            catch (final InterruptedException | RuntimeException ex)
            {
                undoPut(spill, record);
                throw ex;
            }
            if (null == room)
            {
                undoPut(spill, record);
                return false;
            }
            claimed = room;
        }
        final int lane = (int)(claimed >>> 32);
        final int index = (int)claimed;
        ringBuffer.putBytes(index, record);
        if (joinable)
        {
            header.getAndAddLong(UNFINISHED_OFFSET, 1);
            header.putLongRelease(lane, QueueDescriptor.claimed(claimedPosition(header.getLong(lane)), true));
        }
        ring.commit(index);
        header.putLongRelease(lane, NO_CLAIM);
        header.getAndAddLong(PUT_OFFSET, 1);
        if (bounded)
        {
            header.getAndAddLong(heldOffset(own), -1);
        }
        return true;
    }

    /**
     * Claims room in the ring, with a claim lane of this process's slot saying so: claiming while
     * Agrona claims, then the record's ring position. The position is worked out from the tail read
     * after the claim: the record is not consumed yet, so it lies less than a capacity before the tail.
     *
     * @return the lane's offset (high 32 bits) and the index to copy the record to (low 32 bits),
     * or -1 if the ring had no room.
     */
    private long claim(final int type, final int length)
    {
        final int lane = takeLane();
        final int index = ring.tryClaim(type, length);
        if (index < 0)
        {
            header.putLongRelease(lane, NO_CLAIM);
            return -1;
        }
        final long tail = ring.producerPosition();
        final int recordIndex = index - RecordDescriptor.HEADER_LENGTH;
        final long position = tail - (((tail - recordIndex - 1) & (ring.capacity() - 1)) + 1);
        header.putLongRelease(lane, QueueDescriptor.claimed(position, false));
        return (long)lane << 32 | index;
    }

    private Long claimOrNull(final int type, final int length)
    {
        final long claimed = claim(type, length);
        return claimed < 0 ? null : claimed;
    }

    /** @return the offset of a claim lane this thread took (CAS from none to claiming). */
    private int takeLane()
    {
        while (true)
        {
            for (int lane = 0; lane < CLAIM_LANES; lane++)
            {
                final int at = claimOffset(own, lane);
                if (NO_CLAIM == header.getLongVolatile(at) && header.compareAndSetLong(at, NO_CLAIM, CLAIMING))
                {
                    return at;
                }
            }
            Thread.onSpinWait();
        }
    }

    /**
     * Takes one message. It tries to read first: while items flow, checking the ring's size
     * would fetch the producer's cache line for nothing; a waiting getter checks the size and
     * takes the consumer lock only when there is something to read.
     *
     * @param timeoutNanos how long to wait for one; 0 not at all.
     * @return the message, or null if none came in time.
     * @throws InterruptedException if interrupted while waiting.
     */
    byte[] get(final long timeoutNanos) throws InterruptedException
    {
        final byte[] ready = takeOne();
        if (null != ready)
        {
            return ready;
        }
        return itemWaiter.poll(timeoutNanos, new Getter());
    }

    /**
     * One waiting get: reads when the ring holds something, and when the head stays on an
     * unreadable record for 10 ms, has it looked at as a dead producer's torn record.
     * <p>
     * <b>Note:</b> used by the waiting thread only.
     */
    private final class Getter implements Waiter.Poll<byte[]>
    {
        private long stuckAt = -1;
        private long stuckSince;

        @Override
        public byte[] poll() throws InterruptedException
        {
            if (0 == ring.size())
            {
                stuckAt = -1;
                return null;
            }
            final byte[] message = takeOne();
            if (null != message)
            {
                return message;
            }
            final long head = ring.consumerPosition();
            if (head != stuckAt)
            {
                stuckAt = head;
                stuckSince = System.nanoTime();
            }
            else if (System.nanoTime() - stuckSince > STUCK_NANOS)
            {
                recovery.unblockDeadProducer(head);
                stuckSince = System.nanoTime();
            }
            return null;
        }
    }

    /** @return whether nothing is queued (a snapshot). */
    boolean isEmpty()
    {
        return 0 == ring.size();
    }

    /** @return how many items are queued (a snapshot; approximate while others put and get). */
    int size()
    {
        final long queued = header.getLongVolatile(PUT_OFFSET) - header.getLongVolatile(GOT_OFFSET);
        return (int)Math.max(0, Math.min(Integer.MAX_VALUE, queued));
    }

    /** @return whether a bounded queue has no free place (a snapshot). */
    boolean isFull()
    {
        return bounded && header.getLongVolatile(FREE_OFFSET) <= 0;
    }

    /**
     * Marks one task of a joinable queue done.
     *
     * @throws IllegalStateException if called more times than items were put.
     */
    void taskDone()
    {
        while (true)
        {
            final long unfinished = header.getLongVolatile(UNFINISHED_OFFSET);
            if (unfinished <= 0)
            {
                throw new IllegalStateException("taskDone() called more times than there were items on queue " + id());
            }
            if (header.compareAndSetLong(UNFINISHED_OFFSET, unfinished, unfinished - 1))
            {
                break;
            }
        }
        if (dropTaken(own))
        {
            return;
        }
        for (int slot = 0; slot < ProcessTableDescriptor.SLOTS; slot++)
        {
            if (dropTaken(table.slotOffsetOf(slot)))
            {
                return;
            }
        }
    }

    /**
     * Takes one from a slot's count of gets not done. {@code taskDone} takes it from its own
     * process's slot, or, when another process got the element, from some other process's.
     *
     * @return false if that slot's count was 0.
     */
    private boolean dropTaken(final int slotOffset)
    {
        final int taken = takenOffset(slotOffset);
        while (true)
        {
            final long count = header.getLongVolatile(taken);
            if (count <= 0)
            {
                return false;
            }
            if (header.compareAndSetLong(taken, count, count - 1))
            {
                return true;
            }
        }
    }

    /**
     * Waits until every task put has been marked done, or was lost with a consumer that died.
     *
     * @return false if the time ran out.
     */
    boolean join(final long timeoutNanos) throws InterruptedException
    {
        return allDone() || joinWaiter.await(timeoutNanos, joined);
    }

    private boolean allDone()
    {
        return header.getLongVolatile(UNFINISHED_OFFSET) <= 0;
    }

    long lostTasks()
    {
        return header.getLongVolatile(LOST_OFFSET);
    }

    /**
     * Ends this handle's use; a put or get of this handle that is waiting throws
     * {@link IllegalStateException}.
     */
    void close()
    {
        closed = true;
        table.close();
        consumerLock.close();
        region.close();
    }

    private void checkOpenWhileWaiting()
    {
        if (closed)
        {
            throw new IllegalStateException("queue " + id() + " was closed while waiting");
        }
    }

    // ---------------------------------------------------------------- internals

    private boolean takePlace()
    {
        final long free = header.getLongVolatile(FREE_OFFSET);
        if (free > 0 && header.compareAndSetLong(FREE_OFFSET, free, free - 1))
        {
            header.getAndAddLong(heldOffset(own), 1);
            return true;
        }
        return false;
    }

    private void undoPut(final boolean spill, final byte[] record)
    {
        if (spill)
        {
            spills.discard(record);
        }
        if (bounded)
        {
            header.getAndAddLong(heldOffset(own), -1);
            header.getAndAddLong(FREE_OFFSET, 1);
        }
    }

    /** @return a message read under the consumer lock, or null if none could be read. */
    private byte[] takeOne() throws InterruptedException
    {
        consumerLock.lockInterruptibly();
        final int type;
        final byte[] record;
        try
        {
            taken = null;
            if (0 == ring.read(copier, 1) || null == taken)
            {
                return null;
            }
            record = taken;
            type = takenType;
            taken = null;
        }
        finally
        {
            consumerLock.unlock();
        }
        header.getAndAddLong(GOT_OFFSET, 1);
        if (bounded)
        {
            header.getAndAddLong(FREE_OFFSET, 1);
        }
        if (joinable)
        {
            header.getAndAddLong(takenOffset(own), 1);
        }
        return SPILLED == type ? spills.read(record) : record;
    }

    private void copy(final int type, final org.agrona.MutableDirectBuffer buffer, final int index, final int length)
    {
        final byte[] record = new byte[length];
        buffer.getBytes(index, record);
        takenType = type;
        taken = record;
    }
}
