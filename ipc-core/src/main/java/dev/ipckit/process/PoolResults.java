package dev.ipckit.process;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Where the outcomes of a {@link ProcessPool}'s jobs go: futures completed with a job's value or
 * failure, the list of a {@code map} assembled from its chunks in order, and the
 * {@code applyAsync} callbacks, run one at a time on the pool's callback thread. The {@code imap}
 * iterators' results wait in {@link ImapResults}.
 * <p>
 * <b>Note:</b> thread-safe.
 */
final class PoolResults
{
    private final String name;
    private final ExecutorService callbacks;

    /** Receives the results of one chunk. */
    @FunctionalInterface
    interface ChunkDone
    {
        void accept(int from, int count, List<?> values, Throwable failure);
    }

    PoolResults(final String name)
    {
        this.name = name;
        this.callbacks = Executors.newSingleThreadExecutor(runnable ->
        {
            final Thread thread = new Thread(runnable, name + "-callbacks");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * @return what completes {@code future} with a job's value, or exceptionally with its failure.
     */
    @SuppressWarnings("unchecked")
    static <R> BiConsumer<Object, Throwable> completing(final CompletableFuture<R> future)
    {
        return (value, failure) ->
        {
            if (null == failure)
            {
                future.complete((R)value);
            }
            else
            {
                future.completeExceptionally(failure);
            }
        };
    }

    /**
     * @param future    completed with the results of every chunk, in order, or exceptionally with
     *                  the first failure; at once (an empty list) if there are no elements.
     * @param size      how many elements.
     * @param chunkSize elements per chunk.
     * @return what receives the chunks' results.
     */
    static <R> ChunkDone inOrder(final CompletableFuture<List<R>> future, final int size, final int chunkSize)
    {
        final Object[] results = new Object[size];
        final AtomicInteger remaining = new AtomicInteger((size + chunkSize - 1) / chunkSize);
        if (0 == size)
        {
            future.complete(new ArrayList<>());
        }
        return (from, count, values, failure) ->
        {
            if (null != failure)
            {
                future.completeExceptionally(failure);
                return;
            }
            System.arraycopy(values.toArray(), 0, results, from, values.size());
            if (0 == remaining.decrementAndGet())
            {
                @SuppressWarnings("unchecked")
                final List<R> list = (List<R>)new ArrayList<>(Arrays.asList(results));
                future.complete(list);
            }
        };
    }

    /**
     * @return a future completed as {@code future} is, once the callback for its outcome has run on
     * the callback thread; a callback that throws is logged, not rethrown.
     */
    <R> CompletableFuture<R> afterCallbacks(
        final CompletableFuture<R> future, final Consumer<R> callback, final Consumer<Throwable> errorCallback)
    {
        final CompletableFuture<R> afterCallbacks = new CompletableFuture<>();
        future.whenCompleteAsync((value, failure) ->
        {
            try
            {
                if (null == failure && null != callback)
                {
                    callback.accept(value);
                }
                else if (null != failure && null != errorCallback)
                {
                    errorCallback.accept(failure);
                }
            }
            catch (final RuntimeException | Error ex)
            {
                System.getLogger(ProcessPool.class.getName())
                    .log(System.Logger.Level.WARNING, "a callback of pool " + name + " threw", ex);
            }
            finally
            {
                if (null == failure)
                {
                    afterCallbacks.complete(value);
                }
                else
                {
                    afterCallbacks.completeExceptionally(failure);
                }
            }
        }, callbacks);
        return afterCallbacks;
    }

    /**
     * Waits for a result, for the methods that throw {@link TaskFailedException}.
     *
     * @throws TaskFailedException  if the task failed (cause: its exception).
     * @throws InterruptedException if interrupted while waiting.
     */
    static <R> R unwrap(final AsyncResult<R> result) throws InterruptedException
    {
        try
        {
            return result.get();
        }
        catch (final ExecutionException ex)
        {
            throw new TaskFailedException("pool task failed: " + ex.getCause(), ex.getCause());
        }
    }

    /**
     * Lets the callbacks already due run, up to {@code seconds}, and ends the callback thread.
     */
    void awaitCallbacks(final long seconds)
    {
        callbacks.shutdown();
        try
        {
            callbacks.awaitTermination(seconds, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
