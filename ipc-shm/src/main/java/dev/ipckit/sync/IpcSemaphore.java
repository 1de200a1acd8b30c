package dev.ipckit.sync;

import dev.ipckit.internal.SharedRegion;

/**
 * A counting semaphore shared by processes: Python's {@code multiprocessing.Semaphore}.
 * <pre>{@code
 * IpcSemaphore slots = IpcSemaphore.create(3);
 * slots.acquire();
 * try { ... } finally { slots.release(); }
 * }</pre>
 * Any process may release, as in CPython. Permits that a process acquired and had not released
 * when it died (SIGKILL included) are given back by the next waiter within about 10 ms. A process
 * that dies in the few instructions between taking a permit and recording it loses that permit;
 * a permit one process acquires and another releases counts as given back when the first dies.
 * <p>
 * <b>Note:</b> thread-safe; 1024 processes may have a semaphore open at once: opening (attaching)
 * a handle past that throws {@link dev.ipckit.IpcException} before it takes anything, and a process
 * gives its place up when it closes its last handle (unless it still holds permits) or exits.
 * Using a closed handle throws {@link IllegalStateException}.
 */
public final class IpcSemaphore extends PermitCounter
{
    private static final long serialVersionUID = 1L;
    static final String KIND = PermitCounterDescriptor.SEMAPHORE_KIND;

    IpcSemaphore(final SharedRegion region)
    {
        super(region);
    }

    /**
     * @param permits the permits available at first; 0 is legal.
     * @return a new semaphore.
     * @throws IllegalArgumentException if {@code permits} is negative.
     */
    public static IpcSemaphore create(final int permits)
    {
        return new IpcSemaphore(newRegion(KIND, permits, -1));
    }
}
