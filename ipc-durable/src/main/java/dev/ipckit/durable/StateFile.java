package dev.ipckit.durable;

import dev.ipckit.IpcException;
import dev.ipckit.internal.MappedFiles;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Creates or maps a queue's {@value StateDescriptor#FILE_NAME}. The creator makes the file, maps it
 * at its full length, writes the version, then the magic number last with a volatile store; a
 * process that opens the file while it is being made waits for its length, then for the magic
 * number (up to 5 s each).
 * <p>
 * <b>Note:</b> stateless; thread-safe.
 */
final class StateFile
{
    private static final long READY_PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(5);

    private StateFile()
    {
    }

    /**
     * @param dir the queue's directory, which exists.
     * @return the whole file, mapped.
     * @throws IpcException if it cannot be made or mapped, or is not a durable queue's state.
     */
    static UnsafeBuffer map(final Path dir)
    {
        final Path file = dir.resolve(StateDescriptor.FILE_NAME);
        try
        {
            try
            {
                final MappedByteBuffer mapped = MappedFiles.create(file, StateDescriptor.FILE_LENGTH);
                final UnsafeBuffer state = new UnsafeBuffer(mapped);
                state.putLong(StateDescriptor.LAST_READ_INDEX_OFFSET, StateDescriptor.NO_INDEX);
                state.putInt(StateDescriptor.VERSION_OFFSET, StateDescriptor.VERSION);
                state.putIntVolatile(StateDescriptor.MAGIC_OFFSET, StateDescriptor.MAGIC);
                return state;
            }
            catch (final FileAlreadyExistsException ex)
            {
                awaitLength(file);
                final MappedByteBuffer mapped = MappedFiles.map(file);
                if (mapped.capacity() != StateDescriptor.FILE_LENGTH)
                {
                    throw new IpcException("not a durable queue's state: " + file + " (length=" + mapped.capacity() +
                        ", expected length=" + StateDescriptor.FILE_LENGTH + ")");
                }
                final UnsafeBuffer state = new UnsafeBuffer(mapped);
                awaitReady(state, file);
                return state;
            }
        }
        catch (final IOException ex)
        {
            throw new IpcException("cannot open durable queue state " + file + ": " + ex, ex);
        }
    }

    /** The creator makes the file empty, then maps it at its length: another process may look in between. */
    private static void awaitLength(final Path file) throws IOException
    {
        final long deadline = System.nanoTime() + READY_PATIENCE_NANOS;
        while (Files.size(file) < StateDescriptor.FILE_LENGTH && System.nanoTime() - deadline < 0)
        {
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
        }
    }

    private static void awaitReady(final UnsafeBuffer state, final Path file)
    {
        final long deadline = System.nanoTime() + READY_PATIENCE_NANOS;
        while (state.getIntVolatile(StateDescriptor.MAGIC_OFFSET) != StateDescriptor.MAGIC)
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new IpcException("not a durable queue's state, or its creator died making it: " + file +
                    " (magic=0x" + Integer.toHexString(state.getIntVolatile(StateDescriptor.MAGIC_OFFSET)) + ")");
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
        }
        if (state.getInt(StateDescriptor.VERSION_OFFSET) != StateDescriptor.VERSION)
        {
            throw new IpcException("durable queue " + file.getParent() + " has another layout: version=" +
                state.getInt(StateDescriptor.VERSION_OFFSET) + ", expected version=" + StateDescriptor.VERSION);
        }
    }
}
