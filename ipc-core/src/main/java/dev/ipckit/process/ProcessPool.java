package dev.ipckit.process;

import dev.ipckit.pipe.Pipe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * A pool of worker JVMs that run tasks: Python's {@code multiprocessing.Pool}.
 * <pre>{@code
 * try (ProcessPool pool = ProcessPool.create(4)) {
 *     List<Integer> squares = pool.map(x -> x * x, List.of(0, 1, 2, 3));
 * }
 * }</pre>
 * Each worker is a daemon {@link IpcProcess} connected to the pool by a {@link Pipe}. The pool
 * keeps the submitted jobs in this JVM and hands one to each idle worker (a second, queued behind
 * the running one, only while more jobs wait than there are workers), so it always knows which
 * worker holds which task; {@code map} and its kin cut their input into chunks, one job each
 * ({@code chunkSize}; by default, as CPython, the input divided into four chunks per worker). The
 * workers start in parallel when the pool is built. Tasks and their elements travel serialized
 * (lists of {@code Integer}, {@code Long}, {@code Double} or {@code String} as plain arrays); a
 * worker decodes a function once for all the chunks of a submission, and a lambda that captures
 * nothing once for all its submissions, so a function object should keep no state of its own.
 * <p>
 * With {@link Builder#concurrency(int) concurrency(k)} each worker runs up to {@code k} tasks at
 * once (aiomultiprocess's {@code childconcurrency}), for tasks that mostly wait. {@link #submit}
 * and {@link #publish} give results as a {@link CompletableFuture} and a {@link Flow.Publisher}.
 * <p>
 * Where CPython's pool hangs, this one does not: a worker that dies in the middle of a task
 * (SIGKILL, {@code System.exit}, {@code Runtime.halt}, a crash) fails that task's result with a
 * {@link WorkerDiedException} naming its pid and exit code (with a concurrency of {@code k}, every
 * task it was running: the {@code k} oldest it held), and is replaced; a task queued behind it runs
 * on another worker; the pool keeps serving. A task that throws, {@link OutOfMemoryError}
 * included, fails with its exception and the worker serves on. A worker that dies before it is
 * ready three times in a row (its initializer fails, or a JVM argument) breaks the pool: what is
 * queued fails, and new submissions are refused.
 * <p>
 * Results: {@link AsyncResult#get()} throws {@link ExecutionException} whose cause is the task's
 * own exception, with the worker's stack trace; {@link #apply}, {@link #map}, {@link #starmap} and
 * the {@code imap} iterators throw {@link TaskFailedException} with that cause. Callbacks of
 * {@code applyAsync} run once, in this JVM, one at a time on the pool's callback thread.
 * Every method that submits work throws {@link IllegalStateException} once the pool is closed or
 * broken, and {@link IllegalArgumentException} if the task or one of its elements cannot be
 * serialized (then nothing of that call is submitted).
 * <p>
 * {@link #close()} refuses new tasks, waits for the submitted ones, and lets the workers exit
 * (like {@code ExecutorService.close()}; CPython's {@code with Pool()} terminates instead: ipckit
 * prefers not to lose work). {@link #terminate()} stops at once and fails what is unfinished.
 * <p>
 * <b>Note:</b> thread-safe; tasks may be submitted from any thread.
 */
public final class ProcessPool implements AutoCloseable
{
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final int processes;
    private final int concurrency;
    private final PoolScheduler scheduler;
    private final PoolJobs jobs;
    private final PoolResults results;
    private final PoolLifecycle lifecycle;

    private ProcessPool(final Builder builder)
    {
        final String name = "ProcessPool-" + POOLS.incrementAndGet();
        this.processes = builder.processes;
        this.concurrency = builder.concurrency;
        this.results = new PoolResults(name);
        this.scheduler = new PoolScheduler(name, processes, builder.initializer, builder.maxTasksPerChild,
            concurrency, List.copyOf(builder.jvmArgs));
        this.jobs = new PoolJobs(scheduler, processes);
        this.lifecycle = new PoolLifecycle(scheduler, results);
        PoolWorker.registerWarmUp();
        scheduler.startWorkers();
    }

    /**
     * @return a pool with one worker per available processor.
     */
    public static ProcessPool create()
    {
        return builder().build();
    }

    /**
     * @param processes how many workers.
     * @return a pool.
     * @throws IllegalArgumentException if {@code processes} is below 1.
     */
    public static ProcessPool create(final int processes)
    {
        return builder().processes(processes).build();
    }

    /**
     * @return a builder for a pool.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * Runs a task in a worker and waits for its result.
     *
     * @param <R>  the result type.
     * @param task the task.
     * @return its result.
     * @throws TaskFailedException   if it failed (cause: its exception, or {@link WorkerDiedException}).
     * @throws InterruptedException  if interrupted while waiting (the task goes on).
     * @throws IllegalStateException if the pool is closed.
     */
    public <R> R apply(final SerializableCallable<R> task) throws InterruptedException
    {
        return PoolResults.unwrap(applyAsync(task));
    }

    /**
     * Runs a task in a worker.
     *
     * @param <R>  the result type.
     * @param task the task.
     * @return its future result.
     * @throws IllegalStateException if the pool is closed.
     */
    public <R> AsyncResult<R> applyAsync(final SerializableCallable<R> task)
    {
        return applyAsync(task, null, null);
    }

    /**
     * Runs a task in a worker, and calls back in this JVM with its result; as
     * {@link #applyAsync(SerializableCallable, Consumer, Consumer)} without an error callback.
     *
     * @param <R>      the result type.
     * @param task     the task.
     * @param callback called with the result.
     * @return its future result.
     * @throws IllegalStateException if the pool is closed.
     */
    public <R> AsyncResult<R> applyAsync(final SerializableCallable<R> task, final Consumer<R> callback)
    {
        return applyAsync(task, Objects.requireNonNull(callback, "callback"), null);
    }

    /**
     * Runs a task in a worker, and calls back in this JVM when it is done; the result is ready
     * once the callback has run, as in CPython. A callback that throws is logged, not rethrown.
     *
     * @param <R>           the result type.
     * @param task          the task.
     * @param callback      called with the result, or {@code null}.
     * @param errorCallback called with the failure (the task's exception, or a
     *                      {@link WorkerDiedException}), or {@code null}.
     * @return its future result.
     * @throws IllegalStateException if the pool is closed.
     */
    public <R> AsyncResult<R> applyAsync(
        final SerializableCallable<R> task, final Consumer<R> callback, final Consumer<Throwable> errorCallback)
    {
        Objects.requireNonNull(task, "task");
        final CompletableFuture<R> future = new CompletableFuture<>();
        final List<Submission> submitted = jobs.callable(task, PoolResults.completing(future));
        if (null == callback && null == errorCallback)
        {
            return new AsyncResult<>(future, () -> scheduler.withdraw(submitted));
        }
        return new AsyncResult<>(results.afterCallbacks(future, callback, errorCallback),
            () -> scheduler.withdraw(submitted));
    }

    /**
     * Runs a task in a worker: {@link #applyAsync(SerializableCallable)} as a
     * {@link CompletableFuture} (aiomultiprocess's {@code pool.apply}). Cancelling the future takes
     * the task back if no worker has been handed it yet (it then never runs); a task a worker holds
     * runs on and its result is dropped.
     *
     * @param <R>  the result type.
     * @param task the task.
     * @return a future completed with its result, or exceptionally with its exception or a
     * {@link WorkerDiedException}.
     * @throws IllegalStateException if the pool is closed.
     */
    public <R> CompletableFuture<R> submit(final SerializableCallable<R> task)
    {
        Objects.requireNonNull(task, "task");
        final CompletableFuture<R> future = new CompletableFuture<>();
        final List<Submission> submitted = jobs.callable(task, PoolResults.completing(future));
        future.whenComplete((value, failure) ->
        {
            if (failure instanceof CancellationException)
            {
                scheduler.withdraw(submitted);
            }
        });
        return future;
    }

    /**
     * Applies {@code function} to every element in the workers, as a {@link Flow.Publisher} of the
     * results in the order of the elements (aiomultiprocess's {@code async for r in pool.map(...)}).
     * Each subscription runs the elements anew, submitting them as its subscriber asks: no more
     * elements are submitted and unanswered than the subscriber has requested and not yet received,
     * plus {@code processes * concurrency} to keep the workers busy. A failed task ends the stream
     * with {@code onError(}{@link TaskFailedException}{@code )}; so does a pool closed before the
     * last element is submitted. A subscription's signals come one at a time on threads ipckit
     * provides (virtual where the JDK has them), never on the pool's own, so a slow subscriber
     * stalls no worker. Cancelling a subscription takes back its elements no worker holds yet.
     *
     * @param <T>      the element type.
     * @param <R>      the result type.
     * @param function what to apply.
     * @param elements the elements, iterated once per subscription.
     * @return the publisher.
     */
    public <T, R> Flow.Publisher<R> publish(final SerializableFunction<T, R> function, final Iterable<T> elements)
    {
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(elements, "elements");
        return new ResultPublisher<>(jobs, function, elements, processes * concurrency);
    }

    /**
     * Applies {@code function} to every element in the workers, and waits for all the results.
     *
     * @param <T>      the element type.
     * @param <R>      the result type.
     * @param function what to apply.
     * @param elements the elements.
     * @return the results, in the order of the elements, in a new modifiable list.
     * @throws TaskFailedException   if a task failed.
     * @throws InterruptedException  if interrupted while waiting.
     * @throws IllegalStateException if the pool is closed.
     */
    public <T, R> List<R> map(final SerializableFunction<T, R> function, final Iterable<T> elements)
        throws InterruptedException
    {
        return PoolResults.unwrap(mapAsync(function, elements));
    }

    /**
     * As {@link #map(SerializableFunction, Iterable)}, in chunks of {@code chunkSize} elements.
     *
     * @param <T>       the element type.
     * @param <R>       the result type.
     * @param function  what to apply.
     * @param elements  the elements.
     * @param chunkSize elements per job.
     * @return the results, in order.
     * @throws IllegalArgumentException if {@code chunkSize} is below 1.
     * @throws TaskFailedException      if a task failed.
     * @throws InterruptedException     if interrupted while waiting.
     */
    public <T, R> List<R> map(final SerializableFunction<T, R> function, final Iterable<T> elements,
        final int chunkSize) throws InterruptedException
    {
        return PoolResults.unwrap(mapAsync(function, elements, chunkSize));
    }

    /**
     * As {@link #map(SerializableFunction, Iterable)}, without waiting.
     *
     * @param <T>      the element type.
     * @param <R>      the result type.
     * @param function what to apply.
     * @param elements the elements.
     * @return the future list of results, in order.
     */
    public <T, R> AsyncResult<List<R>> mapAsync(final SerializableFunction<T, R> function, final Iterable<T> elements)
    {
        final List<T> list = PoolJobs.toList(elements);
        return mapAsync(function, list, jobs.defaultChunkSize(list.size()));
    }

    /**
     * As {@link #map(SerializableFunction, Iterable, int)}, without waiting.
     *
     * @param <T>       the element type.
     * @param <R>       the result type.
     * @param function  what to apply.
     * @param elements  the elements.
     * @param chunkSize elements per job.
     * @return the future list of results, in order.
     * @throws IllegalArgumentException if {@code chunkSize} is below 1.
     */
    public <T, R> AsyncResult<List<R>> mapAsync(final SerializableFunction<T, R> function, final Iterable<T> elements,
        final int chunkSize)
    {
        Objects.requireNonNull(function, "function");
        final List<T> list = PoolJobs.toList(elements);
        final CompletableFuture<List<R>> future = new CompletableFuture<>();
        final List<Submission> submitted = jobs.chunks(function, PoolMessages.FUNCTION, list,
            PoolJobs.checkChunkSize(chunkSize), PoolResults.inOrder(future, list.size(), chunkSize));
        return new AsyncResult<>(future, () -> scheduler.withdraw(submitted));
    }

    /**
     * Applies a two-argument function to every pair: Python's {@code starmap}, for pairs, since
     * Java has no tuples ({@code Map.entry(a, b)} makes one).
     *
     * @param <A>      the first argument type.
     * @param <B>      the second argument type.
     * @param <R>      the result type.
     * @param function what to apply.
     * @param pairs    the argument pairs.
     * @return the results, in the order of the pairs.
     * @throws TaskFailedException  if a task failed.
     * @throws InterruptedException if interrupted while waiting.
     */
    public <A, B, R> List<R> starmap(final SerializableBiFunction<A, B, R> function,
        final Iterable<? extends Map.Entry<A, B>> pairs) throws InterruptedException
    {
        final List<Map.Entry<A, B>> list = PoolJobs.pairs(pairs);
        return starmap(function, list, jobs.defaultChunkSize(list.size()));
    }

    /**
     * As {@link #starmap(SerializableBiFunction, Iterable)}, in chunks of {@code chunkSize} pairs.
     *
     * @param <A>       the first argument type.
     * @param <B>       the second argument type.
     * @param <R>       the result type.
     * @param function  what to apply.
     * @param pairs     the argument pairs.
     * @param chunkSize pairs per job.
     * @return the results, in order.
     * @throws IllegalArgumentException if {@code chunkSize} is below 1.
     * @throws TaskFailedException      if a task failed.
     * @throws InterruptedException     if interrupted while waiting.
     */
    public <A, B, R> List<R> starmap(final SerializableBiFunction<A, B, R> function,
        final Iterable<? extends Map.Entry<A, B>> pairs, final int chunkSize) throws InterruptedException
    {
        Objects.requireNonNull(function, "function");
        final List<Map.Entry<A, B>> list = PoolJobs.pairs(pairs);
        final CompletableFuture<List<R>> future = new CompletableFuture<>();
        jobs.chunks(function, PoolMessages.PAIRS, list, PoolJobs.checkChunkSize(chunkSize),
            PoolResults.inOrder(future, list.size(), chunkSize));
        return PoolResults.unwrap(new AsyncResult<>(future));
    }

    /**
     * Applies {@code function} to every element, one element per job; the results come in order,
     * as soon as each is ready.
     *
     * @param <T>      the element type.
     * @param <R>      the result type.
     * @param function what to apply.
     * @param elements the elements.
     * @return an iterator whose {@code next()} waits for the next result.
     */
    public <T, R> ResultIterator<R> imap(final SerializableFunction<T, R> function, final Iterable<T> elements)
    {
        return imap(function, elements, 1);
    }

    /**
     * As {@link #imap(SerializableFunction, Iterable)}, in chunks of {@code chunkSize} elements.
     *
     * @param <T>       the element type.
     * @param <R>       the result type.
     * @param function  what to apply.
     * @param elements  the elements.
     * @param chunkSize elements per job.
     * @return an iterator whose {@code next()} waits for the next result, in order.
     * @throws IllegalArgumentException if {@code chunkSize} is below 1.
     */
    public <T, R> ResultIterator<R> imap(final SerializableFunction<T, R> function, final Iterable<T> elements,
        final int chunkSize)
    {
        return imap(function, elements, chunkSize, ImapResults.Ordered::new);
    }

    /**
     * As {@link #imap(SerializableFunction, Iterable)}, but the results come in the order they are
     * ready.
     *
     * @param <T>      the element type.
     * @param <R>      the result type.
     * @param function what to apply.
     * @param elements the elements.
     * @return an iterator whose {@code next()} waits for the next result to be ready.
     */
    public <T, R> ResultIterator<R> imapUnordered(final SerializableFunction<T, R> function, final Iterable<T> elements)
    {
        return imapUnordered(function, elements, 1);
    }

    /**
     * As {@link #imapUnordered(SerializableFunction, Iterable)}, in chunks of {@code chunkSize}.
     *
     * @param <T>       the element type.
     * @param <R>       the result type.
     * @param function  what to apply.
     * @param elements  the elements.
     * @param chunkSize elements per job.
     * @return an iterator whose {@code next()} waits for the next result to be ready.
     * @throws IllegalArgumentException if {@code chunkSize} is below 1.
     */
    public <T, R> ResultIterator<R> imapUnordered(final SerializableFunction<T, R> function, final Iterable<T> elements,
        final int chunkSize)
    {
        return imap(function, elements, chunkSize, size -> new ImapResults.Unordered<>());
    }

    private <T, R> ResultIterator<R> imap(final SerializableFunction<T, R> function, final Iterable<T> elements,
        final int chunkSize, final IntFunction<ImapResults<R>> resultsOfSize)
    {
        Objects.requireNonNull(function, "function");
        final List<T> list = PoolJobs.toList(elements);
        final ImapResults<R> results = resultsOfSize.apply(list.size());
        jobs.chunks(function, PoolMessages.FUNCTION, list, PoolJobs.checkChunkSize(chunkSize), results::deliver);
        return new ResultIterator<>(results, list.size());
    }

    /**
     * @return how many workers the pool keeps.
     */
    public int processes()
    {
        return processes;
    }

    /**
     * @return the pids of the workers running now (a snapshot).
     */
    public List<Long> workerPids()
    {
        return scheduler.workerPids();
    }

    /**
     * Refuses new tasks, waits for every submitted task to finish, then lets the workers exit and
     * waits for them. Idempotent.
     */
    @Override
    public void close()
    {
        lifecycle.close();
    }

    /**
     * Stops at once: the workers are terminated (SIGTERM, then SIGKILL after a few seconds), and
     * every unfinished task fails. Idempotent.
     */
    public void terminate()
    {
        lifecycle.terminate();
    }

    /**
     * Waits for the workers to exit, after {@link #close()} or {@link #terminate()}.
     *
     * @throws IllegalStateException if the pool is still running.
     */
    public void join()
    {
        lifecycle.join();
    }

    @Override
    public String toString()
    {
        return scheduler.toString();
    }

    /**
     * Configures a {@link ProcessPool}.
     * <p>
     * <b>Note:</b> not thread-safe.
     */
    public static final class Builder
    {
        private int processes = Runtime.getRuntime().availableProcessors();
        private Task initializer;
        private int maxTasksPerChild;
        private int concurrency = 1;
        private final List<String> jvmArgs = new ArrayList<>();

        private Builder()
        {
        }

        /**
         * @param processes how many workers; default: the available processors.
         * @return this builder.
         * @throws IllegalArgumentException if below 1.
         */
        public Builder processes(final int processes)
        {
            if (processes < 1)
            {
                throw new IllegalArgumentException("a pool needs at least 1 process, processes=" + processes);
            }
            this.processes = processes;
            return this;
        }

        /**
         * @param initializer run once in each worker before its first task.
         * @return this builder.
         */
        public Builder initializer(final Task initializer)
        {
            this.initializer = Objects.requireNonNull(initializer, "initializer");
            return this;
        }

        /**
         * @param tasks how many tasks (jobs: a {@code map} chunk is one) a worker runs before it is
         *              replaced by a fresh one; default: no limit.
         * @return this builder.
         * @throws IllegalArgumentException if below 1.
         */
        public Builder maxTasksPerChild(final int tasks)
        {
            if (tasks < 1)
            {
                throw new IllegalArgumentException("maxTasksPerChild must be at least 1, maxTasksPerChild=" + tasks);
            }
            this.maxTasksPerChild = tasks;
            return this;
        }

        /**
         * @param tasks how many tasks each worker runs at once (aiomultiprocess's
         *              {@code childconcurrency}), each in a thread of its own: a virtual thread on
         *              a JDK that has them, else a platform thread; for tasks that mostly wait (IO,
         *              sleeps, blocking calls), so that they scale past the count of processes.
         *              Default 1: one at a time, in the worker's main thread.
         * @return this builder.
         * @throws IllegalArgumentException if below 1.
         */
        public Builder concurrency(final int tasks)
        {
            if (tasks < 1)
            {
                throw new IllegalArgumentException("concurrency must be at least 1, concurrency=" + tasks);
            }
            this.concurrency = tasks;
            return this;
        }

        /**
         * @param args JVM arguments for every worker.
         * @return this builder.
         */
        public Builder jvmArgs(final String... args)
        {
            jvmArgs.addAll(Arrays.asList(args));
            return this;
        }

        /**
         * Starts the workers, in parallel, and returns without waiting for them to be ready.
         *
         * @return the pool.
         */
        public ProcessPool build()
        {
            return new ProcessPool(this);
        }
    }
}

