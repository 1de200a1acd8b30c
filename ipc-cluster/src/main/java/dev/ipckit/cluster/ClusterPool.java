package dev.ipckit.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.spi.exception.TargetDisconnectedException;
import com.hazelcast.spi.exception.TargetNotMemberException;
import dev.ipckit.IpcException;
import dev.ipckit.codec.Codec;
import dev.ipckit.internal.Monitors;
import dev.ipckit.process.AsyncResult;
import dev.ipckit.process.ResultIterator;
import dev.ipckit.process.SerializableCallable;
import dev.ipckit.process.SerializableFunction;
import dev.ipckit.process.TaskFailedException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

/**
 * Runs tasks on the members of a cluster, with {@code ProcessPool}'s {@code apply},
 * {@code applyAsync}, {@code map} and {@code imap}: Ray's {@code ray.util.multiprocessing.Pool} for
 * ipckit. Each job goes to the next member in turn and runs there on Hazelcast's executor of the
 * pool's name (16 threads per member by default); tasks and results travel encoded by ipckit's codec.
 * Inside a task, {@link Cluster#current()} is the member running it.
 * <p>
 * A member that dies never hangs a task; what happens depends on the method:
 * <ul>
 * <li>{@link #apply} and {@link #applyAsync} <b>fail</b> the task with a {@link MemberDiedException}
 * naming the member (a task may have side effects: it is not run twice behind the caller's back);</li>
 * <li>{@link #map} and {@link #imap} <b>re-run</b> the chunk on another member, up to
 * {@value #RERUNS} times, then fail it with a {@link MemberDiedException} (a mapped function is meant
 * to be pure).</li>
 * </ul>
 * The death is noticed when the cluster notices it: at once for a member whose JVM ended (its
 * connections close), otherwise after {@code hazelcast.max.no.heartbeat.seconds}.
 * <p>
 * {@link AsyncResult#get()} throws {@link ExecutionException} whose cause is the task's own exception
 * (with the member's stack trace) or the {@link MemberDiedException}; {@code apply}, {@code map} and
 * the {@code imap} iterator throw {@link TaskFailedException} with that cause.
 * {@link #close()} refuses new tasks and waits for the submitted ones, as {@code ProcessPool}'s.
 * <p>
 * <b>Note:</b> thread-safe; tasks may be submitted from any thread.
 */
public final class ClusterPool implements AutoCloseable
{
    /** How many times a chunk of {@code map} or {@code imap} runs again after its member died. */
    public static final int RERUNS = 2;

    private static final int CHUNKS_PER_MEMBER = 4;
    /** The encoded form of a lambda that captures nothing depends on its class only: encoded once. */
    private static final ClassValue<AtomicReference<byte[]>> ENCODED_LAMBDAS = new ClassValue<>()
    {
        @Override
        protected AtomicReference<byte[]> computeValue(final Class<?> type)
        {
            return new AtomicReference<>();
        }
    };

    private final String name;
    private final HazelcastInstance hazelcast;
    private final IExecutorService executor;
    private final Codec codec;
    private final AtomicInteger nextMember = new AtomicInteger();
    private final Object lock = new Object();
    private int unfinished;
    private boolean closed;

    ClusterPool(final String name, final HazelcastInstance hazelcast, final Codec codec)
    {
        this.name = name;
        this.hazelcast = hazelcast;
        this.executor = hazelcast.getExecutorService(name);
        this.codec = codec;
    }

    /**
     * Runs a task on a member and waits for its result.
     *
     * @param <R>  the result type.
     * @param task the task.
     * @return its result.
     * @throws TaskFailedException      if it failed (cause: its exception, or {@link MemberDiedException}).
     * @throws InterruptedException     if interrupted while waiting (the task goes on).
     * @throws IllegalStateException    if the pool is closed.
     * @throws IllegalArgumentException if the task cannot be serialized.
     */
    public <R> R apply(final SerializableCallable<R> task) throws InterruptedException
    {
        return unwrap(applyAsync(task));
    }

