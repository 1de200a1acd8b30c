package dev.ipckit.manager;

import java.time.Duration;

/**
 * A {@link ManagedQueue} whose consumers mark each element done: CPython's
 * {@code Manager().JoinableQueue()}, with the method names of {@link dev.ipckit.queue.JoinableQueue}.
 * <p>
 * <b>Note:</b> as {@link ManagedQueue}.
 *
 * @param <E> the element type.
 */
public interface ManagedJoinableQueue<E> extends ManagedQueue<E>
{
    /**
     * Marks one element taken by {@code get} as processed.
     *
     * @throws IllegalStateException if called more times than elements were put.
     */
    void taskDone();

    /**
     * Waits until every element put has been marked done.
     *
     * @throws InterruptedException if the thread is interrupted while waiting.
     */
    void join() throws InterruptedException;

    /**
     * @param timeout how long to wait.
     * @return whether every element put was marked done within {@code timeout}.
     * @throws InterruptedException if the thread is interrupted while waiting.
     */
    boolean join(Duration timeout) throws InterruptedException;
}
