package dev.ipckit.shm;

import dev.ipckit.IpcException;
import dev.ipckit.RuntimeDirectory;
import dev.ipckit.internal.AgronaAccess;
import dev.ipckit.internal.Handle;
import dev.ipckit.internal.MappedFiles;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.nio.MappedByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A named block of shared memory: Python's {@code multiprocessing.shared_memory.SharedMemory}. It
 * is the file {@code <runtime dir>/<name>}, mapped into every process that creates or attaches
 * it, and stays until {@link #unlink()}, even after every process has closed it.
 * <pre>{@code
 * try (SharedMemory shm = SharedMemory.create("frames", 1 << 20)) {
 *     shm.buffer().putLongVolatile(0, 42);
 *     IpcProcess.start(() -> {
 *         try (SharedMemory same = SharedMemory.attach("frames")) { same.buffer().getLongVolatile(0); }
 *     }).join();
 *     shm.unlink();
 * }
 * }</pre>
 * {@link #buffer()} is an Agrona {@link AtomicBuffer}: plain, ordered, volatile and CAS accesses
 * of any primitive at any offset. A size up to {@value MappedFiles#MAX_SIZE} bytes; before
 * creating, the free space of the file system is checked, so a full {@code /dev/shm} is an
 * {@link IpcException} rather than a crash at the first touch of a page. It is created under a
 * temporary name and linked to its name when complete, so {@link #attach} never sees a half-made
 * one. It travels to other processes as its name, and attaches there.
 * <p>
 * <b>Note:</b> thread-safe. {@link #close()} unmaps the memory at once, as CPython's does: a
 * buffer obtained before must not be used after it (that can crash the JVM); this object's own
 * methods then throw {@link IllegalStateException}.
 */
public final class SharedMemory implements AutoCloseable, Serializable
{
    private static final long serialVersionUID = 1L;

    /** The block's name in the runtime directory; the handle carries it. */
    private final String name;
    private final transient MappedByteBuffer mapped;
    private final transient UnsafeBuffer buffer;
    private final transient AtomicBoolean closed = new AtomicBoolean();

    private SharedMemory(final String name, final MappedByteBuffer mapped)
    {
        this.name = name;
        this.mapped = mapped;
        this.buffer = new UnsafeBuffer(mapped);
    }

    /**
     * Creates a block of shared memory, zero-filled.
     *
     * @param name its name, {@code [A-Za-z0-9._-]{1,200}}, not starting with {@code .}.
     * @param size its length in bytes.
     * @return the block, mapped.
     * @throws IllegalArgumentException if the name or size is invalid.
     * @throws IpcException             if a block of that name exists, or there is no room.
     */
    public static SharedMemory create(final String name, final long size)
    {
        AgronaAccess.check();
        RuntimeDirectory.validateName(name);
        if (size < 1 || size > MappedFiles.MAX_SIZE)
        {
            throw new IllegalArgumentException(
                "shared memory size must be in 1.." + MappedFiles.MAX_SIZE + ", size=" + size);
        }
        final Path file = RuntimeDirectory.path().resolve(name);
        final String id = RuntimeDirectory.newId();
        final Path owner = RuntimeDirectory.groupEntry("shm-new", id, Long.toString(ProcessHandle.current().pid()));
        final Path partial = RuntimeDirectory.groupEntry("shm-new", id, "data");
        try
        {
            RuntimeDirectory.claim(owner);
            try
            {
                final MappedByteBuffer mapped = MappedFiles.create(partial, size);
                Files.createLink(file, partial);
                return new SharedMemory(name, mapped);
            }
            finally
            {
                Files.deleteIfExists(partial);
                Files.deleteIfExists(owner);
            }
        }
        catch (final FileAlreadyExistsException ex)
        {
            throw new IpcException("shared memory name=" + name + " exists already (" + file + "); attach it, " +
                "or unlink it first", ex);
        }
        catch (final IOException ex)
        {
            throw new IpcException("cannot create shared memory name=" + name + " in " + file.getParent() + ": " + ex,
                ex);
        }
    }

    /**
     * Attaches an existing block of shared memory.
     *
     * @param name its name.
     * @return the block, mapped.
     * @throws IllegalArgumentException if the name is invalid.
     * @throws IpcException             if no block of that name exists.
     */
    public static SharedMemory attach(final String name)
    {
        AgronaAccess.check();
        RuntimeDirectory.validateName(name);
        final Path file = RuntimeDirectory.path().resolve(name);
        try
        {
            return new SharedMemory(name, MappedFiles.map(file));
        }
        catch (final NoSuchFileException ex)
        {
            throw new IpcException("no shared memory name=" + name + " (" + file + ")", ex);
        }
        catch (final IOException ex)
        {
            throw new IpcException("cannot attach shared memory name=" + name + ": " + ex, ex);
        }
    }

    /**
     * @return the name.
     */
    public String name()
    {
        return name;
    }

    /**
     * @return the length in bytes.
     */
    public long size()
    {
        return buffer.capacity();
    }

    /**
     * @return the memory, indexed from 0 to {@code size() - 1}.
     * @throws IllegalStateException if closed.
     */
    public AtomicBuffer buffer()
    {
        if (closed.get())
        {
            throw new IllegalStateException("closed: shared memory name=" + name);
        }
        return buffer;
    }

    /**
     * Unmaps the memory from this process; idempotent. The block itself stays until
     * {@link #unlink()}.
     */
    @Override
    public void close()
    {
        if (closed.compareAndSet(false, true))
        {
            MappedFiles.unmap(mapped);
        }
    }

    /**
     * Removes the name: the memory goes once every process has closed it. Another block can then
     * be created under the name. Idempotent.
     */
    public void unlink()
    {
        try
        {
            Files.deleteIfExists(RuntimeDirectory.path().resolve(name));
        }
        catch (final IOException ex)
        {
            throw new IpcException("cannot unlink shared memory name=" + name + ": " + ex, ex);
        }
    }

    @Override
    public String toString()
    {
        return "SharedMemory{name=" + name + ", size=" + buffer.capacity() + (closed.get() ? ", closed" : "") + '}';
    }

    /**
     * @return the handle that crosses a process boundary: the name.
     * @throws ObjectStreamException never.
     */
    private Object writeReplace() throws ObjectStreamException
    {
        return Handle.named(SharedKind.MEMORY, name, null);
    }
}
