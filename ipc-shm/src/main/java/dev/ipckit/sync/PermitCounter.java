package dev.ipckit.sync;

import dev.ipckit.internal.Waiting;

import dev.ipckit.IpcException;
import dev.ipckit.internal.ProcessIdentity;
import dev.ipckit.internal.SentHandles;
import dev.ipckit.internal.SharedRegion;
import org.agrona.concurrent.AtomicBuffer;

import java.io.ObjectStreamException;
import java.io.Serializable;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What {@link IpcSemaphore} and {@link IpcBoundedSemaphore} share: a count of permits in shared
 * memory, and a table of how many permits each process holds, so that the permits of a process
 * that dies are given back.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                      Permits available                        |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Bound (-1: none), up to byte 64              ...
 *  +---------------------------------------------------------------+
 *  |   Holder slot 0: process token (64 bits), permits held (64)   |
 *  |   ... 128 slots                                              ...
 *  +---------------------------------------------------------------+
 * </pre>
 * Acquiring takes a permit by CAS on the count, then adds it to this process's slot; releasing
 * takes it from the slot (if the process holds one) and adds it to the count. A waiter looks for
 * slots of dead processes every 10 ms and returns their permits to the count.
 */
abstract class PermitCounter implements AutoCloseable, Serializable
{
    private static final long serialVersionUID = 1L;
    static final int SLOTS = 128;
    private static final int COUNT_OFFSET = 0;
    private static final int BOUND_OFFSET = 8;
    private static final int SLOTS_OFFSET = 64;
    private static final int SLOT_LENGTH = 16;
    static final int LENGTH = SLOTS_OFFSET + SLOTS * SLOT_LENGTH;
    private static final long DEAD_HOLDER_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final PerJvmState<int[]> OWN_SLOTS = new PerJvmState<>(() -> new int[]{ -1 });

    private final transient SharedRegion region;
    private final transient AtomicBuffer buffer;
    private final transient int[] ownSlot;
    private final transient AtomicBoolean closed = new AtomicBoolean();

    PermitCounter(final SharedRegion region)
    {
        this.region = region;
        this.buffer = region.payload();
        this.ownSlot = OWN_SLOTS.of(region.id());
    }

    static SharedRegion newRegion(final String kind, final int permits, final long bound)
    {
        if (permits < 0)
        {
            throw new IllegalArgumentException("permits must not be negative, permits=" + permits);
        }
        final SharedRegion region = SharedRegion.create(kind, LENGTH);
        region.payload().putLong(BOUND_OFFSET, bound);
        region.payload().putLongVolatile(COUNT_OFFSET, permits);
        return region;
    }

    /**
     * Takes a permit, waiting as long as it takes.
     *
     * @throws InterruptedException if interrupted while waiting.
     */
    public void acquire() throws InterruptedException
    {
        take(Waiting.FOREVER);
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
        return take(Waiting.nanos(timeout));
    }

