package dev.ipckit.sync;

import dev.ipckit.internal.CloseOnce;
import dev.ipckit.internal.Handle;
import dev.ipckit.internal.SharedRegion;
import dev.ipckit.internal.Waiter;
import org.agrona.concurrent.AtomicBuffer;

import java.io.ObjectStreamException;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A barrier for a fixed number of parties across processes: Python's
 * {@code multiprocessing.Barrier}, with {@link java.util.concurrent.CyclicBarrier}'s exceptions.
 * {@link #await()} returns the arrival index, 0 for the first to arrive up to {@code parties - 1}
 * for the last, which releases the others; the barrier then starts its next generation.
 * <p>
 * It breaks ({@link BrokenBarrierException} for every party waiting and arriving, until
 * {@link #reset()}) when a waiter times out (that waiter gets {@link TimeoutException}), is
 * interrupted, calls {@link #abort()}, or when a process that holds the barrier dies without
 * closing it: a waiter checks every 100 ms, so a dead party breaks the barrier instead of hanging
 * it, which CPython's does not.
 * <p>
 * Its state is one 64-bit word of shared memory:
 * <pre>
 *   63                       34  33  32  31                          0
 *  +---------------------------+---+---+------------------------------+
 *  |        generation         | P | B |      parties waiting         |
 *  +---------------------------+---+---+------------------------------+
 *  B: this generation is broken; P: the previous generation ended broken (by reset)
 * </pre>
 * <p>
 * <b>Note:</b> thread-safe. Using a closed handle throws {@link IllegalStateException}. A waiter
 * that sleeps through an entire next generation of the barrier cannot tell how its own ended,
 * and returns normally.
 */
public final class IpcBarrier implements AutoCloseable, Serializable
{
    private static final long serialVersionUID = 1L;
    static final String KIND = SyncDescriptor.BARRIER_KIND;
    private static final int STATE_OFFSET = SyncDescriptor.BARRIER_STATE_OFFSET;
    private static final int PARTIES_OFFSET = SyncDescriptor.BARRIER_PARTIES_OFFSET;
    private static final int GENERATION_SHIFT = 34;
    private static final long GENERATION_MASK = (1L << (64 - GENERATION_SHIFT)) - 1;
    private static final long PREVIOUS_BROKEN = 1L << 33;
    private static final long BROKEN = SyncDescriptor.BARRIER_BROKEN;
    private static final long COUNT_MASK = SyncDescriptor.BARRIER_COUNT_MASK;
    private static final long DEAD_PARTY_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final transient SharedRegion region;
    private final transient AtomicBuffer buffer;
    private final transient int parties;
    private final transient CloseOnce closed = new CloseOnce();

    IpcBarrier(final SharedRegion region)
    {
        this.region = region;
        this.buffer = region.payload();
        this.parties = buffer.getIntVolatile(PARTIES_OFFSET);
    }

    /**
     * @param parties how many parties must arrive to trip the barrier.
     * @return a new barrier.
     * @throws IllegalArgumentException if {@code parties} is below 1.
     */
    public static IpcBarrier create(final int parties)
    {
        if (parties < 1)
        {
            throw new IllegalArgumentException("parties must be at least 1, parties=" + parties);
        }
        final SharedRegion region = SharedRegion.create(KIND, 16);
        region.payload().putIntVolatile(PARTIES_OFFSET, parties);
        return new IpcBarrier(region);
    }

    /**
     * Waits until every party has arrived.
     *
     * @return the arrival index, 0 to {@code parties - 1}.
     * @throws BrokenBarrierException if the barrier is or becomes broken.
     * @throws InterruptedException   if interrupted while waiting; the barrier breaks.
     */
    public int await() throws InterruptedException, BrokenBarrierException
    {
        try
        {
            return await(Waiter.FOREVER);
        }
        catch (final TimeoutException impossible)
        {
            throw new IllegalStateException(impossible);
        }
    }

    /**
     * Waits up to {@code timeout} until every party has arrived.
     *
     * @param timeout how long to wait.
     * @return the arrival index, 0 to {@code parties - 1}.
     * @throws TimeoutException       if the time ran out; the barrier breaks.
     * @throws BrokenBarrierException if the barrier is or becomes broken.
     * @throws InterruptedException   if interrupted while waiting; the barrier breaks.
     */
    public int await(final Duration timeout) throws InterruptedException, BrokenBarrierException, TimeoutException
    {
        return await(Waiter.nanos(timeout));
    }

    /**
     * Breaks the barrier: waiting and arriving parties get {@link BrokenBarrierException} until
     * {@link #reset()}.
     */
    public void abort()
    {
        checkOpen();
        while (true)
        {
            final long s = buffer.getLongVolatile(STATE_OFFSET);
            if (0 != (s & BROKEN) || buffer.compareAndSetLong(STATE_OFFSET, s, s | BROKEN))
            {
                return;
            }
        }
    }

    /**
     * Starts a new generation; parties waiting now get {@link BrokenBarrierException}.
     */
    public void reset()
    {
        checkOpen();
        while (true)
        {
            final long s = buffer.getLongVolatile(STATE_OFFSET);
            final boolean endsBroken = 0 != (s & BROKEN) || 0 != (s & COUNT_MASK);
            final long next = nextGeneration(s) | (endsBroken ? PREVIOUS_BROKEN : 0);
            if (buffer.compareAndSetLong(STATE_OFFSET, s, next))
            {
                return;
            }
        }
    }

    /**
     * @return whether the barrier is broken.
     */
    public boolean isBroken()
    {
        checkOpen();
        return 0 != (buffer.getLongVolatile(STATE_OFFSET) & BROKEN);
    }

    /**
     * @return how many parties must arrive to trip the barrier.
     */
    public int parties()
    {
        return parties;
    }

    /**
     * @return how many parties wait now (a snapshot).
     */
    public int waiting()
    {
        checkOpen();
        return (int)(buffer.getLongVolatile(STATE_OFFSET) & COUNT_MASK);
    }

    /**
     * Detaches this handle; idempotent. A process that closes its handle is not counted as dead.
     */
    @Override
    public void close()
    {
        closed.close(region::close);
    }

    @Override
    public String toString()
    {
        final long s = buffer.getLongVolatile(STATE_OFFSET);
        return "IpcBarrier{" + region.kind() + '@' + region.id() + ", parties=" + parties + ", waiting=" +
            (s & COUNT_MASK) + (0 != (s & BROKEN) ? ", broken" : "") + '}';
    }

    private int await(final long timeoutNanos) throws InterruptedException, BrokenBarrierException, TimeoutException
    {
        checkOpen();
        final long generation;
        final int index;
        while (true)
        {
            final long s = buffer.getLongVolatile(STATE_OFFSET);
            if (0 != (s & BROKEN))
            {
                throw new BrokenBarrierException();
            }
            final int count = (int)(s & COUNT_MASK);
            if (count + 1 >= parties)
            {
                if (buffer.compareAndSetLong(STATE_OFFSET, s, nextGeneration(s)))
                {
                    return count;
                }
            }
            else if (buffer.compareAndSetLong(STATE_OFFSET, s, s + 1))
            {
                generation = s >>> GENERATION_SHIFT;
                index = count;
                break;
            }
        }

        final Arrival arrival = new Arrival(generation, index);
        final Waiter waiter = Waiter.create(() -> "interrupted while waiting at " + this)
            .recovering(DEAD_PARTY_CHECK_NANOS, arrival::breakIfPartyDied);
        try
        {
            if (waiter.await(timeoutNanos, arrival))
            {
                return arrival.outcome();
            }
        }
        catch (final InterruptedException ex)
        {
            breakGeneration(generation);
            throw ex;
        }
        breakGeneration(generation);
        throw new TimeoutException("barrier did not trip in time: " + this);
    }

    /**
     * One party's wait for its generation to end: tripped, or broken (by a timeout, an interrupt,
     * {@link #abort()}, or a party that died).
     * <p>
     * <b>Note:</b> used by the waiting thread only.
     */
    private final class Arrival implements Waiter.Condition
    {
        private final long generation;
        private final int index;
        private long seen;
        private List<Long> deadParties = List.of();

        private Arrival(final long generation, final int index)
        {
            this.generation = generation;
            this.index = index;
        }

        @Override
        public boolean isMet()
        {
            seen = buffer.getLongVolatile(STATE_OFFSET);
            return seen >>> GENERATION_SHIFT != generation || 0 != (seen & BROKEN);
        }

        private void breakIfPartyDied()
        {
            final List<Long> dead = region.removeDeadHolders();
            if (!dead.isEmpty())
            {
                deadParties = dead;
                breakGeneration(generation);
            }
        }

        /**
         * @return the arrival index, when the generation tripped.
         * @throws BrokenBarrierException if it broke.
         */
        private int outcome() throws BrokenBarrierException
        {
            if (seen >>> GENERATION_SHIFT != generation)
            {
                if (0 != (seen & PREVIOUS_BROKEN) && ((seen >>> GENERATION_SHIFT) - generation & GENERATION_MASK) == 1)
                {
                    throw new BrokenBarrierException();
                }
                return index;
            }
            final BrokenBarrierException broken = new BrokenBarrierException();
            if (!deadParties.isEmpty())
            {
                broken.initCause(new IllegalStateException("a party died: pid=" + deadParties));
            }
            throw broken;
        }
    }

    private static long nextGeneration(final long s)
    {
        return (((s >>> GENERATION_SHIFT) + 1) & GENERATION_MASK) << GENERATION_SHIFT;
    }

    private void breakGeneration(final long generation)
    {
        while (true)
        {
            final long s = buffer.getLongVolatile(STATE_OFFSET);
            if (s >>> GENERATION_SHIFT != generation || 0 != (s & BROKEN) ||
                buffer.compareAndSetLong(STATE_OFFSET, s, s | BROKEN))
            {
                return;
            }
        }
    }

    private void checkOpen()
    {
        if (closed.isClosed())
        {
            throw new IllegalStateException("closed: IpcBarrier " + region.kind() + '@' + region.id());
        }
    }

    /**
     * @return the handle that crosses a process boundary.
     * @throws ObjectStreamException never.
     */
    private Object writeReplace() throws ObjectStreamException
    {
        return Handle.of(SyncKind.BARRIER, region);
    }
}
