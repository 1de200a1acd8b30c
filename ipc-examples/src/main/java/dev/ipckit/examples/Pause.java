package dev.ipckit.examples;

import java.util.concurrent.CancellationException;

/**
 * The pause the demos' pool functions take where the Python originals call {@code time.sleep}: a
 * function given to {@code map} is a {@link java.util.function.Function}, which cannot throw
 * {@link InterruptedException}.
 */
final class Pause
{
    private Pause()
    {
    }

    /**
     * Sleeps.
     *
     * @param millis how long.
     * @throws CancellationException if the thread is interrupted (its interrupt status is kept).
     */
    static void millis(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            final CancellationException cancelled = new CancellationException("interrupted while sleeping");
            cancelled.initCause(ex);
            throw cancelled;
        }
    }
}