    /**
     * Runs a task on a member; if the member dies first, the result fails with
     * {@link MemberDiedException} (the task is not run again).
     *
     * @param <R>  the result type.
     * @param task the task.
     * @return its future result.
     * @throws IllegalStateException    if the pool is closed.
     * @throws IllegalArgumentException if the task cannot be serialized.
     */
    @SuppressWarnings("unchecked")
    public <R> AsyncResult<R> applyAsync(final SerializableCallable<R> task)
    {
        final CompletableFuture<R> future = new CompletableFuture<>();
        submit(encode(Objects.requireNonNull(task, "task")), 0, (value, failure) ->
        {
            if (null == failure)
            {
                future.complete((R)value);
            }
            else
            {
                future.completeExceptionally(failure);
            }
        });
        return AsyncResult.of(future);
    }

    /**
     * Applies {@code function} to every element on the members, and waits for all the results; the
     * input is cut into four chunks per member.
     *
     * @param <T>      the element type.
     * @param <R>      the result type.
     * @param function what to apply.
     * @param elements the elements.
     * @return the results, in the order of the elements.
     * @throws TaskFailedException   if a chunk failed (or its member and {@value #RERUNS} more died).
     * @throws InterruptedException  if interrupted while waiting.
     * @throws IllegalStateException if the pool is closed.
     */
    public <T, R> List<R> map(final SerializableFunction<T, R> function, final Iterable<T> elements)
        throws InterruptedException
    {
        final List<T> list = toList(elements);
        return map(function, list, defaultChunkSize(list.size()));
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
     * @throws TaskFailedException      if a chunk failed.
     * @throws InterruptedException     if interrupted while waiting.
     */
    public <T, R> List<R> map(final SerializableFunction<T, R> function, final Iterable<T> elements,
        final int chunkSize) throws InterruptedException
    {
        final List<R> results = new ArrayList<>();
        final Iterator<R> it = imap(function, elements, chunkSize);
        while (it.hasNext())
        {
            try
            {
                results.add(it.next());
            }
            catch (final IpcException ex)
            {
                if (Thread.interrupted())
                {
                    throw new InterruptedException("interrupted while waiting for cluster pool " + name);
                }
                throw ex;
            }
        }
        return results;
    }

    /**
     * Applies {@code function} to every element, one element per job; the results come in order.
     *
     * @param <T>      the element type.
     * @param <R>      the result type.
     * @param function what to apply.
     * @param elements the elements.
     * @return an iterator whose {@code next()} waits for the next result, and throws
     * {@link TaskFailedException} for each element of a chunk that failed.
     * @throws IllegalStateException if the pool is closed.
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
     * @throws IllegalArgumentException if {@code chunkSize} is below 1 or the function or an element
     *                                  cannot be serialized (then nothing is submitted).
     * @throws IllegalStateException    if the pool is closed.
     */
    @SuppressWarnings("unchecked")
    public <T, R> ResultIterator<R> imap(final SerializableFunction<T, R> function, final Iterable<T> elements,
        final int chunkSize)
    {
        Objects.requireNonNull(function, "function");
        if (chunkSize < 1)
        {
            throw new IllegalArgumentException("chunkSize must be at least 1, chunkSize=" + chunkSize);
        }
        final List<T> list = toList(elements);
        final List<byte[]> jobs = new ArrayList<>();
        for (int from = 0; from < list.size(); from += chunkSize)
        {
            jobs.add(encode(new MapChunk<>(function, list.subList(from, Math.min(list.size(), from + chunkSize)))));
        }
        final List<CompletableFuture<List<R>>> chunks = new ArrayList<>();
        for (final byte[] job : jobs)
        {
            final CompletableFuture<List<R>> future = new CompletableFuture<>();
            chunks.add(future);
            submit(job, RERUNS, (value, failure) ->
            {
                if (null == failure)
                {
                    future.complete((List<R>)value);
                }
                else
                {
                    future.completeExceptionally(failure);
                }
            });
        }
        return ResultIterator.of((index, timeoutNanos) ->
        {
            final CompletableFuture<List<R>> chunk = chunks.get(index / chunkSize);
            try
            {
                return (Long.MAX_VALUE == timeoutNanos ? chunk.get() : chunk.get(timeoutNanos, TimeUnit.NANOSECONDS))
                    .get(index % chunkSize);
            }
            catch (final ExecutionException ex)
            {
                throw new TaskFailedException("cluster task failed: " + ex.getCause(), ex.getCause());
            }
        }, list.size());
    }

    /**
     * @return the pool's name.
     */
    public String name()
    {
        return name;
    }

    /**
     * Refuses new tasks and waits for every submitted task to finish (or fail). Idempotent. The
     * members' executors stay: other handles of the pool keep working.
     */
    @Override
    public void close()
    {
        synchronized (lock)
        {
            closed = true;
            Monitors.awaitUninterruptibly(lock, () -> unfinished <= 0);
        }
    }

    @Override
    public String toString()
    {
        synchronized (lock)
        {
            return "ClusterPool{name=" + name + ", unfinished=" + unfinished + (closed ? ", closed" : "") + '}';
        }
    }

    private void submit(final byte[] job, final int reruns, final BiConsumer<Object, Throwable> done)
    {
        synchronized (lock)
        {
            if (closed)
            {
                throw new IllegalStateException("cluster pool " + name + " is closed");
            }
            unfinished++;
        }
        send(job, reruns, (value, failure) ->
        {
            try
            {
                done.accept(value, failure);
            }
            finally
            {
                synchronized (lock)
                {
                    if (0 == --unfinished)
                    {
                        lock.notifyAll();
                    }
                }
            }
        });
    }

    private void send(final byte[] job, final int reruns, final BiConsumer<Object, Throwable> done)
    {
        final Member target;
        try
        {
            target = nextMember();
        }
        catch (final RuntimeException ex)
        {
            done.accept(null, ex);
            return;
        }
        final Future<byte[]> future;
        try
        {
            future = executor.submitToMember(new ClusterTask(job), target);
        }
        catch (final RejectedExecutionException | HazelcastInstanceNotActiveException ex)
        {
            failed(job, reruns, done, target, ex);
            return;
        }
        @SuppressWarnings("unchecked")
        final CompletionStage<byte[]> stage = (CompletionStage<byte[]>)future;
        stage.whenComplete((response, failure) ->
        {
            if (null != failure)
            {
                failed(job, reruns, done, target, failure instanceof CompletionException ? failure.getCause() : failure);
                return;
            }
            final Object body;
            try
            {
                body = codec.decode(response, 1, response.length - 1);
            }
            catch (final RuntimeException ex)
            {
                done.accept(null, ex);
                return;
            }
            if (ClusterTask.OK == response[0])
            {
                done.accept(body, null);
            }
            else
            {
                done.accept(null, (Throwable)body);
            }
        });
    }

    private void failed(final byte[] job, final int reruns, final BiConsumer<Object, Throwable> done,
        final Member target, final Throwable failure)
    {
        if (memberGone(failure) && hazelcast.getLifecycleService().isRunning())
        {
            if (reruns > 0)
            {
                send(job, reruns - 1, done);
            }
            else
            {
                done.accept(null, new MemberDiedException(Cluster.describe(target), failure));
            }
        }
        else
        {
            done.accept(null, failure);
        }
    }

    private Member nextMember()
    {
        final List<Member> members = new ArrayList<>(hazelcast.getCluster().getMembers());
        if (members.isEmpty())
        {
            throw new IpcException("cluster pool " + name + " sees no member to run a task on");
        }
        return members.get(Math.floorMod(nextMember.getAndIncrement(), members.size()));
    }

    private static boolean memberGone(final Throwable failure)
    {
        for (Throwable t = failure; null != t; t = t.getCause())
        {
            if (t instanceof MemberLeftException || t instanceof TargetNotMemberException ||
                t instanceof TargetDisconnectedException || t instanceof HazelcastInstanceNotActiveException)
            {
                return true;
            }
            if (t.getCause() == t)
            {
                break;
            }
        }
        return false;
    }

    private byte[] encode(final Object task)
    {
        try
        {
            if (ClusterTask.capturesNothing(task))
            {
                return ENCODED_LAMBDAS.get(task.getClass()).updateAndGet(known -> null != known ? known : codec.encode(task));
            }
            return codec.encode(task);
        }
        catch (final RuntimeException ex)
        {
            throw new IllegalArgumentException("the task cannot be serialized: " + ex.getMessage(), ex);
        }
    }

    private int defaultChunkSize(final int elements)
    {
        final int members = Math.max(1, hazelcast.getCluster().getMembers().size());
        return Math.max(1, (elements + CHUNKS_PER_MEMBER * members - 1) / (CHUNKS_PER_MEMBER * members));
    }

    private static <T> List<T> toList(final Iterable<T> elements)
    {
        final List<T> list = new ArrayList<>();
        elements.forEach(list::add);
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
            throw new TaskFailedException("cluster task failed: " + ex.getCause(), ex.getCause());
        }
    }
}
