package dev.ipckit.pipe;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;

/**
 * The waits of a {@link FrameChannel}'s parts: a deadline in {@link System#nanoTime()} terms
 * ({@link #FOREVER} for none), and a select in slices that ends on readiness, the deadline, the
 * channel's close, or an interrupt.
 * <p>
 * <b>Note:</b> stateless and thread-safe; a selector is waited on by one thread at a time.
 */
final class SelectorWait
{
    static final long FOREVER = Long.MAX_VALUE;
    static final long WAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private SelectorWait()
    {
    }

    /**
     * @return the deadline {@code timeoutNanos} from now; {@link #FOREVER} stays forever.
     */
    static long deadline(final long timeoutNanos)
    {
        if (timeoutNanos == FOREVER)
        {
            return FOREVER;
        }
        final long deadline = System.nanoTime() + timeoutNanos;
        return deadline == FOREVER ? FOREVER - 1 : deadline;
    }

    /**
     * @return the nanoseconds left until {@code deadline}, {@link #FOREVER} for none.
     */
    static long remaining(final long deadline)
    {
        return deadline == FOREVER ? FOREVER : deadline - System.nanoTime();
    }

    /**
     * Blocks in {@code selector} until its channel is ready, the deadline passes, {@code owner} is
     * closed, or (when {@code interruptible}) the thread is interrupted. An interrupt that may not
     * end the wait is kept for the caller. A selector closed under the waiter (another thread
     * accepted the peer) counts as ready: the caller looks again.
     *
     * @return false if the deadline passed.
     * @throws AsynchronousCloseException if {@code owner} is closed.
     * @throws InterruptedIOException     if interrupted and {@code interruptible}.
     */
    static boolean awaitReady(
        final FrameChannel owner, final Selector selector, final long deadline, final boolean interruptible)
        throws IOException
    {
        boolean deferredInterrupt = false;
        try
        {
            while (true)
            {
                if (owner.isClosed())
                {
                    throw closedWhileWaiting(null);
                }
                if (Thread.currentThread().isInterrupted())
                {
                    if (interruptible)
                    {
                        throw new InterruptedIOException("interrupted while waiting on " + owner.name());
                    }
                    deferredInterrupt = Thread.interrupted();
                }
                final long remaining = remaining(deadline);
                if (remaining <= 0)
                {
                    return false;
                }
                final long slice = Math.min(remaining, WAIT_SLICE_NANOS);
                try
                {
                    final int ready = selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(slice + 999_999)));
                    selector.selectedKeys().clear();
                    if (ready > 0)
                    {
                        return true;
                    }
                }
                catch (final ClosedSelectorException ex)
                {
                    return true;
                }
            }
        }
        finally
        {
            if (deferredInterrupt)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * @return what a wait on a channel closed by another thread throws.
     */
    static IOException closedWhileWaiting(final ClosedChannelException cause)
    {
        final AsynchronousCloseException ex = new AsynchronousCloseException();
        if (null != cause)
        {
            ex.initCause(cause);
        }
        return ex;
    }

    /**
     * @return a new selector with {@code channel} registered for {@code ops}.
     */
    static Selector register(final SelectableChannel channel, final int ops) throws IOException
    {
        final Selector selector = Selector.open();
        try
        {
            channel.register(selector, ops);
            return selector;
        }
        catch (final IOException | RuntimeException ex)
        {
            selector.close();
            throw ex;
        }
    }

    static void wakeup(final Selector selector)
    {
        if (null != selector)
        {
            selector.wakeup();
        }
    }

    static void quietClose(final AutoCloseable closeable)
    {
        if (null != closeable)
        {
            try
            {
                closeable.close();
            }
            catch (final Exception ignore)
            {
                // closing anyway
            }
        }
    }
}
