package dev.ipckit.queue;

import dev.ipckit.codec.Codec;
import dev.ipckit.internal.CloseOnce;
import dev.ipckit.internal.Waiter;

import java.io.ObjectStreamException;
import java.io.Serializable;
import java.time.Duration;

/**
 * A first-in first-out queue shared by processes: Python's {@code multiprocessing.Queue}.
 * <pre>{@code
 * IpcQueue<String> q = IpcQueue.create();
 * IpcProcess.start(() -> q.put("hello"));
 * String s = q.get();
 * }</pre>
 * Elements are encoded with Java serialization (with fast paths for {@code null}, strings,
 * {@code byte[]} and boxed primitives) into a ring buffer in shared memory; a queue costs its ring
 * (1 MiB by default, {@link #create(int, int)}), not heap per element, and an element larger than
 * an eighth of the ring is written to a spill file that the getter removes. Elements from one
 * producer come out in the order it put them. {@code null} is a legal element. It travels to
 * other processes as a handle; the queue's memory goes when every process holding it has closed
 * it or exited.
 * <p>
 * A queue captured by a child's task or a pool job stays alive for that child until it has
 * attached it or died, so the sender may close its handle at once. An element that is itself a
 * handle (a queue, a {@code Shared*} value, a lock, a pipe end) is different: who gets it is not
 * known when it is put, so the putter keeps its own handle of it open until the getter has
 * attached it (it does as it decodes the element).
 * <p>
 * A bounded queue ({@code maxSize > 0}) blocks {@link #put} while it holds {@code maxSize} items;
 * any queue blocks {@code put} while its ring is full. Waiting spins, then parks with back-off
 * up to 1 ms, so an idle waiter costs a fraction of a percent of a core.
 * <p>
 * Robust where CPython's is not: a producer killed in the middle of a put never blocks the queue
 * and its torn element is never delivered; a consumer killed while reading does not stop the
 * others; room a dead producer held is given back.
 * <p>
 * <b>Note:</b> thread-safe; any thread of any process may put and get; 1024 processes may have one
 * queue open at once: attaching a handle past that throws {@link dev.ipckit.IpcException} before
 * anything is taken, and a process gives its place up when it closes its last handle or exits.
 * {@link #close()} ends only this handle's use: its {@code put} and {@code get},
 * including those waiting in other threads, then throw {@link IllegalStateException}.
 *
 * @param <E> the element type.
 */
public class IpcQueue<E> implements AutoCloseable, Serializable
{
    private static final long serialVersionUID = 1L;

    final transient QueueEngine engine;
    private final transient Codec codec = Codec.standard();
    private final transient CloseOnce closed = new CloseOnce();

    IpcQueue(final QueueEngine engine)
    {
        this.engine = engine;
    }

    /**
     * @param <E> the element type.
     * @return a new queue without a size limit.
     */
    public static <E> IpcQueue<E> create()
    {
        return create(0);
    }

    /**
     * @param <E>     the element type.
     * @param maxSize the most items it holds; 0 for no limit.
     * @return a new queue.
     * @throws IllegalArgumentException if {@code maxSize} is negative.
     */
    public static <E> IpcQueue<E> create(final int maxSize)
    {
        return create(maxSize, QueueEngine.DEFAULT_RING_CAPACITY);
    }

    /**
     * @param <E>          the element type.
     * @param maxSize      the most items it holds; 0 for no limit.
     * @param ringCapacity bytes of its ring buffer, a power of two from 4096; elements over an
     *                     eighth of it go to spill files.
     * @return a new queue.
     * @throws IllegalArgumentException if an argument is out of range.
     */
    public static <E> IpcQueue<E> create(final int maxSize, final int ringCapacity)
    {
        return new IpcQueue<>(QueueEngine.create(maxSize, ringCapacity, false));
    }

    /**
     * Puts an element, waiting as long as it takes for room. A shared primitive in the element
     * needs this process's handle of it open until the getter has attached it.
     *
     * @param element the element, {@code null} included.
     * @throws InterruptedException  if interrupted while waiting; the element was not put.
     * @throws IllegalStateException if this handle is closed.
     * @throws dev.ipckit.codec.CodecException if the element cannot be encoded.
     */
    public void put(final E element) throws InterruptedException
    {
        engine.put(encode(element), Waiter.FOREVER);
    }

