package dev.ipckit.bench;

import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.Task;
import dev.ipckit.shm.SharedLongArray;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A child JVM that runs a batch at the same time as the JMH thread runs its own, once per
 * invocation, for the two-process workloads (py_mp_bench {@code value_locked_incr_2proc}, limits.c
 * {@code c_shm_atomic_incr_2proc}). The two are synchronised through a small control block in
 * shared memory, three words on their own cache lines:
 * <pre>
 *   GO       the round the parent asks for (1, 2, ...), or STOP
 *   STARTED  the round the child has started
 *   DONE     the round the child has finished
 * </pre>
 * {@link #runRound(Runnable)} publishes the next round, waits until the child has started it (so
 * that both batches overlap from the start), runs the parent's batch, then waits for the child's.
 * An idle child spins, then yields, then parks for 50 µs at a time; between invocations it is
 * still spinning, so the handshake costs a cache-line transfer, not a wake-up.
 * <p>
 * The child is a daemon, so it cannot outlive a JMH fork that dies; every wait of the parent
 * gives up with {@link IllegalStateException} if the child exits or does not answer in time.
 */
final class BatchPeer
{
    private static final int GO = 0;
    private static final int STARTED = 8;
    private static final int DONE = 16;
    private static final int SLOTS = 24;
    private static final long NOT_READY = -2;
    private static final long STOP = -1;
    private static final long SPINS = 20_000;
    private static final long YIELDS = 200;
    private static final long PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    private static final long READY_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final long ROUND_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final String name;
    private final SharedLongArray control;
    private final IpcProcess child;
    private long round;

    private BatchPeer(final String name, final SharedLongArray control, final IpcProcess child)
    {
        this.name = name;
        this.control = control;
        this.child = child;
    }

    /**
     * Starts a child JVM that runs {@code batch} once per round and waits until it is ready.
     *
     * @param name  the child's name, for {@code ps} and error messages.
     * @param batch the child's batch; it travels to the child, with what it captures.
     * @return the running peer.
     * @throws IllegalStateException if the child exits or does not get ready in time.
     */
    static BatchPeer start(final String name, final Task batch)
    {
        final SharedLongArray control = SharedLongArray.create(SLOTS, false);
        control.set(GO, 0);
        control.set(STARTED, NOT_READY);
        control.set(DONE, NOT_READY);
        final IpcProcess child;
        try
        {
            child = IpcProcess.builder().name(name).daemon(true).target(() -> serve(control, batch)).start();
        }
        catch (final RuntimeException ex)
        {
            control.close();
            throw ex;
        }
        final BatchPeer peer = new BatchPeer(name, control, child);
        try
        {
            peer.await(STARTED, 0, READY_TIMEOUT_NANOS, "get ready");
        }
        catch (final RuntimeException ex)
        {
            child.kill();
            control.close();
            throw ex;
        }
        return peer;
    }

    /**
     * Runs one round: the child's batch and {@code batch} in this thread at the same time.
     *
     * @param batch this JVM's batch.
     * @throws IllegalStateException if the child exits or does not finish its batch in time.
     */
    void runRound(final Runnable batch)
    {
        final long r = ++round;
        control.set(GO, r);
        await(STARTED, r, ROUND_TIMEOUT_NANOS, "start round " + r);
        batch.run();
        await(DONE, r, ROUND_TIMEOUT_NANOS, "finish round " + r);
    }

    /**
     * @return the rounds run so far.
     */
    long rounds()
    {
        return round;
    }

    /**
     * Tells the child to return, then waits for it; kills it if it does not exit in time. Closes
     * the control block either way.
     *
     * @throws InterruptedException  if interrupted while waiting.
     * @throws IllegalStateException if the child had to be killed or exited with a non-zero code.
     */
    void stop() throws InterruptedException
    {
        try
        {
            control.set(GO, STOP);
            Children.awaitExit(name, child, " of STOP");
        }
        finally
        {
            control.close();
        }
    }

    private void await(final int slot, final long value, final long timeoutNanos, final String what)
    {
        final long start = System.nanoTime();
        for (long i = 0; control.get(slot) != value; i++)
        {
            if ((i & 1023) == 1023)
            {
                if (!child.isAlive())
                {
                    throw new IllegalStateException(name + " exited instead of: " + what + "; " + child);
                }
                if (System.nanoTime() - start > timeoutNanos)
                {
                    throw new IllegalStateException(name + " did not " + what + " within " +
                        TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s: " + child);
                }
            }
            idle(i);
        }
    }

    /** Spins, then yields, then parks: the {@code i}th time a waiter found nothing new. */
    static void idle(final long i)
    {
        if (i < SPINS)
        {
            Thread.onSpinWait();
        }
        else if (i < SPINS + YIELDS)
        {
            Thread.yield();
        }
        else
        {
            LockSupport.parkNanos(PARK_NANOS);
        }
    }

    /** The child: runs {@code batch} for each round the parent asks for, until STOP. */
    private static void serve(final SharedLongArray control, final Task batch) throws Exception
    {
        try (control)
        {
            long last = 0;
            control.set(DONE, last);
            control.set(STARTED, last);
            while (true)
            {
                long go;
                for (long i = 0; (go = control.get(GO)) == last; i++)
                {
                    idle(i);
                }
                if (STOP == go)
                {
                    return;
                }
                control.set(STARTED, go);
                batch.run();
                control.set(DONE, go);
                last = go;
            }
        }
    }
}
