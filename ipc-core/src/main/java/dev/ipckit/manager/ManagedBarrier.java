package dev.ipckit.manager;

import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeoutException;

/**
 * A cyclic barrier held by a {@link Manager}'s server: CPython's {@code Manager().Barrier(n)}, with
 * the method names of {@link dev.ipckit.sync.IpcBarrier}.
 * <p>
 * <b>Note:</b> {@code await} blocks only the calling thread and is interruptible.
 */
public interface ManagedBarrier
{
    /**
     * Waits until {@link #parties()} threads have arrived.
     *
     * @return the arrival index, {@code 0} for the first to arrive.
     * @throws InterruptedException   if the thread is interrupted while waiting.
     * @throws BrokenBarrierException if the barrier is or becomes broken.
     */
    int await() throws InterruptedException, BrokenBarrierException;

    /**
     * @param timeout how long to wait.
     * @return the arrival index.
     * @throws InterruptedException   if the thread is interrupted while waiting.
     * @throws BrokenBarrierException if the barrier is or becomes broken.
     * @throws TimeoutException       if {@code timeout} elapsed; the barrier is then broken.
     */
    int await(Duration timeout) throws InterruptedException, BrokenBarrierException, TimeoutException;

    /**
     * Breaks the barrier: waiters and later arrivals get {@link BrokenBarrierException}.
     */
    void abort();

    /**
     * Breaks the current round and starts afresh.
     */
    void reset();

    /**
     * @return whether the barrier is broken.
     */
    boolean isBroken();

    /**
     * @return how many threads the barrier waits for.
     */
    int parties();

    /**
     * @return how many threads wait now.
     */
    int waiting();
}
