package dev.ipckit.internal;

import org.agrona.concurrent.BackoffIdleStrategy;

import java.util.concurrent.TimeUnit;

/**
 * One wait for a condition in shared memory, with a deadline: spins 100 times, yields 10 times,
 * then parks for 1 µs doubling up to 1 ms (Agrona's {@link BackoffIdleStrategy}). A waiter woken
 * within a few microseconds pays a spin, not a kernel wake-up; an idle waiter wakes at most 1000
 * times a second, a fraction of a percent of a core.
 * <p>
 * The back-off state is made on the first {@link #idle()}, so a wait that is never needed costs
 * next to nothing.
 * <p>
 * <b>Note:</b> internal to ipckit; for one thread's one wait, not thread-safe.
 */
public final class Waiting
{
    /** A timeout that never runs out. */
    public static final long FOREVER = Long.MAX_VALUE;
    private static final long MAX_SPINS = 100;
    private static final long MAX_YIELDS = 10;
    private static final long MIN_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(1);
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private BackoffIdleStrategy idle;
    private final long deadline;
    private final boolean forever;

    /**
     * @param timeoutNanos how long the wait may last; {@link #FOREVER} for ever, 0 or less for no wait.
     */
    public Waiting(final long timeoutNanos)
    {
        this.forever = FOREVER == timeoutNanos;
        this.deadline = forever ? 0 : System.nanoTime() + Math.max(0, timeoutNanos);
    }

    /**
     * Idles once, unless the deadline has passed.
     *
     * @return false if the deadline has passed.
     */
    public boolean idle()
    {
        if (!forever && System.nanoTime() - deadline >= 0)
        {
            return false;
        }
        if (null == idle)
        {
            idle = new BackoffIdleStrategy(MAX_SPINS, MAX_YIELDS, MIN_PARK_NANOS, MAX_PARK_NANOS);
        }
        idle.idle();
        return true;
    }

    /**
     * @param timeout a timeout.
     * @return it in nanoseconds: 0 when negative, {@link #FOREVER} when too long for a long.
     */
    public static long nanos(final java.time.Duration timeout)
    {
        try
        {
            return timeout.isNegative() ? 0 : timeout.toNanos();
        }
        catch (final ArithmeticException ex)
        {
            return FOREVER;
        }
    }
}
