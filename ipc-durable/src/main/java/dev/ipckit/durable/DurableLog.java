package dev.ipckit.durable;

import dev.ipckit.IpcException;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.impl.single.TableStoreWriteLock;
import net.openhft.chronicle.threads.Pauser;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The items of a durable queue, in one Chronicle Queue: each excerpt is the item's sequence number
 * (8 bytes) followed by its encoded bytes. This JVM's appender and tailers are used only under the
 * queue's append and consume locks ({@link ProcessMutex}), so Chronicle's own write lock is never
 * contended, and one left by a process that died appending can be forced at once.
 * <p>
 * <b>Note:</b> not thread-safe: appends happen under the append lock, reads under the consume lock.
 */
final class DurableLog implements AutoCloseable
{
    /** What {@link #readNext} and {@link #readAt} fill in. */
    static final class Excerpt
    {
        long index;
        long sequence;
        byte[] data;
    }

    private final SingleChronicleQueue queue;
    private final Path dir;
    private ExcerptAppender appender;
    private ExcerptTailer tailer;
    private ExcerptTailer seeker;
    private long tailerLastIndex = StateDescriptor.NO_INDEX;

    private DurableLog(final SingleChronicleQueue queue, final Path dir)
    {
        this.queue = queue;
        this.dir = dir;
    }

    /**
     * @param dir       the queue's directory.
     * @param rollCycle the roll cycle for a new log (an existing one keeps its own).
     * @return the log.
     */
    static DurableLog open(final Path dir, final RollCycle rollCycle)
    {
        final SingleChronicleQueue queue = SingleChronicleQueueBuilder.single(dir.toFile())
            .rollCycle(rollCycle)
            .checkInterrupts(false)
            .build();
        return new DurableLog(queue, dir);
    }

    /**
     * Appends one item; under the append lock.
     *
     * @param sequence its sequence number.
     * @param data     its bytes.
     * @param sync     whether to write the excerpt to the disk ({@code msync}) before returning.
     */
    void append(final long sequence, final byte[] data, final boolean sync)
    {
        final ExcerptAppender appender = appender();
        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> bytes = dc.wire().bytes();
            bytes.writeLong(sequence);
            bytes.write(data);
        }
        if (sync)
        {
            appender.sync();
        }
    }

    /**
     * Repairs what an appender that died left, under the append lock taken over from it: Chronicle's
     * write lock, which still names the dead process, is forced (no live process can hold it, since
     * every append happens under the append lock). The dead appender's incomplete excerpt is never
     * delivered: readers wait at it, and the next append overwrites it.
     */
    void forceWriteLock()
    {
        final TableStoreWriteLock lock = new TableStoreWriteLock(queue.metaStore(), Pauser::balanced, 0L);
        try
        {
            lock.forceUnlock();
        }
        finally
        {
            lock.close();
        }
    }

    /**
     * @return the sequence number of the last complete excerpt, or -1 if the log has none.
     */
    long lastSequence()
    {
        try (ExcerptTailer backward = queue.createTailer().direction(TailerDirection.BACKWARD).toEnd();
             DocumentContext dc = backward.readingDocument())
        {
            return dc.isPresent() ? dc.wire().bytes().readLong() : -1;
        }
    }

    /**
     * Reads the excerpt after {@code lastIndex}; under the consume lock.
     *
     * @param lastIndex the index of the last excerpt read by any process, or
     *                  {@link StateDescriptor#NO_INDEX}.
     * @param into      filled in when there is one.
     * @return false if there is none yet.
     */
    boolean readNext(final long lastIndex, final Excerpt into)
    {
        if (null == tailer)
        {
            tailer = anyThread(queue.createTailer());
        }
        if (lastIndex != tailerLastIndex)
        {
            position(tailer, lastIndex);
            tailerLastIndex = lastIndex;
        }
        if (!read(tailer, into))
        {
            return false;
        }
        tailerLastIndex = into.index;
        return true;
    }

    /**
     * Reads the excerpt at {@code index} again; under the consume lock.
     *
     * @param index its index.
     * @param into  filled in.
     * @throws IpcException if the log no longer holds it.
     */
    void readAt(final long index, final Excerpt into)
    {
        if (null == seeker)
        {
            seeker = anyThread(queue.createTailer());
        }
        if (!seeker.moveToIndex(index) || !read(seeker, into))
        {
            throw new IpcException("durable queue " + dir + " lost the item at index=" + Long.toHexString(index) +
                " that it must deliver again (were its files removed?)");
        }
    }

    /**
     * @param index an index of the log.
     * @return the roll cycle it is in.
     */
    int cycleOf(final long index)
    {
        return queue.rollCycle().toCycle(index);
    }

    /**
     * Deletes the files of the cycles before {@code cycle}, whose items are all done.
     *
     * @param cycle the first cycle to keep.
     * @return how many files were deleted.
     */
    int deleteCyclesBefore(final int cycle)
    {
        final int first = queue.firstCycle();
        if (Integer.MAX_VALUE == first || first >= cycle)
        {
            return 0;
        }
        final RollCycle rollCycle = queue.rollCycle();
        final DateTimeFormatter format = DateTimeFormatter.ofPattern(rollCycle.format()).withZone(ZoneOffset.UTC);
        int deleted = 0;
        for (final Long c : queue.listCyclesBetween(first, queue.lastCycle()).headSet((long)cycle))
        {
            final Instant start = Instant.ofEpochMilli(queue.epoch() + c * (long)rollCycle.lengthInMillis());
            try
            {
                if (Files.deleteIfExists(dir.resolve(format.format(start) + SingleChronicleQueue.SUFFIX)))
                {
                    deleted++;
                }
            }
            catch (final IOException ex)
            {
                throw new IpcException("cannot delete a finished file of durable queue " + dir + ": " + ex, ex);
            }
        }
        if (deleted > 0)
        {
            queue.refreshDirectoryListing();
        }
        return deleted;
    }

    @Override
    public void close()
    {
        queue.close();
    }

    ExcerptAppender appender()
    {
        if (null == appender)
        {
            appender = queue.createAppender();
            appender.singleThreadedCheckDisabled(true);
        }
        return appender;
    }

    /** The threads of this JVM take turns under the queue's locks, so any of them may use it. */
    private static ExcerptTailer anyThread(final ExcerptTailer tailer)
    {
        tailer.singleThreadedCheckDisabled(true);
        return tailer;
    }

    private void position(final ExcerptTailer tailer, final long lastIndex)
    {
        if (StateDescriptor.NO_INDEX == lastIndex)
        {
            tailer.toStart();
            return;
        }
        if (!tailer.moveToIndex(lastIndex))
        {
            throw new IpcException("durable queue " + dir + " lost the last item read, index=" +
                Long.toHexString(lastIndex) + " (were its files removed?)");
        }
        try (DocumentContext dc = tailer.readingDocument())
        {
            if (!dc.isPresent())
            {
                throw new IpcException("durable queue " + dir + " cannot read at index=" + Long.toHexString(lastIndex));
            }
        }
    }

    private static boolean read(final ExcerptTailer tailer, final Excerpt into)
    {
        try (DocumentContext dc = tailer.readingDocument())
        {
            if (!dc.isPresent())
            {
                return false;
            }
            final Bytes<?> bytes = dc.wire().bytes();
            into.index = dc.index();
            into.sequence = bytes.readLong();
            final byte[] data = new byte[(int)bytes.readRemaining()];
            bytes.read(data);
            into.data = data;
            return true;
        }
    }
}
