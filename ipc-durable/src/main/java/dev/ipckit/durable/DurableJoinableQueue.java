package dev.ipckit.durable;

import dev.ipckit.internal.Waiter;
import dev.ipckit.queue.JoinableTasks;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A durable queue that counts unfinished tasks, as {@code JoinableQueue} does, with at-least-once
 * delivery: an item stays claimed by the process that got it until that process calls
 * {@link #taskDone()}; if the process dies first (or closes its last handle), the item goes to
 * another consumer, whose {@link Delivery#redelivered()} is true.
 * <p>
 * {@code taskDone()} carries no id, as Python's {@code task_done()}: it marks the oldest item this
 * process got and has not marked done. {@link #join()} counts across processes and reopenings: it
 * returns when every item ever put in the directory has been marked done. At most 65536 items may
 * be got and not yet marked done at once, over all processes.
 * <p>
 * <b>Note:</b> thread-safe, as {@link DurableQueue}; the items a process got are its threads'
 * together.
 *
 * @param <E> the element type.
 */
public final class DurableJoinableQueue<E> extends DurableQueue<E> implements JoinableTasks
{
    private static final long serialVersionUID = 1L;

    DurableJoinableQueue(final DurableEngine engine, final DurableOptions options)
    {
        super(engine, options);
    }

    /**
     * Creates the queue kept in {@code dir}, or reopens it.
     *
     * @param <E> the element type.
     * @param dir a new or empty directory (made if missing), or one that holds a durable queue.
     * @return a handle.
     * @throws dev.ipckit.IpcException as {@link DurableQueue#open(Path)}.
     */
    public static <E> DurableJoinableQueue<E> open(final Path dir)
    {
        return open(dir, DurableOptions.defaults());
    }

    /**
     * As {@link #open(Path)}, with options.
     *
     * @param <E>     the element type.
     * @param dir     the directory.
     * @param options sync, and the roll period of a new queue.
     * @return a handle.
     */
    public static <E> DurableJoinableQueue<E> open(final Path dir, final DurableOptions options)
    {
        return new DurableJoinableQueue<>(DurableEngine.open(dir, options), options);
    }

    /**
     * Marks done the oldest item this process got and has not marked done.
     *
     * @throws IllegalStateException if this process holds no such item, or this handle is closed.
     */
    @Override
    public void taskDone()
    {
        checkOpen();
        engine.taskDone();
    }

    /**
     * Waits up to {@code timeout} until every item put has been marked done.
     *
     * @param timeout how long to wait.
     * @return false if items were still unfinished when the time ran out.
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
     * @return items put and not yet marked done, over all processes (a snapshot).
     */
    public long unfinishedTasks()
    {
        return engine.unfinished();
    }
}
