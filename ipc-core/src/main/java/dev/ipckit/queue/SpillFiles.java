package dev.ipckit.queue;

import dev.ipckit.IpcException;
import dev.ipckit.RuntimeDirectory;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The files of a queue's elements too long for its ring: {@code queue@<id>.spill-<sequence>} in the
 * runtime directory, numbered by a sequence in the queue's header; the ring carries a reference
 * (sequence and length). Unread files are removed with the queue.
 * <p>
 * <b>Note:</b> thread-safe.
 */
final class SpillFiles
{
    private static final int REFERENCE_LENGTH = Long.BYTES + Integer.BYTES;

    private final String queueId;
    private final AtomicBuffer header;

    SpillFiles(final String queueId, final AtomicBuffer header)
    {
        this.queueId = queueId;
        this.header = header;
    }

    /**
     * @param message an element.
     * @return the reference to put in the ring.
     * @throws IpcException if the file cannot be written.
     */
    byte[] write(final byte[] message)
    {
        final long sequence = header.getAndAddLong(QueueDescriptor.SPILL_SEQUENCE_OFFSET, 1);
        final Path file = file(sequence);
        try
        {
            Files.write(file, message);
            RuntimeDirectory.restrictToOwner(file);
        }
        catch (final IOException ex)
        {
            quietDelete(file);
            throw new IpcException("cannot write an element of length=" + message.length + " of queue " + queueId +
                " to its spill file " + file + ": " + ex, ex);
        }
        final UnsafeBuffer reference = new UnsafeBuffer(new byte[REFERENCE_LENGTH]);
        reference.putLong(0, sequence);
        reference.putInt(Long.BYTES, message.length);
        return reference.byteArray();
    }

    /**
     * @param reference from {@link #write(byte[])}.
     * @return the element; its file is removed.
     * @throws IpcException if the file is gone or cannot be read.
     */
    byte[] read(final byte[] reference)
    {
        final Path file = file(new UnsafeBuffer(reference).getLong(0));
        try
        {
            final byte[] message = Files.readAllBytes(file);
            quietDelete(file);
            return message;
        }
        catch (final NoSuchFileException ex)
        {
            throw new IpcException("the spill file of an element of queue " + queueId + " is gone: " + file, ex);
        }
        catch (final IOException ex)
        {
            throw new IpcException("cannot read the spill file of an element of queue " + queueId + ": " + ex, ex);
        }
    }

    /**
     * Removes the file of an element that was not put after all.
     *
     * @param reference from {@link #write(byte[])}.
     */
    void discard(final byte[] reference)
    {
        quietDelete(file(new UnsafeBuffer(reference).getLong(0)));
    }

    private Path file(final long sequence)
    {
        return RuntimeDirectory.groupEntry(QueueEngine.KIND, queueId, "spill-" + sequence);
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
