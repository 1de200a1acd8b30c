package dev.ipckit.queue;

import dev.ipckit.codec.Codec;
import dev.ipckit.internal.CloseOnce;
import dev.ipckit.internal.Waiter;

import java.io.ObjectStreamException;
import java.io.Serializable;

/**
 * The minimal queue: Python's {@code multiprocessing.SimpleQueue}, unbounded, with
 * {@link #put}, {@link #get}, {@link #isEmpty()} and {@link #close()}. It shares
 * {@link IpcQueue}'s ring buffer and its robustness.
 * <p>
 * <b>Note:</b> thread-safe; any thread of any process may put and get.
 *
 * @param <E> the element type.
 */
public final class SimpleQueue<E> implements AutoCloseable, Serializable
{
    private static final long serialVersionUID = 1L;

    private final transient QueueEngine engine;
    private final transient Codec codec = Codec.standard();
    private final transient CloseOnce closed = new CloseOnce();

    SimpleQueue(final QueueEngine engine)
    {
        this.engine = engine;
    }

    /**
     * @param <E> the element type.
     * @return a new queue.
     */
    public static <E> SimpleQueue<E> create()
    {
        return new SimpleQueue<>(QueueEngine.create(0, QueueEngine.DEFAULT_RING_CAPACITY, false));
    }

    /**
     * Puts an element, waiting only if the ring is full.
     *
     * @param element the element, {@code null} included.
     * @throws InterruptedException  if interrupted while waiting.
     * @throws IllegalStateException if this handle is closed.
     */
    public void put(final E element) throws InterruptedException
    {
        checkOpen();
        engine.put(codec.encode(element), Waiter.FOREVER);
    }

    /**
     * Takes the next element, waiting as long as it takes.
     *
     * @return the element.
     * @throws InterruptedException  if interrupted while waiting.
     * @throws IllegalStateException if this handle is closed.
     */
    @SuppressWarnings("unchecked")
    public E get() throws InterruptedException
    {
        checkOpen();
        final byte[] message = engine.get(Waiter.FOREVER);
        return (E)codec.decode(message, 0, message.length);
    }

    /**
     * @return whether the queue is empty (a snapshot).
     */
    public boolean isEmpty()
    {
        return engine.isEmpty();
    }

    /**
     * Ends this handle's use of the queue; idempotent.
     */
    @Override
    public void close()
    {
        closed.close(engine::close);
    }

    @Override
    public String toString()
    {
        return "SimpleQueue{" + engine.id() + (closed.isClosed() ? ", closed" : "") + '}';
    }

    private void checkOpen()
    {
        closed.checkOpen(this);
    }

    /**
     * @return the handle that crosses a process boundary.
     * @throws ObjectStreamException never.
     */
    private Object writeReplace() throws ObjectStreamException
    {
        return QueueKind.SIMPLE.handleOf(engine);
    }
}
