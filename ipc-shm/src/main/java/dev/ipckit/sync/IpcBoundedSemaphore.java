package dev.ipckit.sync;

import dev.ipckit.internal.SharedRegion;

/**
 * A semaphore that refuses to be released beyond its initial permits: Python's
 * {@code multiprocessing.BoundedSemaphore}. A release past the bound throws
 * {@link IllegalStateException} and changes nothing. Otherwise as {@link IpcSemaphore}.
 * <p>
 * <b>Note:</b> thread-safe; see {@link IpcSemaphore}.
 */
public final class IpcBoundedSemaphore extends PermitCounter
{
    private static final long serialVersionUID = 1L;
    static final String KIND = PermitCounterDescriptor.BOUNDED_SEMAPHORE_KIND;

    IpcBoundedSemaphore(final SharedRegion region)
    {
        super(region);
    }

    /**
     * @param permits the permits available at first, which are also the most it ever has; 0 is legal.
     * @return a new bounded semaphore.
     * @throws IllegalArgumentException if {@code permits} is negative.
     */
    public static IpcBoundedSemaphore create(final int permits)
    {
        return new IpcBoundedSemaphore(newRegion(KIND, permits, permits));
    }
}
