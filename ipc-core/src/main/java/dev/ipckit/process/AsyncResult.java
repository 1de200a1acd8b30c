package dev.ipckit.process;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * The result of a task submitted to a {@link ProcessPool}: Python's
 * {@code multiprocessing.pool.AsyncResult}, and a {@link Future}.
 * <p>
 * {@link #cancel(boolean)} takes the task back only while no worker has been handed it (for
 * {@code mapAsync}: none of its chunks): then the task never runs, the result is cancelled and
 * {@code cancel} returns true. A task a worker holds is never interrupted, whatever
 * {@code mayInterruptIfRunning} says (a worker runs it in its own JVM): {@code cancel} returns false
 * and the task finishes as usual.
 * <p>
 * <b>Note:</b> thread-safe.
 *
 * @param <R> the result type.
 */
public final class AsyncResult<R> implements Future<R>
{
    private final CompletableFuture<R> future;
    private final BooleanSupplier withdraw;

    AsyncResult(final CompletableFuture<R> future)
    {
        this(future, () -> false);
    }

    /**
     * @param future   completed with the outcome.
     * @param withdraw takes the task back if no worker holds it yet, and says whether it did.
     */
    AsyncResult(final CompletableFuture<R> future, final BooleanSupplier withdraw)
    {
        this.future = future;
        this.withdraw = withdraw;
    }

    /**
     * Cancels the task if no worker has been handed it yet; a task a worker holds goes on.
     *
     * @param mayInterruptIfRunning ignored: a running task is never interrupted.
     * @return whether the task was cancelled (it will not run).
     */
    @Override
    public boolean cancel(final boolean mayInterruptIfRunning)
    {
        if (future.isDone() || !withdraw.getAsBoolean())
        {
            return false;
        }
        return future.cancel(false) || future.isCancelled();
    }

    /**
     * @return whether {@link #cancel(boolean)} cancelled the task.
     */
    @Override
    public boolean isCancelled()
    {
        return future.isCancelled();
    }

    /**
     * @return whether the task has finished, successfully or not, or was cancelled.
     */
    @Override
    public boolean isDone()
    {
        return future.isDone();
    }

    /**
     * Waits up to {@code timeout} for the result.
     *
     * @param timeout how long to wait.
     * @param unit    its unit.
     * @return the result.
     * @throws TimeoutException      if it did not come in time (the task goes on).
     * @throws ExecutionException    if the task failed.
     * @throws CancellationException if the task was cancelled.
     * @throws InterruptedException  if interrupted while waiting.
     */
    @Override
    public R get(final long timeout, final TimeUnit unit)
        throws InterruptedException, ExecutionException, TimeoutException
    {
        return future.get(timeout, unit);
    }

    /**
     * For pools outside this package (the cluster pool): a result that completes with {@code future};
     * its {@link #cancel(boolean)} never takes a task back.
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
     * @throws ExecutionException    if the task failed: its cause is the task's own exception (with
     *                               the worker's stack trace), or a {@link WorkerDiedException}.
     * @throws CancellationException if the task was cancelled.
     * @throws InterruptedException  if interrupted while waiting.
     */
    @Override
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
        catch (final ExecutionException | CancellationException finished)
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
        return "AsyncResult{" + (!future.isDone() ? "pending" : future.isCancelled() ? "cancelled" :
            successful() ? "successful" : "failed") + '}';
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
