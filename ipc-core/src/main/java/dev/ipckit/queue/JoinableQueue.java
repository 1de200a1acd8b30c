package dev.ipckit.queue;

import dev.ipckit.internal.Waiter;

import java.time.Duration;

/**
 * A queue that counts unfinished tasks: Python's {@code multiprocessing.JoinableQueue}. Every
 * {@code put} adds a task; a consumer calls {@link #taskDone()} for each element it got once it
 * has dealt with it; {@link #join()} waits until no task is unfinished (the methods of
 * {@link JoinableTasks}). The count is shared by every process.
 * <p>
 * Where CPython's {@code join()} hangs for ever, this one does not: if a consumer dies (even by
 * SIGKILL) after getting elements and before calling {@code taskDone()} for them, {@code join}
 * notices within about 10 ms, counts those tasks as done, adds them to {@link #lostTasks()}, and
 * returns. A caller that must know compares {@code lostTasks()} before and after. As in CPython,
 * any process may call {@code taskDone()} for an element another process got.
 * <p>
 * <b>Note:</b> thread-safe, as {@link IpcQueue}.
 *
 * @param <E> the element type.
 */
public final class JoinableQueue<E> extends IpcQueue<E> implements JoinableTasks
{
    private static final long serialVersionUID = 1L;

    JoinableQueue(final QueueEngine engine)
    {
        super(engine);
    }

    /**
     * @param <E> the element type.
     * @return a new joinable queue without a size limit.
     */
    public static <E> JoinableQueue<E> create()
    {
        return create(0);
    }

    /**
     * @param <E>     the element type.
     * @param maxSize the most items it holds; 0 for no limit.
     * @return a new joinable queue.
     * @throws IllegalArgumentException if {@code maxSize} is negative.
     */
    public static <E> JoinableQueue<E> create(final int maxSize)
    {
        return create(maxSize, QueueEngine.DEFAULT_RING_CAPACITY);
    }

    /**
     * @param <E>          the element type.
     * @param maxSize      the most items it holds; 0 for no limit.
     * @param ringCapacity bytes of its ring buffer, a power of two from 4096.
     * @return a new joinable queue.
     * @throws IllegalArgumentException if an argument is out of range.
     */
    public static <E> JoinableQueue<E> create(final int maxSize, final int ringCapacity)
    {
        return new JoinableQueue<>(QueueEngine.create(maxSize, ringCapacity, true));
    }

    /**
     * Marks one task done.
     *
     * @throws IllegalStateException if called more times than elements were put, or on a closed
     *                               handle.
     */
    @Override
    public void taskDone()
    {
        checkOpen();
        engine.taskDone();
    }

    /**
     * Waits up to {@code timeout} until every task has been marked done (or was lost with a
     * consumer that died).
     *
     * @param timeout how long to wait.
     * @return false if tasks were still unfinished when the time ran out.
     * @throws InterruptedException  if interrupted while waiting.
     * @throws IllegalStateException if this handle is closed.
     */
    @Override
    public boolean join(final Duration timeout) throws InterruptedException
    {
        checkOpen();
        return engine.join(Waiter.nanos(timeout));
    }

    /**
     * @return how many tasks were counted as done because the consumer that got them died first,
     * over the queue's life (all processes).
     */
    public long lostTasks()
    {
        return engine.lostTasks();
    }
}