    /**
     * Gives a permit back (or, from a process that holds none, adds one).
     *
     * @throws IllegalStateException if a bounded semaphore already has all its permits.
     */
    public void release()
    {
        checkOpen();
        final long bound = buffer.getLong(BOUND_OFFSET);
        while (true)
        {
            final long count = buffer.getLongVolatile(COUNT_OFFSET);
            if (bound >= 0 && count >= bound)
            {
                throw new IllegalStateException("released too many times: " + this);
            }
            if (buffer.compareAndSetLong(COUNT_OFFSET, count, count + 1))
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
        return (int)Math.min(Integer.MAX_VALUE, buffer.getLongVolatile(COUNT_OFFSET));
    }

    /**
     * Detaches this handle; idempotent. Permits this process holds stay held.
     */
    @Override
    public void close()
    {
        if (closed.compareAndSet(false, true))
        {
            region.close();
        }
    }

    @Override
    public String toString()
    {
        final long bound = buffer.getLong(BOUND_OFFSET);
        return getClass().getSimpleName() + '{' + region.kind() + '@' + region.id() + ", available=" +
            buffer.getLongVolatile(COUNT_OFFSET) + (bound >= 0 ? ", bound=" + bound : "") + '}';
    }

    private boolean take(final long timeoutNanos) throws InterruptedException
    {
        checkOpen();
        if (Thread.interrupted())
        {
            throw new InterruptedException("interrupted before acquiring " + this);
        }
        final Waiting waiting = new Waiting(timeoutNanos);
        long nextDeadHolderCheck = System.nanoTime();
        while (!takeNow())
        {
            if (System.nanoTime() - nextDeadHolderCheck >= 0)
            {
                nextDeadHolderCheck = System.nanoTime() + DEAD_HOLDER_CHECK_NANOS;
                recoverDeadHolders();
                continue;
            }
            if (Thread.interrupted())
            {
                throw new InterruptedException("interrupted while waiting for " + this);
            }
            if (!waiting.idle())
            {
                return false;
            }
        }
        return true;
    }

    private boolean takeNow()
    {
        while (true)
        {
            final long count = buffer.getLongVolatile(COUNT_OFFSET);
            if (count <= 0)
            {
                return false;
            }
            if (buffer.compareAndSetLong(COUNT_OFFSET, count, count - 1))
            {
                buffer.getAndAddLong(heldOffset(slot()), 1);
                return true;
            }
        }
    }

    private void dropHeld()
    {
        synchronized (ownSlot)
        {
            final int slot = ownSlot[0];
            if (slot < 0)
            {
                return;
            }
            final int held = heldOffset(slot);
            while (true)
            {
                final long permits = buffer.getLongVolatile(held);
                if (permits <= 0)
                {
                    return;
                }
                if (buffer.compareAndSetLong(held, permits, permits - 1))
                {
                    return;
                }
            }
        }
    }

    /** @return this process's slot, claimed on first use. */
    private int slot()
    {
        synchronized (ownSlot)
        {
            if (ownSlot[0] >= 0)
            {
                return ownSlot[0];
            }
            final long token = ProcessIdentity.currentLongToken();
            for (int pass = 0; pass < 2; pass++)
            {
                for (int slot = 0; slot < SLOTS; slot++)
                {
                    final int at = tokenOffset(slot);
                    if (buffer.getLongVolatile(at) == token || buffer.compareAndSetLong(at, 0, token))
                    {
                        ownSlot[0] = slot;
                        return slot;
                    }
                }
                recoverDeadHolders();
            }
            throw new IpcException("more than " + SLOTS + " processes hold permits of " + this);
        }
    }

    private void recoverDeadHolders()
    {
        final long bound = buffer.getLong(BOUND_OFFSET);
        for (int slot = 0; slot < SLOTS; slot++)
        {
            final long token = buffer.getLongVolatile(tokenOffset(slot));
            if (0 == token || token == ProcessIdentity.currentLongToken() || ProcessIdentity.isAliveToken(token))
            {
                continue;
            }
            final long held = buffer.getAndSetLong(heldOffset(slot), 0);
            if (held > 0)
            {
                giveBack(held, bound);
            }
            buffer.compareAndSetLong(tokenOffset(slot), token, 0);
        }
    }

    private void giveBack(final long permits, final long bound)
    {
        while (true)
        {
            final long count = buffer.getLongVolatile(COUNT_OFFSET);
            final long restored = bound >= 0 ? Math.min(bound, count + permits) : count + permits;
            if (buffer.compareAndSetLong(COUNT_OFFSET, count, restored))
            {
                return;
            }
        }
    }

    private static int tokenOffset(final int slot)
    {
        return SLOTS_OFFSET + slot * SLOT_LENGTH;
    }

    private static int heldOffset(final int slot)
    {
        return SLOTS_OFFSET + slot * SLOT_LENGTH + Long.BYTES;
    }

    private void checkOpen()
    {
        if (closed.get())
        {
            throw new IllegalStateException("closed: " + this);
        }
    }

    /**
     * @return the handle that crosses a process boundary.
     * @throws ObjectStreamException never.
     */
    protected final Object writeReplace() throws ObjectStreamException
    {
        SentHandles.note(region);
        return new Handle(region.kind(), region.id());
    }

    /** A semaphore as it crosses a process boundary. */
    private static final class Handle implements Serializable
    {
        private static final long serialVersionUID = 1L;

        private final String kind;
        private final String id;

        Handle(final String kind, final String id)
        {
            this.kind = kind;
            this.id = id;
        }

        private Object readResolve() throws ObjectStreamException
        {
            final SharedRegion region = SharedRegion.attach(kind, id);
            return IpcBoundedSemaphore.KIND.equals(kind) ? new IpcBoundedSemaphore(region) : new IpcSemaphore(region);
        }
    }
}
