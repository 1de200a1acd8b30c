package dev.ipckit.tools;

import dev.ipckit.internal.ProcessIdentity;
import dev.ipckit.internal.ProcessTableDescriptor;
import dev.ipckit.internal.RegionDescriptor;
import dev.ipckit.queue.QueueDescriptor;
import dev.ipckit.sync.PermitCounterDescriptor;
import dev.ipckit.sync.SyncDescriptor;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a region file ({@code <kind>@<id>.data}) mapped read-only, checks its header
 * ({@link RegionDescriptor}) and decodes the payload of the kinds it knows through their
 * descriptors. A file whose header does not check out is reported in {@link Entry#problem} and its
 * payload is not read.
 * <p>
 * <b>Note:</b> stateless; reads are acquire loads of a live mapping, so each value is one a writer
 * stored, though values read one after the other may come from different moments.
 */
final class RegionReader
{
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private final ByteBuffer map;
    private final int payloadLength;

    private RegionReader(final ByteBuffer map, final int payloadLength)
    {
        this.map = map;
        this.payloadLength = payloadLength;
    }

    /**
     * Fills {@code entry} from its region file.
     *
     * @param rawKind the kind in the file name.
     * @param file    the region file.
     * @param entry   what to fill: size, state, process-table slots, or a problem.
     */
    static void read(final String rawKind, final Path file, final Entry entry)
    {
        final ByteBuffer map;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            entry.size = channel.size();
            if (entry.size < RegionDescriptor.HEADER_LENGTH)
            {
                entry.problem = "not an ipckit region: size=" + entry.size + " is below the header's " +
                    RegionDescriptor.HEADER_LENGTH + " bytes";
                return;
            }
            map = channel.map(FileChannel.MapMode.READ_ONLY, 0, entry.size).order(ByteOrder.nativeOrder());
        }
        catch (final IOException ex)
        {
            entry.problem = "cannot read " + file.getFileName() + ": " + ex;
            return;
        }
        final int magic = (int)INT.getAcquire(map, RegionDescriptor.MAGIC_OFFSET);
        final int version = (int)INT.getAcquire(map, RegionDescriptor.VERSION_OFFSET);
        final int kindHash = (int)INT.getAcquire(map, RegionDescriptor.KIND_OFFSET);
        final int length = (int)INT.getAcquire(map, RegionDescriptor.LENGTH_OFFSET);
        if (0 == magic)
        {
            entry.problem = "not ready: its creator is still writing it, or died doing so";
        }
        else if (RegionDescriptor.MAGIC != magic)
        {
            entry.problem = "not an ipckit region: magic=0x" + Integer.toHexString(magic);
        }
        else if (RegionDescriptor.VERSION != version)
        {
            entry.problem = "layout version=" + version + ", this inspector reads version=" + RegionDescriptor.VERSION;
        }
        else if (RegionDescriptor.kindHash(rawKind) != kindHash)
        {
            entry.problem = "header kind=0x" + Integer.toHexString(kindHash) + " is not that of a " + rawKind;
        }
        else if (length < 0 || RegionDescriptor.HEADER_LENGTH + (long)length > entry.size)
        {
            entry.problem = "payload length=" + length + " does not fit in size=" + entry.size;
        }
        else
        {
            try
            {
                new RegionReader(map, length).decode(rawKind, entry);
            }
            catch (final IndexOutOfBoundsException ex)
            {
                entry.problem = "payload length=" + length + " is too short for a " + rawKind;
            }
        }
    }

    private void decode(final String rawKind, final Entry entry)
    {
        switch (rawKind)
        {
            case QueueDescriptor.KIND -> queue(entry);
            case PermitCounterDescriptor.SEMAPHORE_KIND, PermitCounterDescriptor.BOUNDED_SEMAPHORE_KIND ->
                semaphore(entry);
            case SyncDescriptor.LOCK_KIND, SyncDescriptor.RLOCK_KIND -> lock(entry);
            case SyncDescriptor.EVENT_KIND -> entry.state.put("set", 0 != readInt(SyncDescriptor.EVENT_FLAG_OFFSET));
            case SyncDescriptor.BARRIER_KIND -> barrier(entry);
            default -> entry.state.put("bytes", payloadLength);
        }
    }

    private void queue(final Entry entry)
    {
        final int capacity = payloadLength - QueueDescriptor.RING_OFFSET - RingBufferDescriptor.TRAILER_LENGTH;
        if (capacity <= 0 || Integer.bitCount(capacity) != 1)
        {
            entry.problem = "payload length=" + payloadLength + " is not that of a queue";
            return;
        }
        final boolean joinable = 0 != (readInt(QueueDescriptor.FLAGS_OFFSET) & QueueDescriptor.JOINABLE_FLAG);
        final long got = readLong(QueueDescriptor.GOT_OFFSET);
        final long put = readLong(QueueDescriptor.PUT_OFFSET);
        final int trailer = QueueDescriptor.RING_OFFSET + capacity;
        final long head = readLong(trailer + RingBufferDescriptor.HEAD_POSITION_OFFSET);
        final long tail = readLong(trailer + RingBufferDescriptor.TAIL_POSITION_OFFSET);
        entry.state.put("items", Math.max(0, put - got));
        entry.state.put("bytesUsed", Math.max(0, tail - head));
        entry.state.put("capacity", capacity);
        entry.state.put("maxSize", readLong(QueueDescriptor.MAX_SIZE_OFFSET));
        entry.state.put("joinable", joinable);
        entry.state.put("unfinished", joinable ? readLong(QueueDescriptor.UNFINISHED_OFFSET) : 0L);
        entry.state.put("lost", joinable ? readLong(QueueDescriptor.LOST_OFFSET) : 0L);
        int putting = 0;
        int consuming = 0;
        for (int slot = 0; slot < ProcessTableDescriptor.SLOTS; slot++)
        {
            final int offset = ProcessTableDescriptor.slotOffset(QueueDescriptor.TABLE_OFFSET, slot);
            final long token = readLong(offset + ProcessTableDescriptor.TOKEN_OFFSET);
            if (0 == token)
            {
                continue;
            }
            long claims = 0;
            for (int lane = 0; lane < QueueDescriptor.CLAIM_LANES; lane++)
            {
                claims += 0 != readLong(QueueDescriptor.claimOffset(offset, lane)) ? 1 : 0;
            }
            final long taken = readLong(QueueDescriptor.takenOffset(offset));
            putting += claims > 0 ? 1 : 0;
            consuming += taken > 0 ? 1 : 0;
            final Map<String, Object> row = slot(entry, token);
            row.put("placesHeld", readLong(QueueDescriptor.heldOffset(offset)));
            row.put("getsNotDone", taken);
            row.put("putsInProgress", claims);
        }
        entry.state.put("attached", entry.slots.size());
        entry.state.put("putting", putting);
        entry.state.put("consumersWithTasks", consuming);
    }

    private void semaphore(final Entry entry)
    {
        entry.state.put("permits", readLong(PermitCounterDescriptor.COUNT_OFFSET));
        final long bound = readLong(PermitCounterDescriptor.BOUND_OFFSET);
        entry.state.put("bound", bound < 0 ? null : bound);
        for (int slot = 0; slot < ProcessTableDescriptor.SLOTS; slot++)
        {
            final int offset = ProcessTableDescriptor.slotOffset(PermitCounterDescriptor.TABLE_OFFSET, slot);
            final long token = readLong(offset + ProcessTableDescriptor.TOKEN_OFFSET);
            if (0 != token)
            {
                slot(entry, token).put("permitsHeld", readLong(PermitCounterDescriptor.heldOffset(offset)));
            }
        }
    }

    private void lock(final Entry entry)
    {
        final long token = readLong(SyncDescriptor.LOCK_WORD_OFFSET);
        if (0 == token)
        {
            entry.state.put("owner", null);
        }
        else
        {
            entry.state.put("owner", ProcessIdentity.pidOfToken(token));
            entry.state.put("ownerAlive", ProcessIdentity.isAliveToken(token));
        }
        if (payloadLength < SyncDescriptor.LOCK_LENGTH)
        {
            return;
        }
        final Map<Long, Map<String, Object>> byToken = new LinkedHashMap<>();
        int waiters = 0;
        int deadWaiters = 0;
        for (int slot = 0; slot < SyncDescriptor.LOCK_WAITER_SLOTS; slot++)
        {
            final long waiter = readLong(SyncDescriptor.LOCK_WAITERS_OFFSET + slot * Long.BYTES);
            if (0 != waiter)
            {
                final Map<String, Object> row = byToken.computeIfAbsent(waiter, t -> slot(entry, t));
                row.merge("threadsWaiting", 1, (a, b) -> (Integer)a + (Integer)b);
                if (Boolean.TRUE.equals(row.get("alive")))
                {
                    waiters++;
                }
                else
                {
                    deadWaiters++;
                }
            }
        }
        entry.state.put("waiters", waiters);
        if (deadWaiters > 0)
        {
            entry.state.put("deadWaiterSlots", deadWaiters);
        }
        if (waiters + deadWaiters == SyncDescriptor.LOCK_WAITER_SLOTS)
        {
            entry.state.put("waiterTableFull", true);
        }
    }

    private void barrier(final Entry entry)
    {
        final long state = readLong(SyncDescriptor.BARRIER_STATE_OFFSET);
        entry.state.put("parties", readInt(SyncDescriptor.BARRIER_PARTIES_OFFSET));
        entry.state.put("waiting", state & SyncDescriptor.BARRIER_COUNT_MASK);
        entry.state.put("broken", 0 != (state & SyncDescriptor.BARRIER_BROKEN));
    }

    private Map<String, Object> slot(final Entry entry, final long token)
    {
        final long pid = ProcessIdentity.pidOfToken(token);
        final boolean alive = ProcessIdentity.isAliveToken(token);
        entry.addHolder(pid, alive);
        final Map<String, Object> row = new LinkedHashMap<>();
        row.put("pid", pid);
        row.put("alive", alive);
        entry.slots.add(row);
        return row;
    }

    private long readLong(final int payloadOffset)
    {
        checkBounds(payloadOffset, Long.BYTES);
        return (long)LONG.getAcquire(map, RegionDescriptor.HEADER_LENGTH + payloadOffset);
    }

    private int readInt(final int payloadOffset)
    {
        checkBounds(payloadOffset, Integer.BYTES);
        return (int)INT.getAcquire(map, RegionDescriptor.HEADER_LENGTH + payloadOffset);
    }

    private void checkBounds(final int payloadOffset, final int width)
    {
        if (payloadOffset < 0 || payloadOffset + width > payloadLength)
        {
            throw new IndexOutOfBoundsException(
                "offset=" + payloadOffset + " beyond payload length=" + payloadLength);
        }
    }
}
