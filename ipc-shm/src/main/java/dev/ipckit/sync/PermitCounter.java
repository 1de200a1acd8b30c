package dev.ipckit.sync;

import dev.ipckit.IpcException;
import dev.ipckit.internal.CloseOnce;
import dev.ipckit.internal.ProcessTable;
import dev.ipckit.internal.ProcessTableDescriptor;
import dev.ipckit.internal.Handle;
import dev.ipckit.internal.SharedRegion;
import dev.ipckit.internal.Waiter;
import org.agrona.concurrent.AtomicBuffer;

import java.io.ObjectStreamException;
import java.io.Serializable;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What {@link IpcSemaphore} and {@link IpcBoundedSemaphore} share: a count of permits in shared
 * memory ({@link PermitCounterDescriptor}), and a {@link ProcessTable} of how many permits each
 * process holds, so that the permits of a process that dies are given back.
 * <p>
 * Acquiring takes a permit by CAS on the count, then adds it to this process's slot; releasing
 * takes it from the slot (if the process holds one) and adds it to the count. A waiter looks for
 * slots of dead processes every 10 ms and returns their permits to the count. A handle is refused
 * with {@link IpcException} when {@link ProcessTableDescriptor#SLOTS} other live processes have
 * the semaphore open, before it can take anything.
 */
abstract class PermitCounter implements AutoCloseable, Serializable
{
    private static final long serialVersionUID = 1L;
    private static final long DEAD_HOLDER_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    final transient SharedRegion region;
    private final transient AtomicBuffer buffer;
    private final transient ProcessTable table;
    private final transient int held;
    private final transient ProcessTable.Reclaimer giveBack = this::reclaimHolder;
    private final transient Waiter waiter = Waiter.create(() -> "interrupted while waiting for " + this)
        .recovering(DEAD_HOLDER_CHECK_NANOS, this::reclaimDead);
    private final transient Waiter.Condition permitTaken = this::takeNow;
    private final transient CloseOnce closed = new CloseOnce();

    PermitCounter(final SharedRegion region)
    {
        this.region = region;
        this.buffer = region.payload();
        try
        {
            this.table = ProcessTable.open(buffer, PermitCounterDescriptor.TABLE_OFFSET,
                region.kind() + '@' + region.id(), "semaphore " + region.kind() + '@' + region.id(), giveBack);
        }
        catch (final RuntimeException ex)
        {
            region.close();
            throw ex;
        }
        this.held = PermitCounterDescriptor.heldOffset(table.ownSlotOffset());
    }

    static SharedRegion newRegion(final String kind, final int permits, final long bound)
    {
        if (permits < 0)
        {
            throw new IllegalArgumentException("permits must not be negative, permits=" + permits);
        }
        final SharedRegion region = SharedRegion.create(kind, PermitCounterDescriptor.LENGTH);
        region.payload().putLong(PermitCounterDescriptor.BOUND_OFFSET, bound);
        region.payload().putLongVolatile(PermitCounterDescriptor.COUNT_OFFSET, permits);
        return region;
    }

    /**
     * Takes a permit, waiting as long as it takes.
     *
     * @throws InterruptedException if interrupted while waiting.
     */
    public void acquire() throws InterruptedException
    {
        take(Waiter.FOREVER);
    }

    /**
     * @return whether a permit was free and is now taken; never waits.
     */
    public boolean tryAcquire()
    {
        checkOpen();
        return takeNow();
    }

    /**
     * @param timeout how long to wait.
     * @return whether a permit was taken in time.
     * @throws InterruptedException if interrupted while waiting.
     */
    public boolean tryAcquire(final Duration timeout) throws InterruptedException
    {
        return take(Waiter.nanos(timeout));
    }

    /**
     * Gives a permit back (or, from a process that holds none, adds one).
     *
     * @throws IllegalStateException if a bounded semaphore already has all its permits.
     */
    public void release()
    {
        checkOpen();
        final long bound = buffer.getLong(PermitCounterDescriptor.BOUND_OFFSET);
        while (true)
        {
            final long count = buffer.getLongVolatile(PermitCounterDescriptor.COUNT_OFFSET);
            if (bound >= 0 && count >= bound)
            {
                throw new IllegalStateException("released too many times: " + this);
            }
            if (buffer.compareAndSetLong(PermitCounterDescriptor.COUNT_OFFSET, count, count + 1))
            {
                break;
            }
        }
        dropHeld();
    }

    /**
     * @return the permits free now (a snapshot).
     */
    public int availablePermits()
    {
        return (int)Math.min(Integer.MAX_VALUE, buffer.getLongVolatile(PermitCounterDescriptor.COUNT_OFFSET));
    }

    /**
     * Detaches this handle; idempotent. Permits this process holds stay held.
     */
    @Override
    public void close()
    {
        closed.close(() ->
        {
            table.close();
            region.close();
        });
    }

    @Override
    public String toString()
    {
        final long bound = buffer.getLong(PermitCounterDescriptor.BOUND_OFFSET);
        return getClass().getSimpleName() + '{' + region.kind() + '@' + region.id() + ", available=" +
            buffer.getLongVolatile(PermitCounterDescriptor.COUNT_OFFSET) + (bound >= 0 ? ", bound=" + bound : "") + '}';
    }

    private boolean take(final long timeoutNanos) throws InterruptedException
    {
        checkOpen();
        if (Thread.interrupted())
        {
            throw new InterruptedException("interrupted before acquiring " + this);
        }
        if (takeNow())
        {
            return true;
        }
        reclaimDead();
        return waiter.await(timeoutNanos, permitTaken);
    }

    private void reclaimDead()
    {
        table.reclaimDead(PermitCounter::holdsPermits, giveBack);
    }

    private boolean takeNow()
    {
        while (true)
        {
            final long count = buffer.getLongVolatile(PermitCounterDescriptor.COUNT_OFFSET);
            if (count <= 0)
            {
                return false;
            }
            if (buffer.compareAndSetLong(PermitCounterDescriptor.COUNT_OFFSET, count, count - 1))
            {
                buffer.getAndAddLong(held, 1);
                return true;
            }
        }
    }

    private void dropHeld()
    {
        while (true)
        {
            final long permits = buffer.getLongVolatile(held);
            if (permits <= 0 || buffer.compareAndSetLong(held, permits, permits - 1))
            {
                return;
            }
        }
    }

    private static boolean holdsPermits(final AtomicBuffer buffer, final int slotOffset)
    {
        return 0 != buffer.getLongVolatile(PermitCounterDescriptor.heldOffset(slotOffset));
    }

    private boolean reclaimHolder(final AtomicBuffer buffer, final int slotOffset)
    {
        final long permits = buffer.getAndSetLong(PermitCounterDescriptor.heldOffset(slotOffset), 0);
        if (permits > 0)
        {
            giveBack(permits, buffer.getLong(PermitCounterDescriptor.BOUND_OFFSET));
        }
        return true;
    }

    private void giveBack(final long permits, final long bound)
    {
        while (true)
        {
            final long count = buffer.getLongVolatile(PermitCounterDescriptor.COUNT_OFFSET);
            final long restored = bound >= 0 ? Math.min(bound, count + permits) : count + permits;
            if (buffer.compareAndSetLong(PermitCounterDescriptor.COUNT_OFFSET, count, restored))
            {
                return;
            }
        }
    }

    private void checkOpen()
    {
        closed.checkOpen(this);
    }

    /**
     * @return the handle that crosses a process boundary.
     * @throws ObjectStreamException never.
     */
    protected final Object writeReplace() throws ObjectStreamException
    {
        return Handle.of(
            IpcBoundedSemaphore.KIND.equals(region.kind()) ? SyncKind.BOUNDED_SEMAPHORE : SyncKind.SEMAPHORE, region);
    }
}
