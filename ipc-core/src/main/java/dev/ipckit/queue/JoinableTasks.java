package dev.ipckit.queue;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * The task count of a joinable queue, Python's {@code task_done()} and {@code join()}: each item
 * put is a task, a consumer marks it done once it has dealt with it, and {@code join} waits until
 * none is unfinished. {@link JoinableQueue} and {@code dev.ipckit.durable.DurableJoinableQueue}
 * implement it, so a consumer or a producer that joins can be written once for both.
 * <p>
 * <b>Note:</b> the implementations are thread-safe and count across processes; each states what
 * happens to the tasks of a consumer that dies.
 */
public interface JoinableTasks
{
    /**
     * Marks one task done.
     *
     * @throws IllegalStateException if there is no unfinished task to mark (the implementation
     *                               says which), or on a closed handle.
     */
    void taskDone();

    /**
     * Waits up to {@code timeout} until every task put has been marked done.
     *
     * @param timeout how long to wait; one too long for a {@code long} of nanoseconds waits for ever.
     * @return false if tasks were still unfinished when the time ran out.
     * @throws InterruptedException  if interrupted while waiting.
     * @throws IllegalStateException if this handle is closed.
     */
    boolean join(Duration timeout) throws InterruptedException;

    /**
     * Waits as long as it takes until every task put has been marked done: {@link #join(Duration)}
     * with {@link ChronoUnit#FOREVER}'s duration.
     *
     * @throws InterruptedException  if interrupted while waiting.
     * @throws IllegalStateException if this handle is closed.
     */
    default void join() throws InterruptedException
    {
        join(ChronoUnit.FOREVER.getDuration());
    }
}
