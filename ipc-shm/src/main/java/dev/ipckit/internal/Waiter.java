package dev.ipckit.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The one loop that waits for a condition in shared memory. Each round it tests the condition,
 * runs the recovery when it is due (giving back what dead processes held) and tests again, checks
 * the object is still open, checks for an interrupt, checks the deadline (a condition met by then
 * still counts: it is tested once more), then idles: spins 100 times, yields 10 times, then parks
 * for 1 µs doubling up to 1 ms (as Agrona's {@code BackoffIdleStrategy}), never past the deadline.
 * A waiter woken within a few microseconds pays a spin, not a kernel wake-up; an idle waiter wakes
 * at most 1000 times a second.
 * <p>
 * A crowded waiter ({@link #crowdedBy}) parks for up to 1 ms per waiting thread it is told of (at
 * most {@value #MAX_CROWD}), so that the waiters of one object together wake about 1000 times a
 * second however many they are, and the one who holds what they wait for keeps the CPU: with
 * {@code n} of them polling, one sees a change within about 1 ms all the same. An interrupt ends a
 * park at once.
 * <p>
 * A waiter holds what does not change between waits: the interrupt message, the open check, the
 * recovery and its interval, the crowd; it is made once per object (once per wait only when the
 * recovery needs that wait's own state, as a barrier's generation). A wait whose condition is met
 * at once costs the test and nothing else (no clock read, no allocation); the caller tests the
 * condition itself first on a hot path, so that the wait is not even called.
 * <pre>{@code
 * private final Waiter waiter = Waiter.create(() -> "interrupted while waiting for " + this)
 *     .recovering(RECOVERY_NANOS, this::reclaimDead);
 * private final Waiter.Condition permitTaken = this::takeNow;
 * ...
 * return takeNow() || waiter.await(timeoutNanos, permitTaken);
 * }</pre>
 * <p>
 * <b>Note:</b> internal to ipckit; immutable and thread-safe: any number of threads may wait with
 * one waiter at once.
 */
public final class Waiter
{
    /** A timeout that never runs out. */
    public static final long FOREVER = Long.MAX_VALUE;
    private static final long MAX_SPINS = 100;
    private static final long MAX_YIELDS = 10;
    private static final long MIN_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(1);
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** The most waiting threads a crowded waiter's park is scaled by. */
    public static final int MAX_CROWD = 16;
    private static final Runnable ALWAYS_OPEN = () -> {};
    private static final IntSupplier ALONE = () -> 1;

    /**
     * What a wait is for, tested in the waiting thread; it may act (take a permit, a place) when
     * it finds the condition met.
     */
    @FunctionalInterface
    public interface Condition extends Poll<Boolean>
    {
        /**
         * @return whether the condition is met (and whatever it takes, taken).
         */
        boolean isMet();

        /**
         * @return {@link Boolean#TRUE} when met, else null.
         */
        @Override
        default Boolean poll()
        {
            return isMet() ? Boolean.TRUE : null;
        }
    }

    /**
     * What a wait is for when it yields a value: the value once there is one.
     *
     * @param <T> the value's type.
     */
    @FunctionalInterface
    public interface Poll<T>
    {
        /**
         * @return the value, or null while there is none.
         * @throws InterruptedException if interrupted while taking it.
         */
        T poll() throws InterruptedException;
    }

    private final Supplier<String> interruptedMessage;
    private final Runnable checkOpen;
    private final Runnable recovery;
    private final long recoveryIntervalNanos;
    private final IntSupplier crowd;

    private Waiter(
        final Supplier<String> interruptedMessage,
        final Runnable checkOpen,
        final Runnable recovery,
        final long recoveryIntervalNanos,
        final IntSupplier crowd)
    {
        this.interruptedMessage = interruptedMessage;
        this.checkOpen = checkOpen;
        this.recovery = recovery;
        this.recoveryIntervalNanos = recoveryIntervalNanos;
        this.crowd = crowd;
    }

    /**
     * @param interruptedMessage the message of the {@link InterruptedException} a wait throws,
     *                           made when it is thrown.
     * @return a waiter with no open check and no recovery.
     */
    public static Waiter create(final Supplier<String> interruptedMessage)
    {
        return new Waiter(interruptedMessage, ALWAYS_OPEN, null, FOREVER, ALONE);
    }

    /**
     * @param checkOpen run every round; throws (the object's own exception) once it is closed.
     * @return a waiter like this one that checks it.
     */
    public Waiter whileOpen(final Runnable checkOpen)
    {
        return new Waiter(interruptedMessage, checkOpen, recovery, recoveryIntervalNanos, crowd);
    }

    /**
     * @param intervalNanos how long after the wait starts, and then how often, the recovery runs;
     *                      0 for every round (a recovery that keeps its own clock).
     * @param recovery      gives back what dead processes held; the condition is tested again
     *                      after it.
     * @return a waiter like this one that runs it.
     */
    public Waiter recovering(final long intervalNanos, final Runnable recovery)
    {
        return new Waiter(interruptedMessage, checkOpen, recovery, intervalNanos, crowd);
    }

    /**
     * @param waiting how many threads (of any process) wait for the same thing now, this one
     *                included; read once per park, so it should be cheap.
     * @return a waiter like this one whose longest park is 1 ms per waiting thread, at most
     * {@value #MAX_CROWD} ms.
     */
    public Waiter crowdedBy(final IntSupplier waiting)
    {
        return new Waiter(interruptedMessage, checkOpen, recovery, recoveryIntervalNanos, waiting);
    }

    /**
     * Waits until the condition is met.
     *
     * @param timeoutNanos how long the wait may last; {@link #FOREVER} for ever, 0 or less for no wait.
     * @param condition    what to wait for.
     * @return false if the time ran out first.
     * @throws InterruptedException if interrupted while waiting.
     */
    public boolean await(final long timeoutNanos, final Condition condition) throws InterruptedException
    {
        return null != poll(timeoutNanos, condition, true);
    }

    /**
     * Waits until the condition is met; an interrupt does not end the wait, and is kept.
     *
     * @param timeoutNanos how long the wait may last; {@link #FOREVER} for ever, 0 or less for no wait.
     * @param condition    what to wait for.
     * @return false if the time ran out first.
     */
    public boolean awaitUninterruptibly(final long timeoutNanos, final Condition condition)
    {
        try
        {
            return null != poll(timeoutNanos, condition, false);
        }
        catch (final InterruptedException impossible)
        {
            throw new IllegalStateException(impossible);
        }
    }

    /**
     * Waits until the poll gives a value.
     *
     * @param timeoutNanos how long the wait may last; {@link #FOREVER} for ever, 0 or less for no wait.
     * @param poll         what to wait for.
     * @param <T>          the value's type.
     * @return the value, or null if the time ran out first.
     * @throws InterruptedException if interrupted while waiting.
     */
    public <T> T poll(final long timeoutNanos, final Poll<T> poll) throws InterruptedException
    {
        return poll(timeoutNanos, poll, true);
    }

    private <T> T poll(final long timeoutNanos, final Poll<T> poll, final boolean interruptible)
        throws InterruptedException
    {
        T value = poll.poll();
        if (null != value)
        {
            return value;
        }
        final long start = System.nanoTime();
        final boolean forever = FOREVER == timeoutNanos;
        final long deadline = forever ? 0 : start + Math.max(0, timeoutNanos);
        long nextRecovery = start + recoveryIntervalNanos;
        long idles = 0;
        long parkNanos = MIN_PARK_NANOS;
        boolean deferredInterrupt = false;
        try
        {
            while (true)
            {
                if (null != recovery && System.nanoTime() - nextRecovery >= 0)
                {
                    nextRecovery = System.nanoTime() + recoveryIntervalNanos;
                    recovery.run();
                    if (null != (value = poll.poll()))
                    {
                        return value;
                    }
                }
                checkOpen.run();
                if (Thread.interrupted())
                {
                    if (interruptible)
                    {
                        throw new InterruptedException(interruptedMessage.get());
                    }
                    deferredInterrupt = true;
                }
                final long left = forever ? FOREVER : deadline - System.nanoTime();
                if (left <= 0)
                {
                    return poll.poll();
                }
                if (idles < MAX_SPINS)
                {
                    idles++;
                    Thread.onSpinWait();
                }
                else if (idles < MAX_SPINS + MAX_YIELDS)
                {
                    idles++;
                    Thread.yield();
                }
                else
                {
                    LockSupport.parkNanos(Math.min(parkNanos, left));
                    parkNanos = Math.min(parkNanos << 1, longestPark());
                }
                if (null != (value = poll.poll()))
                {
                    return value;
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

    private long longestPark()
    {
        return MAX_PARK_NANOS * Math.max(1, Math.min(MAX_CROWD, crowd.getAsInt()));
    }

    /**
     * @param timeoutNanos a timeout; {@link #FOREVER} for ever.
     * @param startNanos   when the time began to run ({@link System#nanoTime()}).
     * @return what is left of it now: {@link #FOREVER} stays, else 0 at least.
     */
    public static long remaining(final long timeoutNanos, final long startNanos)
    {
        return FOREVER == timeoutNanos ? FOREVER : Math.max(0, timeoutNanos - (System.nanoTime() - startNanos));
    }

    /**
     * @param timeout a timeout.
     * @return it in nanoseconds: 0 when negative, {@link #FOREVER} when too long for a long.
     */
    public static long nanos(final Duration timeout)
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
