package dev.ipckit.sync;

import dev.ipckit.internal.CloseOnce;
import dev.ipckit.internal.Handle;
import dev.ipckit.internal.SharedRegion;
import dev.ipckit.internal.Waiter;
import org.agrona.concurrent.AtomicBuffer;

import java.io.ObjectStreamException;
import java.io.Serializable;
import java.time.Duration;

/**
 * A flag shared by processes that waiters block on until it is set: Python's
 * {@code multiprocessing.Event}. One 32-bit word of shared memory, written with volatile stores.
 * A waiter notices {@link #set()} within a few microseconds while it spins, and within 1 ms once
 * it has backed off to parking.
 * <p>
 * <b>Note:</b> thread-safe. Using a closed handle throws {@link IllegalStateException}.
 */
public final class IpcEvent implements AutoCloseable, Serializable
{
    private static final long serialVersionUID = 1L;
    static final String KIND = SyncDescriptor.EVENT_KIND;
    private static final int FLAG_OFFSET = SyncDescriptor.EVENT_FLAG_OFFSET;

    private final transient SharedRegion region;
    private final transient AtomicBuffer flag;
    private final transient CloseOnce closed = new CloseOnce();
    private final transient Waiter waiter = Waiter.create(() -> "interrupted while waiting for " + this);
    private final transient Waiter.Condition flagIsSet = this::flagSet;

    IpcEvent(final SharedRegion region)
    {
        this.region = region;
        this.flag = region.payload();
    }

    /**
     * @return a new event, not set.
     */
    public static IpcEvent create()
    {
        return new IpcEvent(SharedRegion.create(KIND, Integer.BYTES));
    }

    /**
     * Sets the flag: every waiter returns, and later waits return at once until {@link #clear()}.
     */
    public void set()
    {
        checkOpen();
        flag.putIntVolatile(FLAG_OFFSET, 1);
    }

    /**
     * Clears the flag.
     */
    public void clear()
    {
        checkOpen();
        flag.putIntVolatile(FLAG_OFFSET, 0);
    }

    /**
     * @return whether the flag is set.
     */
    public boolean isSet()
    {
        checkOpen();
        return flagSet();
    }

    /**
     * Waits until the flag is set.
     *
     * @throws InterruptedException if interrupted while waiting.
     */
    public void await() throws InterruptedException
    {
        await(Waiter.FOREVER);
    }

    /**
     * Waits up to {@code timeout} for the flag to be set.
     *
     * @param timeout how long to wait.
     * @return whether the flag is set (false: the time ran out).
     * @throws InterruptedException if interrupted while waiting.
     */
    public boolean await(final Duration timeout) throws InterruptedException
    {
        return await(Waiter.nanos(timeout));
    }

    private boolean await(final long timeoutNanos) throws InterruptedException
    {
        checkOpen();
        return flagSet() || waiter.await(timeoutNanos, flagIsSet);
    }

    private boolean flagSet()
    {
        return 0 != flag.getIntVolatile(FLAG_OFFSET);
    }

    /**
     * Detaches this handle; idempotent.
     */
    @Override
    public void close()
    {
        closed.close(region::close);
    }

    @Override
    public String toString()
    {
        return "IpcEvent{" + region.kind() + '@' + region.id() + (flagSet() ? ", set" : "") +
            '}';
    }

    private void checkOpen()
    {
        closed.checkOpen(this);
    }

    /**
     * @return the handle that crosses a process boundary.
     * @throws ObjectStreamException never.
     */
    private Object writeReplace() throws ObjectStreamException
    {
        return Handle.of(SyncKind.EVENT, region);
    }
}
