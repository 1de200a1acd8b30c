package dev.ipckit.manager;

import java.time.Duration;

/**
 * A FIFO queue held by a {@link Manager}'s server: CPython's {@code Manager().Queue(maxsize)}, with
 * the method names of {@link dev.ipckit.queue.IpcQueue}. {@code null} is a legal element.
 * <p>
 * <b>Note:</b> blocking calls block only the calling thread; they are interruptible
 * ({@link InterruptedException}) and those with a {@link Duration} give up after it.
 *
 * @param <E> the element type.
 */
public interface ManagedQueue<E>
{
    /**
     * Puts an element, waiting while the queue is full.
     *
     * @param element the element.
     * @throws InterruptedException if the thread is interrupted while waiting.
     */
    void put(E element) throws InterruptedException;

    /**
     * Puts an element, waiting up to {@code timeout} while the queue is full.
     *
     * @param element the element.
     * @param timeout how long to wait.
     * @throws dev.ipckit.queue.QueueFullException if the queue is still full after {@code timeout}.
     * @throws InterruptedException                if the thread is interrupted while waiting.
     */
    void put(E element, Duration timeout) throws InterruptedException;

    /**
     * @param element the element.
     * @throws dev.ipckit.queue.QueueFullException if the queue is full.
     */
    void putNowait(E element);

    /**
     * @return the oldest element, waiting for one.
     * @throws InterruptedException if the thread is interrupted while waiting.
     */
    E get() throws InterruptedException;

    /**
     * @param timeout how long to wait.
     * @return the oldest element.
     * @throws dev.ipckit.queue.QueueEmptyException if none came within {@code timeout}.
     * @throws InterruptedException                 if the thread is interrupted while waiting.
     */
    E get(Duration timeout) throws InterruptedException;

    /**
     * @return the oldest element.
     * @throws dev.ipckit.queue.QueueEmptyException if the queue is empty.
     */
    E getNowait();

    /**
     * @return the number of elements.
     */
    int qsize();

    /**
     * @return whether the queue holds no element.
     */
    boolean isEmpty();

    /**
     * @return whether the queue holds {@code maxSize} elements.
     */
    boolean isFull();
}
