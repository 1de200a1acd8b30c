package dev.ipckit.queue;

import dev.ipckit.IpcException;
import dev.ipckit.RuntimeDirectory;
import dev.ipckit.codec.CodecConfiguration;
import dev.ipckit.internal.ProcessIdentity;
import dev.ipckit.internal.SharedRegion;
import dev.ipckit.internal.Waiting;
import dev.ipckit.sync.IpcLock;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The shared part of a queue, on raw messages: a region of shared memory holding a header, a table
 * of the processes that use the queue, and an Agrona {@link ManyToOneRingBuffer} of the messages.
 * <pre>
 *   offset  field (each group on its own cache line, by who writes it)
 *   0       consumer lock (8 bytes, an {@link IpcLock}): consumers take turns reading the ring
 *   64      flags (int): bit 0 joinable | maxSize (long at 72): 0 unbounded      (written once)
 *   128     free places (long): maxSize minus items queued or being put, when bounded
 *   192     items put (long) | spill file sequence (long at 200)                   (producers)
 *   256     items got (long)                                                      (consumers)
 *   320     unfinished tasks (long) | tasks lost with consumers that died (long at 328)
 *   384     process table: 128 slots of 64 bytes
 *             process token (long) | puts in progress (long) | places held (long) | gets not done (long)
 *   8576    ring buffer: capacity (a power of two) + Agrona's trailer
 * </pre>
 * <b>Put</b>: take a free place (bounded queues; the place is held in the process's slot), count
 * the put in progress, claim room in the ring, copy, commit, then uncount and hand the place to
 * the item. A message longer than the ring's limit goes to a spill file and the ring carries its
 * sequence number. <b>Get</b>: under the consumer lock, read one record; give its place back.
 * <p>
 * <b>Faults</b>: a process that dies holding the consumer lock loses it to the next consumer (the
 * lock is robust). A producer that dies between claiming and committing leaves an uncommitted
 * record that stops every reader; a reader that has been stuck on one for 10 ms, and finds no
 * live process with a put in progress, turns it into padding with Agrona's {@code unblock()}, so
 * the torn message is never delivered. Places held by dead processes are given back by waiting
 * producers; gets a dead consumer had not marked done are subtracted from the unfinished count by
 * {@code join} and counted as lost. A process that dies within the few instructions between two
 * of these steps can leave a count off by one.
 * <p>
 * <b>Note:</b> thread-safe: any thread of any process may put and get.
 */
final class QueueEngine
{
    static final String KIND = "queue";
    static final int DEFAULT_RING_CAPACITY = 1 << 20;
    static final int SLOTS = 128;

    private static final int FLAGS = 64;
    private static final int MAX_SIZE = 72;
    private static final int FREE = 128;
    private static final int PUT = 192;
    private static final int SPILL_SEQUENCE = 200;
    private static final int GOT = 256;
    private static final int UNFINISHED = 320;
    private static final int LOST = 328;
    private static final int SLOTS_OFFSET = 384;
    private static final int SLOT_LENGTH = 64;
    private static final int SLOT_WRITING = 8;
    private static final int SLOT_HELD = 16;
    private static final int SLOT_TAKEN = 24;
    private static final int RING_OFFSET = SLOTS_OFFSET + SLOTS * SLOT_LENGTH;
    private static final int JOINABLE = 1;
    private static final int MESSAGE = 1;
    private static final int SPILLED = 2;
    private static final int SPILL_REFERENCE_LENGTH = Long.BYTES + Integer.BYTES;
    private static final long STUCK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long RECOVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final SharedRegion region;
    private final AtomicBuffer header;
    private final ManyToOneRingBuffer ring;
    private final IpcLock consumerLock;
    private final int maxMessageSize;
    private final boolean joinable;
    private final boolean bounded;
    private final int[] ownSlot = { -1 };
    private final MessageHandler copier = this::copy;
    private volatile boolean closed;
    private byte[] taken;
    private int takenType;

    private QueueEngine(final SharedRegion region)
    {
        this.region = region;
        this.header = region.payload();
        this.ring = new ManyToOneRingBuffer(
            new UnsafeBuffer(header, RING_OFFSET, region.payloadLength() - RING_OFFSET));
        this.consumerLock = IpcLock.embeddedIn(region, 0);
        this.maxMessageSize = CodecConfiguration.maxMessageSize();
        this.joinable = 0 != (header.getIntVolatile(FLAGS) & JOINABLE);
        this.bounded = 0 != header.getLong(MAX_SIZE);
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
        header.putLong(MAX_SIZE, maxSize);
        header.putLong(FREE, maxSize);
        header.putIntVolatile(FLAGS, joinable ? JOINABLE : 0);
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
        return (int)header.getLong(MAX_SIZE);
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
        final int slot = slot();
        final Waiting waiting = new Waiting(timeoutNanos);
        if (bounded && !takePlace(slot, waiting))
        {
            return false;
        }
        header.getAndAddLong(slotOffset(slot) + SLOT_WRITING, 1);
        try
        {
            if (joinable)
            {
                header.getAndAddLong(UNFINISHED, 1);
            }
            final boolean spill = message.length > ring.maxMsgLength();
            final byte[] record = spill ? spill(message) : message;
            final int type = spill ? SPILLED : MESSAGE;
            final UnsafeBuffer source = new UnsafeBuffer(record);
            while (!ring.write(type, source, 0, record.length))
            {
                if (closed)
                {
                    undoPut(slot, spill, record);
                    checkOpenWhileWaiting();
                }
                if (Thread.interrupted())
                {
                    undoPut(slot, spill, record);
                    throw new InterruptedException("interrupted while waiting for room in queue " + id());
                }
                if (!waiting.idle())
                {
                    undoPut(slot, spill, record);
                    return false;
                }
            }
            header.getAndAddLong(PUT, 1);
            if (bounded)
            {
                header.getAndAddLong(slotOffset(slot) + SLOT_HELD, -1);
            }
            return true;
        }
        finally
        {
            header.getAndAddLong(slotOffset(slot) + SLOT_WRITING, -1);
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
        final Waiting waiting = new Waiting(timeoutNanos);
        long stuckSince = 0;
        while (true)
        {
            if (ring.size() > 0)
            {
                final byte[] message = takeOne();
                if (null != message)
                {
                    return message;
                }
                if (0 == stuckSince)
                {
                    stuckSince = System.nanoTime();
                }
                else if (System.nanoTime() - stuckSince > STUCK_NANOS)
                {
                    unblockDeadProducer();
                    stuckSince = 0;
                }
            }
            else
            {
                stuckSince = 0;
            }
            checkOpenWhileWaiting();
            if (Thread.interrupted())
            {
                throw new InterruptedException("interrupted while waiting for an item of queue " + id());
            }
            if (!waiting.idle())
            {
                return null;
            }
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
        return (int)Math.max(0, Math.min(Integer.MAX_VALUE, header.getLongVolatile(PUT) - header.getLongVolatile(GOT)));
    }

    /** @return whether a bounded queue has no free place (a snapshot). */
    boolean isFull()
    {
        return bounded && header.getLongVolatile(FREE) <= 0;
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
            final long unfinished = header.getLongVolatile(UNFINISHED);
            if (unfinished <= 0)
            {
                throw new IllegalStateException("taskDone() called more times than there were items on queue " + id());
            }
            if (header.compareAndSetLong(UNFINISHED, unfinished, unfinished - 1))
            {
                break;
            }
        }
        if (dropTaken(slot()))
        {
            return;
        }
        for (int slot = 0; slot < SLOTS; slot++)
        {
            if (dropTaken(slot))
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
    private boolean dropTaken(final int slot)
    {
        final int taken = slotOffset(slot) + SLOT_TAKEN;
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
        final Waiting waiting = new Waiting(timeoutNanos);
        long nextRecovery = System.nanoTime() + RECOVERY_NANOS;
        while (header.getLongVolatile(UNFINISHED) > 0)
        {
            if (System.nanoTime() - nextRecovery >= 0)
            {
                nextRecovery = System.nanoTime() + RECOVERY_NANOS;
                recoverDeadProcesses();
                continue;
            }
            checkOpenWhileWaiting();
            if (Thread.interrupted())
            {
                throw new InterruptedException("interrupted while joining queue " + id());
            }
            if (!waiting.idle())
            {
                return false;
            }
        }
        return true;
    }

    long lostTasks()
    {
        return header.getLongVolatile(LOST);
    }

    /**
     * Ends this handle's use; a put or get of this handle that is waiting throws
     * {@link IllegalStateException}.
     */
    void close()
    {
        closed = true;
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

    private boolean takePlace(final int slot, final Waiting waiting) throws InterruptedException
    {
        long nextRecovery = System.nanoTime() + RECOVERY_NANOS;
        while (true)
        {
            final long free = header.getLongVolatile(FREE);
            if (free > 0 && header.compareAndSetLong(FREE, free, free - 1))
            {
                header.getAndAddLong(slotOffset(slot) + SLOT_HELD, 1);
                return true;
            }
            if (System.nanoTime() - nextRecovery >= 0)
            {
                nextRecovery = System.nanoTime() + RECOVERY_NANOS;
                recoverDeadProcesses();
                continue;
            }
            checkOpenWhileWaiting();
            if (Thread.interrupted())
            {
                throw new InterruptedException("interrupted while waiting for room in queue " + id());
            }
            if (!waiting.idle())
            {
                return false;
            }
        }
    }

    private void undoPut(final int slot, final boolean spill, final byte[] record)
    {
        if (spill)
        {
            quietDelete(spillFile(new UnsafeBuffer(record).getLong(0)));
        }
        if (joinable)
        {
            header.getAndAddLong(UNFINISHED, -1);
        }
        if (bounded)
        {
            header.getAndAddLong(slotOffset(slot) + SLOT_HELD, -1);
            header.getAndAddLong(FREE, 1);
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
        header.getAndAddLong(GOT, 1);
        if (bounded)
        {
            header.getAndAddLong(FREE, 1);
        }
        if (joinable)
        {
            header.getAndAddLong(slotOffset(slot()) + SLOT_TAKEN, 1);
        }
        return SPILLED == type ? unspill(record) : record;
    }

    private void copy(final int type, final org.agrona.MutableDirectBuffer buffer, final int index, final int length)
    {
        final byte[] record = new byte[length];
        buffer.getBytes(index, record);
        takenType = type;
        taken = record;
    }

    private byte[] spill(final byte[] message)
    {
        final long sequence = header.getAndAddLong(SPILL_SEQUENCE, 1);
        final Path file = spillFile(sequence);
        try
        {
            Files.write(file, message);
            RuntimeDirectory.restrictToOwner(file);
        }
        catch (final IOException ex)
        {
            quietDelete(file);
            throw new IpcException("cannot write an element of length=" + message.length + " of queue " + id() +
                " to its spill file " + file + ": " + ex, ex);
        }
        final UnsafeBuffer reference = new UnsafeBuffer(new byte[SPILL_REFERENCE_LENGTH]);
        reference.putLong(0, sequence);
        reference.putInt(Long.BYTES, message.length);
        return reference.byteArray();
    }

    private byte[] unspill(final byte[] reference)
    {
        final Path file = spillFile(new UnsafeBuffer(reference).getLong(0));
        try
        {
            final byte[] message = Files.readAllBytes(file);
            quietDelete(file);
            return message;
        }
        catch (final NoSuchFileException ex)
        {
            throw new IpcException("the spill file of an element of queue " + id() + " is gone: " + file, ex);
        }
        catch (final IOException ex)
        {
            throw new IpcException("cannot read the spill file of an element of queue " + id() + ": " + ex, ex);
        }
    }

    private Path spillFile(final long sequence)
    {
        return RuntimeDirectory.groupEntry(KIND, id(), "spill-" + sequence);
    }

    /**
     * The reader is stuck on a record that was claimed and never committed: if no live process has
     * a put in progress, the producer that claimed it died, so the record becomes padding.
     */
    private void unblockDeadProducer()
    {
        for (int slot = 0; slot < SLOTS; slot++)
        {
            final long token = header.getLongVolatile(slotOffset(slot));
            if (0 != token && header.getLongVolatile(slotOffset(slot) + SLOT_WRITING) > 0 &&
                ProcessIdentity.isAliveToken(token))
            {
                return;
            }
        }
        if (ring.unblock() && joinable)
        {
            header.getAndAddLong(UNFINISHED, -1);
        }
    }

    /** Gives back what processes that died held: free places, and unfinished tasks (as lost). */
    private void recoverDeadProcesses()
    {
        for (int slot = 0; slot < SLOTS; slot++)
        {
            final int at = slotOffset(slot);
            final long token = header.getLongVolatile(at);
            if (0 == token || token == ProcessIdentity.currentLongToken() || ProcessIdentity.isAliveToken(token))
            {
                continue;
            }
            final long held = header.getAndSetLong(at + SLOT_HELD, 0);
            if (held > 0)
            {
                header.getAndAddLong(FREE, held);
            }
            final long gotNotDone = header.getAndSetLong(at + SLOT_TAKEN, 0);
            if (gotNotDone > 0)
            {
                header.getAndAddLong(UNFINISHED, -gotNotDone);
                header.getAndAddLong(LOST, gotNotDone);
            }
            if (0 == header.getLongVolatile(at + SLOT_WRITING))
            {
                header.compareAndSetLong(at, token, 0);
            }
        }
    }

    /** @return this process's slot in the process table, claimed on first use. */
    private int slot()
    {
        final int known = ownSlot[0];
        if (known >= 0)
        {
            return known;
        }
        synchronized (ownSlot)
        {
            if (ownSlot[0] >= 0)
            {
                return ownSlot[0];
            }
            final long token = ProcessIdentity.currentLongToken();
            for (int slot = 0; slot < SLOTS; slot++)
            {
                if (header.getLongVolatile(slotOffset(slot)) == token)
                {
                    ownSlot[0] = slot;
                    return slot;
                }
            }
            for (int pass = 0; pass < 2; pass++)
            {
                for (int slot = 0; slot < SLOTS; slot++)
                {
                    if (header.compareAndSetLong(slotOffset(slot), 0, token))
                    {
                        ownSlot[0] = slot;
                        return slot;
                    }
                }
                recoverDeadProcesses();
            }
            throw new IpcException("more than " + SLOTS + " processes use queue " + id());
        }
    }

    private static int slotOffset(final int slot)
    {
        return SLOTS_OFFSET + slot * SLOT_LENGTH;
    }

    private static void quietDelete(final Path file)
    {
        try
        {
            Files.deleteIfExists(file);
        }
        catch (final IOException ignore)
        {
            // removed with the queue
        }
    }
}