    /**
     * Puts an element, waiting up to {@code timeout} for room.
     *
     * @param element the element.
     * @param timeout how long to wait.
     * @throws QueueFullException    if no room came in time; the element was not put.
     * @throws InterruptedException  if interrupted while waiting.
     * @throws IllegalStateException if this handle is closed.
     */
    public void put(final E element, final Duration timeout) throws InterruptedException
    {
        if (!engine.put(encode(element), Waiter.nanos(timeout)))
        {
            throw new QueueFullException("queue " + engine.id() + " stayed full for " + timeout);
        }
    }

    /**
     * Puts an element if there is room now.
     *
     * @param element the element.
     * @throws QueueFullException    if the queue is full.
     * @throws IllegalStateException if this handle is closed.
     */
    public void putNowait(final E element)
    {
        try
        {
            if (!engine.put(encode(element), 0))
            {
                throw new QueueFullException("queue " + engine.id() + " is full");
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new QueueFullException("interrupted while putting to queue " + engine.id());
        }
    }

    /**
     * Takes the next element, waiting as long as it takes.
     *
     * @return the element.
     * @throws InterruptedException  if interrupted while waiting.
     * @throws IllegalStateException if this handle is closed.
     * @throws dev.ipckit.codec.CodecException if the element cannot be decoded (it is consumed).
     */
    public E get() throws InterruptedException
    {
        checkOpen();
        return decode(engine.get(Waiter.FOREVER));
    }

    /**
     * Takes the next element, waiting up to {@code timeout}.
     *
     * @param timeout how long to wait.
     * @return the element.
     * @throws QueueEmptyException   if none came in time.
     * @throws InterruptedException  if interrupted while waiting.
     * @throws IllegalStateException if this handle is closed.
     */
    public E get(final Duration timeout) throws InterruptedException
    {
        final byte[] message = engine.get(checkedNanos(timeout));
        if (null == message)
        {
            throw new QueueEmptyException("no item on queue " + engine.id() + " within " + timeout);
        }
        return decode(message);
    }

    /**
     * Takes the next element if there is one now.
     *
     * @return the element.
     * @throws QueueEmptyException   if the queue is empty.
     * @throws IllegalStateException if this handle is closed.
     */
    public E getNowait()
    {
        checkOpen();
        try
        {
            final byte[] message = engine.get(0);
            if (null == message)
            {
                throw new QueueEmptyException("queue " + engine.id() + " is empty");
            }
            return decode(message);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new QueueEmptyException("interrupted while getting from queue " + engine.id());
        }
    }

    /**
     * @return how many items are queued: a snapshot, approximate while others put and get.
     */
    public int qsize()
    {
        return engine.size();
    }

    /**
     * @return whether the queue is empty (a snapshot).
     */
    public boolean isEmpty()
    {
        return engine.isEmpty();
    }

    /**
     * @return whether a bounded queue holds {@code maxSize} items (a snapshot); false if unbounded.
     */
    public boolean isFull()
    {
        return engine.isFull();
    }

    /**
     * Ends this handle's use of the queue; idempotent. Elements already put stay for others to
     * get; other handles, here and in other processes, are unaffected.
     */
    @Override
    public void close()
    {
        closed.close(engine::close);
    }

    @Override
    public String toString()
    {
        return getClass().getSimpleName() + "{" + engine.id() + (closed.isClosed() ? ", closed" : "") +
            (0 == engine.maxSize() ? "" : ", maxSize=" + engine.maxSize()) + '}';
    }

    final void checkOpen()
    {
        closed.checkOpen(this);
    }

    private byte[] encode(final E element)
    {
        checkOpen();
        return codec.encode(element);
    }

    private long checkedNanos(final Duration timeout)
    {
        checkOpen();
        return Waiter.nanos(timeout);
    }

    @SuppressWarnings("unchecked")
    private E decode(final byte[] message)
    {
        return (E)codec.decode(message, 0, message.length);
    }

    /**
     * @return the handle that crosses a process boundary.
     * @throws ObjectStreamException never.
     */
    protected final Object writeReplace() throws ObjectStreamException
    {
        return (this instanceof JoinableQueue ? QueueKind.JOINABLE : QueueKind.QUEUE).handleOf(engine);
    }
}
