package dev.ipckit.internal;

import java.util.function.BooleanSupplier;

/**
 * The one wait on a Java monitor for a condition that other threads make true under it and then
 * {@code notifyAll}: the heap-side sibling of {@link Waiter}, for state that lives in this JVM.
 * <p>
 * <b>Note:</b> internal to ipckit; stateless and thread-safe. The caller holds the monitor.
 */
public final class Monitors
{
    private Monitors()
    {
    }

    /**
     * Waits on {@code monitor} until {@code done} holds; an interrupt does not end the wait, and is
     * kept (the thread's interrupt status is set again before this returns).
     *
     * @param monitor the monitor, held by the calling thread.
     * @param done    tested under the monitor, before the first wait and after every wake-up.
     * @throws IllegalMonitorStateException if the calling thread does not hold {@code monitor}.
     */
    public static void awaitUninterruptibly(final Object monitor, final BooleanSupplier done)
    {
        boolean interrupted = false;
        while (!done.getAsBoolean())
        {
            try
            {
                monitor.wait();
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }
}
