package dev.ipckit.process;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The result of a task submitted to a {@link ProcessPool}: Python's
 * {@code multiprocessing.pool.AsyncResult}.
 * <p>
 * <b>Note:</b> thread-safe.
 *
 * @param <R> the result type.
 */
public final class AsyncResult<R>
{
    private final CompletableFuture<R> future;

    AsyncResult(final CompletableFuture<R> future)
    {
        this.future = future;
    }

    /**
     * For pools outside this package (the cluster pool): a result that completes with {@code future}.
     *
     * @param <R>    the result type.
     * @param future completed with the result, or exceptionally with the task's failure.
     * @return the result.
     */
    public static <R> AsyncResult<R> of(final CompletableFuture<R> future)
    {
        return new AsyncResult<>(future);
    }

    /**
     * Waits for the result.
     *
     * @return the result.
     * @throws ExecutionException   if the task failed: its cause is the task's own exception (with
     *                              the worker's stack trace), or a {@link WorkerDiedException}.
     * @throws InterruptedException if interrupted while waiting.
     */
    public R get() throws ExecutionException, InterruptedException
    {
        return future.get();
    }

    /**
     * Waits up to {@code timeout} for the result.
     *
     * @param timeout how long to wait.
     * @return the result.
     * @throws TimeoutException     if it did not come in time (the task goes on).
     * @throws ExecutionException   if the task failed.
     * @throws InterruptedException if interrupted while waiting.
     */
    public R get(final Duration timeout) throws ExecutionException, InterruptedException, TimeoutException
    {
        return future.get(nanos(timeout), TimeUnit.NANOSECONDS);
    }

    /**
     * Waits up to {@code timeout} for the task to finish, successfully or not.
     *
     * @param timeout how long to wait.
     * @return whether it finished.
     * @throws InterruptedException if interrupted while waiting.
     */
    public boolean await(final Duration timeout) throws InterruptedException
    {
        try
        {
            future.get(nanos(timeout), TimeUnit.NANOSECONDS);
        }
        catch (final ExecutionException | java.util.concurrent.CancellationException finished)
        {
            return true;
        }
        catch (final TimeoutException notYet)
        {
            return false;
        }
        return true;
    }

    /**
     * @return whether the task has finished.
     */
    public boolean ready()
    {
        return future.isDone();
    }

    /**
     * @return whether the task finished without an exception.
     * @throws IllegalStateException if it has not finished.
     */
    public boolean successful()
    {
        if (!future.isDone())
        {
            throw new IllegalStateException("the task has not finished yet");
        }
        return !future.isCompletedExceptionally();
    }

    /**
     * @return a future completed with the result, or exceptionally with the task's exception;
     * completing it does not affect this result.
     */
    public CompletableFuture<R> toCompletableFuture()
    {
        return future.copy();
    }

    @Override
    public String toString()
    {
        return "AsyncResult{" + (!future.isDone() ? "pending" : successful() ? "successful" : "failed") + '}';
    }

    private static long nanos(final Duration timeout)
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
