package dev.ipckit.internal;

import dev.ipckit.Configuration;
import dev.ipckit.IpcException;
import org.agrona.IoUtil;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;

/**
 * Creating, mapping and unmapping the files behind shared memory, with the failures turned into
 * clear exceptions: a full {@code /dev/shm} is reported before it can crash the JVM with SIGBUS at
 * first touch of a page.
 * <p>
 * <b>Note:</b> internal to ipckit; stateless and thread-safe.
 */
public final class MappedFiles
{
    /** Largest mapping: Agrona buffers are indexed by {@code int}. */
    public static final long MAX_SIZE = Integer.MAX_VALUE - 4096L;

    private MappedFiles()
    {
    }

    /**
     * Creates a file of {@code size} bytes, readable and writable by its owner only, and maps it.
     *
     * @param file where; must not exist.
     * @param size its length.
     * @return the mapping, zero-filled.
     * @throws FileAlreadyExistsException if the file exists.
     * @throws IpcException               if the file system has no room for it.
     * @throws IOException                on another failure.
     */
    public static MappedByteBuffer create(final Path file, final long size) throws IOException
    {
        checkSize(size);
        final long free = file.getParent().toFile().getUsableSpace();
        if (free < size)
        {
            throw new IpcException("not enough room for " + size + " bytes of shared memory in " + file.getParent() +
                ": free=" + free + " (enlarge /dev/shm, or set -D" + Configuration.DIR_PROP_NAME +
                " to a directory on a larger file system)");
        }
        try (FileChannel channel = FileChannel.open(file,
            EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))))
        {
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
        }
    }

    /**
     * Maps an existing file, all of it.
     *
     * @param file the file.
     * @return the mapping.
     * @throws NoSuchFileException if the file does not exist.
     * @throws IOException         on another failure.
     */
    public static MappedByteBuffer map(final Path file) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final long size = channel.size();
            checkSize(size);
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
        }
    }

    /**
     * Unmaps at once, rather than when the buffer is collected; the buffer must not be used again.
     *
     * @param buffer the mapping.
     */
    public static void unmap(final MappedByteBuffer buffer)
    {
        IoUtil.unmap(buffer);
    }

    private static void checkSize(final long size)
    {
        if (size < 0 || size > MAX_SIZE)
        {
            throw new IllegalArgumentException("shared memory size must be in 0.." + MAX_SIZE + ", size=" + size);
        }
    }
}
