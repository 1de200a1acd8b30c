package dev.ipckit.shm;

import dev.ipckit.internal.Handle;
import dev.ipckit.internal.SharedRegion;
import dev.ipckit.sync.IpcRLock;
import org.agrona.concurrent.AtomicBuffer;

import java.io.ObjectStreamException;
import java.io.Serializable;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the shared values and arrays have in common: a region of shared memory laid out as
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                Lock word ({@link IpcRLock}), 64 bits           |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                     Flags (bit 0: has a lock)                 |
 *  +---------------------------------------------------------------+
 *  |              Length in elements, then reserved to byte 64    ...
 *  +---------------------------------------------------------------+
 *  |                     Elements (8-byte aligned) ...            ...
 *  +---------------------------------------------------------------+
 * </pre>
 * and a handle (kind and id) that attaches the same region in another process.
 */
abstract class SharedPrimitive implements AutoCloseable, Serializable
{
    private static final long serialVersionUID = 1L;
    static final int FLAGS_OFFSET = 8;
    static final int LENGTH_OFFSET = 12;
    static final int DATA_OFFSET = 64;
    private static final int HAS_LOCK = 1;

    final transient SharedRegion region;
    final transient AtomicBuffer buffer;
    private final transient IpcRLock lock;
    private final transient AtomicBoolean closed = new AtomicBoolean();

    SharedPrimitive(final SharedRegion region)
    {
        this.region = region;
        this.buffer = region.payload();
        this.lock = 0 != (buffer.getIntVolatile(FLAGS_OFFSET) & HAS_LOCK) ? IpcRLock.embeddedIn(region, 0) : null;
    }

    /**
     * @param kind        names the type in the file name.
     * @param length      elements.
     * @param elementSize bytes per element.
     * @param lock        whether it carries a lock.
     * @return a new region, laid out.
     */
    static SharedRegion newRegion(final String kind, final int length, final int elementSize, final boolean lock)
    {
        if (length < 0)
        {
            throw new IllegalArgumentException("length must not be negative, length=" + length);
        }
        final long bytes = DATA_OFFSET + (long)length * elementSize;
        if (bytes > Integer.MAX_VALUE - SharedRegion.HEADER_LENGTH - 64)
        {
            throw new IllegalArgumentException("length=" + length + " is too long for shared memory, at most " +
                (Integer.MAX_VALUE - SharedRegion.HEADER_LENGTH - 128 - DATA_OFFSET) / elementSize);
        }
        final SharedRegion region = SharedRegion.create(kind, (int)bytes);
        region.payload().putInt(LENGTH_OFFSET, length);
        region.payload().putIntVolatile(FLAGS_OFFSET, lock ? HAS_LOCK : 0);
        return region;
    }

    /**
     * @return the lock that comes with this value, for compound updates
     * ({@code lock(); try { v.set(v.get() + 1); } finally { unlock(); }}).
     * @throws IllegalStateException if it was created without a lock.
     */
    public IpcRLock getLock()
    {
        checkOpen();
        if (null == lock)
        {
            throw new IllegalStateException("created without a lock: " + this);
        }
        return lock;
    }

    /**
     * Detaches this handle from the shared memory; idempotent. The memory goes when every process
     * has closed it or exited, so keep it open until the children it was passed to have attached
     * it (a child attaches when it decodes its task, shortly after {@code start()} returns):
     * closing after {@code join()} is safe.
     */
    @Override
    public void close()
    {
        if (closed.compareAndSet(false, true))
        {
            region.close();
        }
    }

    /**
     * @return whether {@link #close()} was called.
     */
    public boolean isClosed()
    {
        return closed.get();
    }

    final void checkOpen()
    {
        if (closed.get())
        {
            throw new IllegalStateException("closed: " + getClass().getSimpleName() + " " + region.id());
        }
    }

    final int storedLength()
    {
        return buffer.getInt(LENGTH_OFFSET);
    }

    /**
     * @return the handle that crosses a process boundary.
     * @throws ObjectStreamException never.
     */
    protected final Object writeReplace() throws ObjectStreamException
    {
        return Handle.of(SharedKind.of(region.kind()), region);
    }
}
