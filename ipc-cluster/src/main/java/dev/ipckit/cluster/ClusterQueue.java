package dev.ipckit.cluster;

import com.hazelcast.collection.IQueue;
import dev.ipckit.codec.Codec;
import dev.ipckit.queue.QueueEmptyException;
import dev.ipckit.queue.QueueFullException;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A first-in first-out queue shared by a cluster, with {@code IpcQueue}'s methods, on a Hazelcast
 * {@code IQueue} of encoded elements.
 * <p>
 * A {@code put} returns once the element is stored on the queue's member and on its backup, so an
 * acknowledged element survives the death of any single member (even by SIGKILL). Elements from one
 * producer come out in the order it put them. {@code null} is a legal element.
 * <p>
 * <b>Note:</b> thread-safe; any thread of any member or client may put and get. {@link #close()}
 * ends only this handle's use: its {@code put} and {@code get} then throw {@link IllegalStateException}.
 *
 * @param <E> the element type.
 */
public class ClusterQueue<E> implements AutoCloseable
{
    final String name;
    private final IQueue<byte[]> queue;
    private final Codec codec;
    private volatile boolean closed;

    ClusterQueue(final String name, final IQueue<byte[]> queue, final Codec codec)
    {
        this.name = name;
        this.queue = queue;
        this.codec = codec;
    }

    /**
     * Appends an element, waiting while a bounded queue is full.
     *
     * @param element the element.
     * @throws InterruptedException  if interrupted while waiting.
     * @throws IllegalStateException if this handle is closed.
     */
    public void put(final E element) throws InterruptedException
    {
        final byte[] bytes = encode(element);
        added(1);
        boolean done = false;
        try
        {
            queue.put(bytes);
            done = true;
        }
        finally
        {
            if (!done)
            {
                added(-1);
            }
        }
    }

    /**
     * Appends an element, waiting up to {@code timeout} while a bounded queue is full.
     *
     * @param element the element.
     * @param timeout how long to wait.
     * @throws QueueFullException    if it stayed full.
     * @throws InterruptedException  if interrupted while waiting.
     * @throws IllegalStateException if this handle is closed.
     */
    public void put(final E element, final Duration timeout) throws InterruptedException
    {
        final byte[] bytes = encode(element);
        added(1);
        boolean done = false;
        try
        {
            done = queue.offer(bytes, nanos(timeout), TimeUnit.NANOSECONDS);
        }
        finally
        {
            if (!done)
            {
                added(-1);
            }
        }
        if (!done)
        {
            throw new QueueFullException("cluster queue " + name + " stayed full for timeout=" + timeout);
        }
    }

    /**
     * Appends an element if there is room now.
     *
     * @param element the element.
     * @throws QueueFullException    if a bounded queue is full.
     * @throws IllegalStateException if this handle is closed.
     */
    public void putNowait(final E element)
    {
        final byte[] bytes = encode(element);
        added(1);
        boolean done = false;
        try
        {
            done = queue.offer(bytes);
        }
        finally
        {
            if (!done)
            {
                added(-1);
            }
        }
        if (!done)
        {
            throw new QueueFullException("cluster queue " + name + " is full");
        }
    }

    /**
     * Removes and returns the oldest element, waiting for one.
     *
     * @return the element.
     * @throws InterruptedException  if interrupted while waiting.
     * @throws IllegalStateException if this handle is closed.
     */
    public E get() throws InterruptedException
    {
        checkOpen();
        return decode(queue.take());
    }

    /**
     * Removes and returns the oldest element, waiting up to {@code timeout} for one.
     *
     * @param timeout how long to wait.
     * @return the element.
     * @throws QueueEmptyException   if none came in time.
     * @throws InterruptedException  if interrupted while waiting.
     * @throws IllegalStateException if this handle is closed.
     */
    public E get(final Duration timeout) throws InterruptedException
    {
        checkOpen();
        final byte[] bytes = queue.poll(nanos(timeout), TimeUnit.NANOSECONDS);
        if (null == bytes)
        {
            throw new QueueEmptyException("cluster queue " + name + " stayed empty for timeout=" + timeout);
        }
        return decode(bytes);
    }

    /**
     * Removes and returns the oldest element if there is one.
     *
     * @return the element.
     * @throws QueueEmptyException   if the queue is empty.
     * @throws IllegalStateException if this handle is closed.
     */
    public E getNowait()
    {
        checkOpen();
        final byte[] bytes = queue.poll();
        if (null == bytes)
        {
            throw new QueueEmptyException("cluster queue " + name + " is empty");
        }
        return decode(bytes);
    }

    /**
     * @return how many elements the queue holds now, across the cluster.
     */
    public int qsize()
    {
        return queue.size();
    }

    /**
     * @return whether the queue holds no element now.
     */
    public boolean isEmpty()
    {
        return queue.isEmpty();
    }

    /**
     * @return whether a bounded queue holds its maximum now.
     */
    public boolean isFull()
    {
        return 0 == queue.remainingCapacity();
    }

    /**
     * @return the queue's name.
     */
    public String name()
    {
        return name;
    }

    /**
     * Ends this handle's use; the queue and its elements stay in the cluster. Idempotent.
     */
    @Override
    public void close()
    {
        closed = true;
    }

    @Override
    public String toString()
    {
        return getClass().getSimpleName() + "{name=" + name + (closed ? ", closed" : "") + '}';
    }

    /**
     * Counts elements added ({@code delta > 0}) or an add that failed ({@code delta < 0}).
     *
     * @param delta the change.
     */
    void added(final int delta)
    {
    }

    final void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("cluster queue " + name + " is closed (this handle)");
        }
    }

    private byte[] encode(final E element)
    {
        checkOpen();
        return codec.encode(element);
    }

    @SuppressWarnings("unchecked")
    private E decode(final byte[] bytes)
    {
        return (E)codec.decode(bytes, 0, bytes.length);
    }

    static long nanos(final Duration timeout)
    {
        try
        {
            return Math.max(0, timeout.toNanos());
        }
        catch (final ArithmeticException ex)
        {
            return Long.MAX_VALUE;
        }
    }
}
