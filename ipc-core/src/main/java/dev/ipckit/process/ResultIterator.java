package dev.ipckit.process;

import dev.ipckit.IpcException;

import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeoutException;

/**
 * The results of {@link ProcessPool#imap} or {@link ProcessPool#imapUnordered} (and of the cluster
 * pool's {@code imap}), as they come: {@link #next()} waits for the next one.
 * <p>
 * There is one result per element. When the task of a chunk fails, {@code next()} throws
 * {@link TaskFailedException} once for each element of that chunk, and the iteration goes on
 * with the other elements' results.
 * <p>
 * <b>Note:</b> for one consuming thread.
 *
 * @param <R> the result type.
 */
public final class ResultIterator<R> implements Iterator<R>
{
    /**
     * Where the results come from.
     *
     * @param <R> the result type.
     */
    @FunctionalInterface
    public interface Source<R>
    {
        /**
         * Waits for a result; it is asked for each index once, in order, again only after a
         * {@link TimeoutException} or an {@link InterruptedException}.
         *
         * @param index        the index of the result to wait for, 0 first.
         * @param timeoutNanos how long to wait; {@link Long#MAX_VALUE} is as long as it takes.
         * @return the result.
         * @throws TaskFailedException  if its task failed.
         * @throws InterruptedException if interrupted while waiting.
         * @throws TimeoutException     if it did not come in time.
         */
        R await(int index, long timeoutNanos) throws InterruptedException, TimeoutException;
    }

    private final Source<R> source;
    private final int size;
    private int next;

    ResultIterator(final Source<R> source, final int size)
    {
        this.source = source;
        this.size = size;
    }

    /**
     * For pools outside this package (the cluster pool): an iterator over {@code size} results
     * that {@code source} waits for.
     *
     * @param <R>    the result type.
     * @param source waits for the result of an index.
     * @param size   how many results.
     * @return the iterator.
     */
    public static <R> ResultIterator<R> of(final Source<R> source, final int size)
    {
        return new ResultIterator<>(source, size);
    }

    /**
     * @return whether results remain.
     */
    @Override
    public boolean hasNext()
    {
        return next < size;
    }

    /**
     * Waits as long as it takes for the next result.
     *
     * @return the result.
     * @throws TaskFailedException    if its task failed.
     * @throws NoSuchElementException if no results remain.
     * @throws IpcException           if the thread is interrupted while waiting (its interrupt
     *                                status is kept).
     */
    @Override
    public R next()
    {
        try
        {
            return next(Duration.ofNanos(Long.MAX_VALUE));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IpcException("interrupted while waiting for a pool result", ex);
        }
        catch (final TimeoutException impossible)
        {
            throw new IllegalStateException(impossible);
        }
    }

    /**
     * Waits up to {@code timeout} for the next result: Python's {@code next(timeout)}.
     *
     * @param timeout how long to wait.
     * @return the result.
     * @throws TimeoutException       if it did not come in time (a later call waits for it again).
     * @throws TaskFailedException    if its task failed (the result is taken: the next call waits for
     *                                the one after it).
     * @throws NoSuchElementException if no results remain.
     * @throws InterruptedException   if interrupted while waiting.
     */
    public R next(final Duration timeout) throws InterruptedException, TimeoutException
    {
        if (next >= size)
        {
            throw new NoSuchElementException("all " + size + " results were taken");
        }
        long nanos;
        try
        {
            nanos = Math.max(0, timeout.toNanos());
        }
        catch (final ArithmeticException ex)
        {
            nanos = Long.MAX_VALUE;
        }
        final int index = next;
        try
        {
            final R result = source.await(index, nanos);
            next++;
            return result;
        }
        catch (final TaskFailedException failed)
        {
            next++;
            throw failed;
        }
    }
}
