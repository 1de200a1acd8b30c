package dev.ipckit.durable;

import dev.ipckit.codec.Codec;
import dev.ipckit.internal.CloseOnce;
import dev.ipckit.internal.Handle;
import dev.ipckit.internal.Waiter;
import dev.ipckit.queue.QueueEmptyException;

import java.io.ObjectStreamException;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A first-in first-out queue kept in a directory, whose items survive the death of every process
 * that uses it: {@code IpcQueue}'s methods on a Chronicle Queue log.
 * <pre>{@code
 * try (DurableQueue<String> q = DurableQueue.open(Path.of("/var/lib/app/jobs"))) {
 *     q.put("hello");            // survives kill -9 of every process from here on
 * }
 * }</pre>
 * What survives what:
 * <ul>
 * <li>an item whose {@link #put} returned survives {@code kill -9}, an OOM kill or a crash of
 * every process: the log and the state are memory-mapped files, which the kernel writes to the
 * disk on its own; a later {@link #open} of the directory finds every item not yet taken;</li>
 * <li>a power loss or a kernel crash loses what the kernel had not yet written, unless the queue
 * is opened with {@link DurableOptions#sync(boolean) sync}: then each put returns once its item is
 * on the disk. Consumers' progress is never synced, so after a power loss items taken shortly
 * before may be delivered again;</li>
 * <li>a producer killed in the middle of a put leaves no partial item, and the next producer
 * appends at once (not after a lock time-out).</li>
 * </ul>
 * Items of one producer come out in the order it put them; each item goes to one consumer. A
 * plain {@code DurableQueue} counts an item done as {@link #get} hands it out, so an item got by a
 * process that then dies is gone; {@link DurableJoinableQueue} keeps it until {@code taskDone()}
 * and delivers it again if its consumer dies first. {@code null} is a legal element; elements are
 * encoded with the standard {@link Codec}.
 * <p>
 * Disk use is bounded by what is not yet done: the log rolls to a new file every
 * {@link RollPeriod} (an hour by default), and a file whose items are all done is deleted once the
 * queue has moved past it.
 * <p>
 * The JVM needs Chronicle Queue's flags ({@code --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
 * --add-exports=java.base/sun.nio.ch=ALL-UNNAMED --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED});
 * without them {@code open} throws one {@link dev.ipckit.IpcException} naming them. Child JVMs
 * started by ipckit after the first {@code open} get them automatically.
 * <p>
 * <b>Note:</b> thread-safe; any thread of any process may put and get. The handle is
 * {@link Serializable} as its directory: a queue captured in a child's task opens the same
 * directory there. {@link #close()} ends only this handle's use; the last handle of a process
 * hands the items it got and did not mark done to other consumers.
 *
 * @param <E> the element type.
 */
public class DurableQueue<E> implements AutoCloseable, Serializable
{
    private static final long serialVersionUID = 1L;

    final transient DurableEngine engine;
    private final transient DurableOptions options;
    private final transient Codec codec = Codec.standard();
    private final transient CloseOnce closed = new CloseOnce();

    DurableQueue(final DurableEngine engine, final DurableOptions options)
    {
        this.engine = engine;
        this.options = options;
    }

    /**
     * Creates the queue kept in {@code dir}, or reopens it with every item not yet done.
     *
     * @param <E> the element type.
     * @param dir a new or empty directory (made if missing), or one that holds a durable queue.
     * @return a handle.
     * @throws dev.ipckit.IpcException if {@code dir} is a file, cannot be made or written, holds
     *                                  other files, or the JVM lacks Chronicle Queue's flags.
     */
    public static <E> DurableQueue<E> open(final Path dir)
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
    public static <E> DurableQueue<E> open(final Path dir, final DurableOptions options)
    {
        return new DurableQueue<>(DurableEngine.open(dir, options), options);
    }

    /**
     * @return the JVM flags durable queues need on this JDK (three on JDK 17 to 22, five from 23),
     * for a command line ipckit does not make; ipckit's own child JVMs get them once a queue has
     * been opened in their parent, or when passed to {@code IpcProcess.builder().jvmArgs(...)}.
     */
    public static java.util.List<String> jvmFlags()
    {
        return ChronicleAccess.flags();
    }

    /**
     * Puts an element; returns once it is in the log (and on the disk, with sync).
     *
     * @param element the element, {@code null} included.
     * @throws InterruptedException  if interrupted while waiting for another producer; nothing was put.
     * @throws IllegalStateException if this handle is closed.
     * @throws dev.ipckit.codec.CodecException if the element cannot be encoded; nothing was put.
     */
    public void put(final E element) throws InterruptedException
    {
        checkOpen();
        engine.put(codec.encode(element), options.isSync());
    }

    /**
     * Takes the next element, waiting as long as it takes.
     *
     * @return the element.
     * @throws InterruptedException  if interrupted while waiting.
     * @throws IllegalStateException if this handle is closed.
     * @throws dev.ipckit.codec.CodecException if the element cannot be decoded (it is taken).
     */
    public E get() throws InterruptedException
    {
        return getDelivery().value();
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
        return getDelivery(timeout).value();
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
        try
        {
            return take(0).value();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new QueueEmptyException("interrupted while getting from durable queue " + engine.dir());
        }
    }

    /**
     * Takes the next element with its delivery facts, waiting as long as it takes.
     *
     * @return the delivery.
     * @throws InterruptedException  if interrupted while waiting.
     * @throws IllegalStateException if this handle is closed.
     */
    public Delivery<E> getDelivery() throws InterruptedException
    {
        return take(Waiter.FOREVER);
    }

    /**
     * Takes the next element with its delivery facts, waiting up to {@code timeout}.
     *
     * @param timeout how long to wait.
     * @return the delivery.
     * @throws QueueEmptyException   if none came in time.
     * @throws InterruptedException  if interrupted while waiting.
     * @throws IllegalStateException if this handle is closed.
     */
    public Delivery<E> getDelivery(final Duration timeout) throws InterruptedException
    {
        return take(Waiter.nanos(timeout));
    }

    /**
     * @return items put and not yet taken, plus items to deliver again: a snapshot.
     */
    public int qsize()
    {
        return (int)Math.min(Integer.MAX_VALUE, engine.size());
    }

    /**
     * @return whether no item waits to be taken (a snapshot).
     */
    public boolean isEmpty()
    {
        return 0 == engine.size();
    }

    /**
     * Ends this handle's use; idempotent. Items stay in the directory.
     */
    @Override
    public void close()
    {
        closed.close(engine::release);
    }

    @Override
    public String toString()
    {
        return getClass().getSimpleName() + "{" + engine.dir() + (closed.isClosed() ? ", closed" : "") + '}';
    }

    final void checkOpen()
    {
        closed.checkOpen(this);
    }

    private Delivery<E> take(final long timeoutNanos) throws InterruptedException
    {
        checkOpen();
        final DurableEngine.Taken taken = engine.take(timeoutNanos, !(this instanceof DurableJoinableQueue));
        if (null == taken)
        {
            throw new QueueEmptyException(0 == timeoutNanos ? "durable queue " + engine.dir() + " is empty" :
                "no item on durable queue " + engine.dir() + " within " + Duration.ofNanos(timeoutNanos));
        }
        return new Delivery<>(decode(taken.data), taken.sequence, taken.redelivered);
    }

    @SuppressWarnings("unchecked")
    private E decode(final byte[] data)
    {
        return (E)codec.decode(data, 0, data.length);
    }

    /**
     * @return the handle that crosses a process boundary: the directory and the options.
     * @throws ObjectStreamException never.
     */
    protected final Object writeReplace() throws ObjectStreamException
    {
        return Handle.named(this instanceof DurableJoinableQueue ? DurableKind.JOINABLE : DurableKind.QUEUE,
            engine.dir().toString(), options);
    }
}
