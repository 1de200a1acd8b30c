package dev.ipckit.internal;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A handle's closed state: {@link #close(Runnable)} releases what the handle holds once, however
 * many threads close it; {@link #checkOpen(Object)} throws the handles' one message afterwards.
 * <p>
 * <b>Note:</b> internal to ipckit; thread-safe (a CAS on the closed flag, as Aeron's
 * {@code IS_CLOSED_VH}).
 */
public final class CloseOnce
{
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Marks the handle closed; the first call runs {@code release}, later ones do nothing.
     *
     * @param release gives back what the handle holds (its region, its engine).
     */
    public void close(final Runnable release)
    {
        if (closed.compareAndSet(false, true))
        {
            release.run();
        }
    }

    /**
     * @return whether the handle is closed.
     */
    public boolean isClosed()
    {
        return closed.get();
    }

    /**
     * @param handle the handle, named in the message.
     * @throws IllegalStateException {@code "closed: " + handle} once the handle is closed.
     */
    public void checkOpen(final Object handle)
    {
        if (closed.get())
        {
            throw new IllegalStateException("closed: " + handle);
        }
    }
}
