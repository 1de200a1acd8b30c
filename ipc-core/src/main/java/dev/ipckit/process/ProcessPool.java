package dev.ipckit.process;

import dev.ipckit.IpcException;
import dev.ipckit.codec.Codec;
import dev.ipckit.codec.CodecConfiguration;
import dev.ipckit.codec.CodecException;
import dev.ipckit.internal.FlightEvents;
import dev.ipckit.internal.SentHandles;
import dev.ipckit.pipe.Connection;
import dev.ipckit.pipe.Pipe;

import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

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
    private static final int JOBS_PER_WORKER = 2;
    private static final int START_FAILURES_TO_BREAK = 3;
    private static final long WORKER_EXIT_PATIENCE_SECONDS = 10;
    private static final AtomicInteger POOLS = new AtomicInteger();
    private static final Comparator<Worker> MOST_RECENT_ANSWER_FIRST =
        (a, b) -> Long.compare(b.lastAnswerNanos - a.lastAnswerNanos, 0);

    private enum State
    {
        RUNNING, CLOSING, CLOSED, TERMINATED, BROKEN
    }

    private final String name;
    private final int processes;
    private final Task initializer;
    private final int maxTasksPerChild;
    private final int concurrency;
    private final List<String> jvmArgs;
    private final ExecutorService callbacks;

    private final Object lock = new Object();
    private final Deque<Submission> queued = new ArrayDeque<>();
    private final List<Worker> workers = new ArrayList<>();
    private State state = State.RUNNING;
    private long nextJobId = 1;
    private int workersStarted;
    private int unfinished;
    private int startFailures;
    private String brokenBecause;

    private ProcessPool(final Builder builder)
    {
        this.name = "ProcessPool-" + POOLS.incrementAndGet();
        this.processes = builder.processes;
        this.initializer = builder.initializer;
        this.maxTasksPerChild = builder.maxTasksPerChild;
        this.concurrency = builder.concurrency;
        this.jvmArgs = List.copyOf(builder.jvmArgs);
        this.callbacks = Executors.newSingleThreadExecutor(runnable ->
        {
            final Thread thread = new Thread(runnable, name + "-callbacks");
            thread.setDaemon(true);
            return thread;
        });
        ControlBlocks.poolsInUse();
        synchronized (lock)
        {
            for (int i = 0; i < processes; i++)
            {
                startWorker();
            }
        }
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
        return unwrap(applyAsync(task));
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
        final List<Submission> submitted = submit(task, completing(future));
        if (null == callback && null == errorCallback)
        {
            return new AsyncResult<>(future, () -> withdraw(submitted));
        }
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
        return new AsyncResult<>(afterCallbacks, () -> withdraw(submitted));
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
        final List<Submission> submitted = submit(task, completing(future));
        future.whenComplete((value, failure) ->
        {
            if (failure instanceof CancellationException)
            {
                withdraw(submitted);
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
        return new ResultPublisher<>(this, function, elements, processes * concurrency);
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
        return unwrap(mapAsync(function, elements));
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
        return unwrap(mapAsync(function, elements, chunkSize));
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
        final List<T> list = toList(elements);
        return mapAsync(function, list, defaultChunkSize(list.size()));
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
        final List<List<Submission>> submitted = new ArrayList<>(1);
        final CompletableFuture<List<R>> future =
            chunked(function, PoolMessages.FUNCTION, toList(elements), checkChunkSize(chunkSize), submitted);
        return new AsyncResult<>(future, () -> withdraw(submitted.get(0)));
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
        final List<Map.Entry<A, B>> list = pairs(pairs);
        return starmap(function, list, defaultChunkSize(list.size()));
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
        return unwrap(new AsyncResult<>(this.<Map.Entry<A, B>, R>chunked(
            function, PoolMessages.PAIRS, pairs(pairs), checkChunkSize(chunkSize), new ArrayList<>(1))));
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
        Objects.requireNonNull(function, "function");
        final List<T> list = toList(elements);
        final ImapResults.Ordered<R> results = new ImapResults.Ordered<>(list.size());
        submitChunks(function, PoolMessages.FUNCTION, list, checkChunkSize(chunkSize), results::deliver);
        return new ResultIterator<>(results, list.size());
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
        Objects.requireNonNull(function, "function");
        final List<T> list = toList(elements);
        final ImapResults.Unordered<R> results = new ImapResults.Unordered<>();
        submitChunks(function, PoolMessages.FUNCTION, list, checkChunkSize(chunkSize), results::deliver);
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
        synchronized (lock)
        {
            final List<Long> pids = new ArrayList<>();
            for (final Worker worker : workers)
            {
                pids.add(worker.process.pid());
            }
            return pids;
        }
    }

    /**
     * Refuses new tasks, waits for every submitted task to finish, then lets the workers exit and
     * waits for them. Idempotent.
     */
    @Override
    public void close()
    {
        final List<Worker> retiring;
        synchronized (lock)
        {
            if (State.RUNNING == state)
            {
                state = State.CLOSING;
            }
            boolean interrupted = false;
            while (unfinished > 0 && State.CLOSING == state)
            {
                try
                {
                    lock.wait();
                }
                catch (final InterruptedException ex)
                {
                    interrupted = true;
                }
            }
            if (interrupted)
            {
                Thread.currentThread().interrupt();
            }
            if (State.CLOSING == state || State.BROKEN == state)
            {
                state = State.CLOSED;
            }
            retiring = new ArrayList<>(workers);
            for (final Worker worker : retiring)
            {
                worker.retiring = true;
            }
        }
        for (final Worker worker : retiring)
        {
            worker.retire();
        }
        awaitWorkersAndCallbacks();
    }

    /**
     * Stops at once: the workers are terminated (SIGTERM, then SIGKILL after a few seconds), and
     * every unfinished task fails. Idempotent.
     */
    public void terminate()
    {
        final List<Submission> failed = new ArrayList<>();
        final List<Worker> stopping;
        synchronized (lock)
        {
            if (State.TERMINATED == state)
            {
                return;
            }
            state = State.TERMINATED;
            failed.addAll(queued);
            queued.clear();
            stopping = new ArrayList<>(workers);
            for (final Worker worker : stopping)
            {
                worker.retiring = true;
                failed.addAll(worker.jobs.values());
                worker.jobs.clear();
            }
            unfinished = 0;
            lock.notifyAll();
        }
        for (final Submission submission : failed)
        {
            submission.carried.jobDone();
            submission.done.accept(null, new IpcException("pool " + name + " was terminated before the task finished"));
        }
        for (final Worker worker : stopping)
        {
            worker.stop(true);
        }
        awaitWorkersAndCallbacks();
    }

    /**
     * Waits for the workers to exit, after {@link #close()} or {@link #terminate()}.
     *
     * @throws IllegalStateException if the pool is still running.
     */
    public void join()
    {
        synchronized (lock)
        {
            if (State.RUNNING == state || State.CLOSING == state)
            {
                throw new IllegalStateException("pool " + name + " is running: close() or terminate() it first");
            }
        }
        awaitWorkersAndCallbacks();
    }

    @Override
    public String toString()
    {
        synchronized (lock)
        {
            return "ProcessPool{" + name + ", processes=" + processes + ", state=" + state + ", unfinished=" +
                unfinished + '}';
        }
    }

    // ---------------------------------------------------------------- submitting

    private <T, R> CompletableFuture<List<R>> chunked(final Serializable function, final byte kind,
        final List<T> elements, final int chunkSize, final List<List<Submission>> submitted)
    {
        final CompletableFuture<List<R>> future = new CompletableFuture<>();
        final Object[] results = new Object[elements.size()];
        final AtomicInteger remaining = new AtomicInteger((elements.size() + chunkSize - 1) / chunkSize);
        submitted.add(submitChunks(function, kind, elements, chunkSize, (from, count, values, failure) ->
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
        }));
        if (elements.isEmpty())
        {
            future.complete(new ArrayList<>());
        }
        return future;
    }

    /** Receives the results of one chunk. */
    @FunctionalInterface
    private interface ChunkDone
    {
        void accept(int from, int count, List<?> values, Throwable failure);
    }

    /**
     * Encodes every chunk first, in this thread, so that a task that cannot be sent submits
     * nothing. The function is encoded once; {@link PoolMessages#PAIRS} elements are entries.
     */
    private List<Submission> submitChunks(
        final Serializable function, final byte kind, final List<?> elements, final int chunkSize, final ChunkDone done)
    {
        final int chunks = (elements.size() + chunkSize - 1) / chunkSize;
        final long firstId = reserveIds(chunks + 1);
        final List<Submission> submissions = new ArrayList<>(chunks);
        try (SentHandles.Capture sent = SentHandles.capture())
        {
            final PoolWorker.EncodedFunction encoded = PoolWorker.encodeFunction(function, firstId + chunks);
            final List<byte[]> jobs = new ArrayList<>(chunks);
            for (int c = 0; c < chunks; c++)
            {
                final int from = c * chunkSize;
                final List<?> chunk = elements.subList(from, Math.min(elements.size(), from + chunkSize));
                jobs.add(PoolMessages.FUNCTION == kind ? encodeJob(firstId + c, encoded, kind, chunk, null) :
                    encodeJob(firstId + c, encoded, kind, keys(chunk), values(chunk)));
            }
            final Carried carried = Carried.of(sent, chunks);
            for (int c = 0; c < chunks; c++)
            {
                final int from = c * chunkSize;
                final int count = Math.min(elements.size(), from + chunkSize) - from;
                submissions.add(new Submission(firstId + c, jobs.get(c), carried,
                    (value, failure) -> done.accept(from, count, (List<?>)value, failure)));
            }
        }
        enqueue(submissions);
        return submissions;
    }

    private List<Submission> submit(final Serializable function, final BiConsumer<Object, Throwable> done)
    {
        final long id = reserveIds(1);
        final List<Submission> submission;
        try (SentHandles.Capture sent = SentHandles.capture())
        {
            final PoolWorker.EncodedFunction encoded = PoolWorker.encodeFunction(function, id);
            final byte[] job = encodeJob(id, encoded, PoolMessages.CALLABLE, null, null);
            submission = List.of(new Submission(id, job, Carried.of(sent, 1), done));
        }
        enqueue(submission);
        return submission;
    }

    /** Encodes a function once for the elements {@link #submitElement} submits one by one. */
    PoolWorker.EncodedFunction encodeFunction(final Serializable function)
    {
        return PoolWorker.encodeFunction(function, reserveIds(1));
    }

    /**
     * Submits one element as a job of its own; {@code done} gets the one-element result list.
     *
     * @return takes the job back if no worker holds it yet, and says whether it did.
     */
    BooleanSupplier submitElement(
        final PoolWorker.EncodedFunction function, final Object element, final BiConsumer<Object, Throwable> done)
    {
        final long id = reserveIds(1);
        final List<Submission> submission;
        try (SentHandles.Capture sent = SentHandles.capture())
        {
            final byte[] job = encodeJob(id, function, PoolMessages.FUNCTION, List.of(element), null);
            submission = List.of(new Submission(id, job, Carried.of(sent, 1), done));
        }
        enqueue(submission);
        return () -> withdraw(submission);
    }

    /**
     * Takes back submissions that no worker has been handed yet, all of them or none; their
     * outcome is a {@link CancellationException}.
     *
     * @return whether they were taken back.
     */
    private boolean withdraw(final List<Submission> submissions)
    {
        final Set<Submission> wanted = Collections.newSetFromMap(new IdentityHashMap<>());
        wanted.addAll(submissions);
        synchronized (lock)
        {
            int waiting = 0;
            for (final Submission submission : queued)
            {
                waiting += wanted.contains(submission) ? 1 : 0;
            }
            if (waiting != wanted.size())
            {
                return false;
            }
            queued.removeIf(wanted::contains);
            unfinished -= wanted.size();
            lock.notifyAll();
        }
        final CancellationException cancelled = new CancellationException("cancelled before a worker took it");
        for (final Submission submission : submissions)
        {
            submission.carried.jobDone();
            submission.done.accept(null, cancelled);
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private static <R> BiConsumer<Object, Throwable> completing(final CompletableFuture<R> future)
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

    private static byte[] encodeJob(final long id, final PoolWorker.EncodedFunction function, final byte kind,
        final List<?> elements, final List<?> seconds)
    {
        final byte[] job;
        try
        {
            job = PoolMessages.job(id, function.key, kind, function.bytes, elements, seconds, ControlBlocks.TASK_CODEC);
        }
        catch (final CodecException ex)
        {
            throw new IllegalArgumentException("task cannot be sent to a pool worker: " + ex.getMessage(), ex);
        }
        if (job.length > CodecConfiguration.maxMessageSize())
        {
            throw new IllegalArgumentException("task cannot be sent to a pool worker: it takes " + job.length +
                " bytes, more than " + CodecConfiguration.MAX_MESSAGE_SIZE_PROP_NAME + "=" + CodecConfiguration.maxMessageSize() +
                " (a smaller chunkSize makes smaller jobs)");
        }
        return job;
    }

    /** Job ids and function keys, from one sequence, so that no two submissions share a key. */
    private long reserveIds(final int count)
    {
        synchronized (lock)
        {
            checkRunning();
            final long first = nextJobId;
            nextJobId += count;
            return first;
        }
    }

    private void enqueue(final List<Submission> submissions)
    {
        synchronized (lock)
        {
            try
            {
                checkRunning();
            }
            catch (final IllegalStateException ex)
            {
                submissions.forEach(submission -> submission.carried.jobDone());
                throw ex;
            }
            queued.addAll(submissions);
            unfinished += submissions.size();
        }
        dispatch();
    }

    private void checkRunning()
    {
        if (State.BROKEN == state)
        {
            throw new IllegalStateException("pool " + name + " is broken: " + brokenBecause);
        }
        if (State.RUNNING != state)
        {
            throw new IllegalStateException("pool " + name + " is closed: no new tasks");
        }
    }

    /**
     * Hands queued jobs to ready workers: up to {@code concurrency} to each worker first, round by
     * round, the one that answered last (still spinning on its pipe) first; one more, queued behind
     * the ones it runs, only when every worker is ready and more jobs wait than there are workers,
     * so that short jobs find the next one at hand while a long job never keeps another waiting
     * that an idle (or starting) worker could run. A worker's messages go out in the order they
     * were handed to it.
     */
    private void dispatch()
    {
        final List<Worker> targets = new ArrayList<>();
        synchronized (lock)
        {
            final List<Worker> candidates = new ArrayList<>(workers);
            candidates.sort(MOST_RECENT_ANSWER_FIRST);
            boolean allReady = true;
            for (final Worker worker : candidates)
            {
                allReady &= worker.ready;
            }
            for (int depth = 1; depth <= concurrency + JOBS_PER_WORKER - 1 && !queued.isEmpty(); depth++)
            {
                if (depth > concurrency && (queued.size() < candidates.size() || !allReady))
                {
                    break;
                }
                for (int i = 0; i < candidates.size() && !queued.isEmpty(); i++)
                {
                    final Worker worker = candidates.get(i);
                    if (worker.ready && !worker.retiring && worker.jobs.size() < depth)
                    {
                        hand(worker, queued.pollFirst());
                    }
                }
            }
            for (final Worker worker : candidates)
            {
                if (!worker.outbox.isEmpty())
                {
                    targets.add(worker);
                }
            }
        }
        for (final Worker worker : targets)
        {
            worker.flush();
        }
    }

    /** Gives a job to a worker; caller holds the lock. Retires (and replaces) it at maxTasksPerChild. */
    private void hand(final Worker worker, final Submission submission)
    {
        worker.jobs.put(submission.id, submission);
        worker.outbox.addLast(submission.job);
        worker.dispatched++;
        if (maxTasksPerChild > 0 && worker.dispatched >= maxTasksPerChild)
        {
            worker.retiring = true;
            worker.outbox.addLast(PoolWorker.RETIRE);
            replaceIfNeeded();
        }
    }

    // ---------------------------------------------------------------- workers

    private void startWorker()
    {
        final Pipe pipe = Pipe.open();
        final Connection workerEnd = pipe.right();
        final Task init = initializer;
        final int tasksAtOnce = concurrency;
        final String workerName = name + "-Worker-" + ++workersStarted;
        final IpcProcess process = IpcProcess.builder()
            .name(workerName)
            .daemon(true)
            .jvmArgs(jvmArgs)
            .target(() -> PoolWorker.serve(workerEnd, init, tasksAtOnce))
            .start();
        workerEnd.close();
        final Connection poolEnd = pipe.left();
        poolEnd.spinNanos(0);
        final Worker worker = new Worker(process, poolEnd);
        workers.add(worker);
        worker.reader.start();
    }

    /** The worker ended, expectedly or not: fail what it held, and replace it if the pool needs one. */
    /**
     * The reader of a worker failed with an error (an {@link OutOfMemoryError} on a large result,
     * a {@link StackOverflowError} decoding a deep one): its stream is out of step, so the worker
     * is killed and replaced, and the task it was answering fails with that error.
     */
    private void readerFailed(final Worker worker, final Throwable fault)
    {
        try
        {
            worker.stop(false);
        }
        finally
        {
            workerEnded(worker, fault);
        }
    }

    private void workerEnded(final Worker worker, final Throwable readerFault)
    {
        Integer exitCode = null;
        try
        {
            if (worker.process.join(Duration.ofSeconds(WORKER_EXIT_PATIENCE_SECONDS)))
            {
                exitCode = worker.process.exitCode();
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        worker.connection.close();
        final List<Submission> failed = new ArrayList<>();
        final List<Submission> broken = new ArrayList<>();
        final boolean unexpected;
        synchronized (lock)
        {
            unexpected = !worker.retiring && State.RUNNING == state;
            workers.remove(worker);
            takeJobs(worker, failed);
            if (!worker.ready && !worker.retiring && ++startFailures >= START_FAILURES_TO_BREAK &&
                State.RUNNING == state)
            {
                state = State.BROKEN;
                brokenBecause = START_FAILURES_TO_BREAK + " workers in a row died before they were ready " +
                    "(last pid=" + worker.process.pid() + ", exitCode=" + exitCode + "; see its standard error): " +
                    "does the initializer fail, or a JVM argument?";
                broken.addAll(queued);
                queued.clear();
            }
            replaceIfNeeded();
        }
        final IpcException died = null == readerFault ?
            new WorkerDiedException(worker.process.name(), worker.process.pid(), exitCode) :
            new IpcException("the answer of pool worker " + worker.process.name() + " (pid=" +
                worker.process.pid() + ") could not be read: " + readerFault + "; the worker was replaced", readerFault);
        if (unexpected)
        {
            FlightEvents.workerDied(name, worker.process.pid(), exitCode, failed.size());
        }
        for (final Submission submission : failed)
        {
            finish(submission, null, died);
        }
        for (final Submission submission : broken)
        {
            finish(submission, null, new TaskFailedException("pool " + name + " is broken: " + brokenBecause, died));
        }
        dispatch();
    }

    /**
     * Takes the jobs of a worker that ended. The worker runs its jobs in the order it got them and
     * answers each before it reads the next, so the oldest unanswered one is the job it died in:
     * that one fails; the others never started and go back to the head of the queue.
     */
    private void takeJobs(final Worker worker, final List<Submission> failed)
    {
        final List<Submission> held = new ArrayList<>(worker.jobs.values());
        worker.jobs.clear();
        worker.outbox.clear();
        if (held.isEmpty())
        {
            return;
        }
        final int running = Math.min(concurrency, held.size());
        failed.addAll(held.subList(0, running));
        for (int i = held.size() - 1; i >= running; i--)
        {
            queued.addFirst(held.get(i));
        }
    }

    /** Starts a worker if the pool is short of its count of workers that take jobs. */
    private void replaceIfNeeded()
    {
        if (State.RUNNING != state && State.CLOSING != state)
        {
            return;
        }
        int active = 0;
        for (final Worker worker : workers)
        {
            if (!worker.retiring)
            {
                active++;
            }
        }
        if (active < processes)
        {
            startWorker();
        }
    }

    private void finish(final Submission submission, final Object value, final Throwable failure)
    {
        try
        {
            submission.done.accept(value, failure);
        }
        finally
        {
            submission.carried.jobDone();
            synchronized (lock)
            {
                if (unfinished > 0)
                {
                    unfinished--;
                }
                lock.notifyAll();
            }
        }
    }

    private void awaitWorkersAndCallbacks()
    {
        final List<Worker> all;
        synchronized (lock)
        {
            all = new ArrayList<>(workers);
        }
        for (final Worker worker : all)
        {
            try
            {
                if (!worker.process.join(Duration.ofSeconds(WORKER_EXIT_PATIENCE_SECONDS)))
                {
                    worker.process.kill();
                    worker.process.join(Duration.ofSeconds(WORKER_EXIT_PATIENCE_SECONDS));
                }
                worker.reader.join(TimeUnit.SECONDS.toMillis(WORKER_EXIT_PATIENCE_SECONDS));
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return;
            }
        }
        callbacks.shutdown();
        try
        {
            callbacks.awaitTermination(WORKER_EXIT_PATIENCE_SECONDS, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** One worker process, its pipe, and the jobs it holds. */
    private final class Worker
    {
        final IpcProcess process;
        final Connection connection;
        final Codec results = Codec.standard();
        final Map<Long, Submission> jobs = new LinkedHashMap<>();
        final Deque<byte[]> outbox = new ArrayDeque<>();
        final Object sendLock = new Object();
        final Thread reader;
        boolean ready;
        boolean retiring;
        long lastAnswerNanos = System.nanoTime();
        int dispatched;

        Worker(final IpcProcess process, final Connection connection)
        {
            this.process = process;
            this.connection = connection;
            this.reader = new Thread(this::read, name + "-reader-" + process.pid());
            this.reader.setDaemon(true);
        }

        /** Sends what the outbox holds, in order; a worker that cannot be written to is killed. */
        void flush()
        {
            synchronized (sendLock)
            {
                while (true)
                {
                    final byte[] message;
                    synchronized (lock)
                    {
                        message = outbox.pollFirst();
                    }
                    if (null == message)
                    {
                        return;
                    }
                    try
                    {
                        connection.sendBytes(message);
                    }
                    catch (final IOException | RuntimeException gone)
                    {
                        process.kill();
                        return;
                    }
                }
            }
        }

        /**
         * Lets the worker exit once it has answered what it holds. A worker that is not ready yet
         * holds nothing and may never read its pipe (it may have died before it attached its end),
         * so it is killed instead.
         */
        void retire()
        {
            synchronized (lock)
            {
                if (!ready)
                {
                    stop(false);
                    return;
                }
                outbox.addLast(PoolWorker.RETIRE);
            }
            flush();
        }

        /**
         * Ends the worker process (SIGTERM if {@code politely}, else SIGKILL) and closes this end,
         * which wakes the reader at once, also when the worker never attached its end (then no end
         * of stream would come).
         */
        void stop(final boolean politely)
        {
            if (politely)
            {
                process.terminate();
            }
            else
            {
                process.kill();
            }
            connection.close();
        }

        /** The reader thread: takes the worker's answers until its pipe ends. */
        void read()
        {
            try
            {
                while (true)
                {
                    if (!connection.poll(Duration.ofMillis(100)))
                    {
                        if (!process.isAlive())
                        {
                            break;
                        }
                        continue;
                    }
                    final byte[] message = connection.recvBytes();
                    PoolMessages.Answer answer;
                    try
                    {
                        answer = PoolMessages.readAnswer(message, results);
                    }
                    catch (final CodecException undecodable)
                    {
                        answer = new PoolMessages.Answer(PoolMessages.FAILED, PoolMessages.answerId(message),
                            new IpcException("the result of a pool task could not be decoded: " +
                            undecodable.getMessage(), undecodable));
                    }
                    if (PoolMessages.READY == answer.type)
                    {
                        synchronized (lock)
                        {
                            ready = true;
                            startFailures = 0;
                            lastAnswerNanos = System.nanoTime();
                        }
                    }
                    else
                    {
                        final Submission submission;
                        synchronized (lock)
                        {
                            submission = jobs.remove(answer.id);
                            lastAnswerNanos = System.nanoTime();
                        }
                        if (null != submission)
                        {
                            final boolean failed = PoolMessages.FAILED == answer.type;
                            finish(submission, failed ? null : answer.value, failed ? (Throwable)answer.value : null);
                        }
                    }
                    dispatch();
                }
            }
            catch (final IOException | RuntimeException ended)
            {
                // the pipe ended: the worker exited or died
            }
            catch (final Throwable fault)
            {
                readerFailed(this, fault);
                return;
            }
            workerEnded(this, null);
        }
    }

    /** A job waiting for, or held by, a worker, and what to do with its outcome. */
    private static final class Submission
    {
        final long id;
        final byte[] job;
        final Carried carried;
        final BiConsumer<Object, Throwable> done;

        Submission(final long id, final byte[] job, final Carried carried, final BiConsumer<Object, Throwable> done)
        {
            this.id = id;
            this.job = job;
            this.carried = carried;
            this.done = done;
        }
    }

    /**
     * The shared primitives one submission's jobs carry, attached in this JVM from the submission
     * until the last of its jobs has an outcome: by then the worker that ran it has attached them
     * or died (DESIGN.md, "handle lifetime"), whatever the submitter did with its own handles.
     */
    private static final class Carried
    {
        private static final Carried NOTHING = new Carried(null, 0);
        private final SentHandles.Retained retained;
        private int jobs;

        private Carried(final SentHandles.Retained retained, final int jobs)
        {
            this.retained = retained;
            this.jobs = jobs;
        }

        static Carried of(final SentHandles.Capture sent, final int jobs)
        {
            return sent.isEmpty() || 0 == jobs ? NOTHING : new Carried(sent.retain(), jobs);
        }

        void jobDone()
        {
            if (null == retained)
            {
                return;
            }
            synchronized (this)
            {
                if (0 == jobs || --jobs > 0)
                {
                    return;
                }
            }
            retained.close();
        }
    }

    // ---------------------------------------------------------------- helpers

    private int defaultChunkSize(final int elements)
    {
        final int perWorker = processes * 4;
        return Math.max(1, elements / perWorker + (elements % perWorker > 0 ? 1 : 0));
    }

    private static int checkChunkSize(final int chunkSize)
    {
        if (chunkSize < 1)
        {
            throw new IllegalArgumentException("chunkSize must be at least 1, chunkSize=" + chunkSize);
        }
        return chunkSize;
    }

    private static <T> List<T> toList(final Iterable<T> elements)
    {
        final List<T> list = new ArrayList<>();
        elements.forEach(list::add);
        return list;
    }

    private static List<Object> keys(final List<?> pairs)
    {
        final List<Object> keys = new ArrayList<>(pairs.size());
        for (final Object pair : pairs)
        {
            keys.add(((Map.Entry<?, ?>)pair).getKey());
        }
        return keys;
    }

    private static List<Object> values(final List<?> pairs)
    {
        final List<Object> values = new ArrayList<>(pairs.size());
        for (final Object pair : pairs)
        {
            values.add(((Map.Entry<?, ?>)pair).getValue());
        }
        return values;
    }

    private static <A, B> List<Map.Entry<A, B>> pairs(final Iterable<? extends Map.Entry<A, B>> pairs)
    {
        final List<Map.Entry<A, B>> list = new ArrayList<>();
        for (final Map.Entry<A, B> pair : pairs)
        {
            list.add(new AbstractMap.SimpleImmutableEntry<>(pair.getKey(), pair.getValue()));
        }
        return list;
    }

    private static <R> R unwrap(final AsyncResult<R> result) throws InterruptedException
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
