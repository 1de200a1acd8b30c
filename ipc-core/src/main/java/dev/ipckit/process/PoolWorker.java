package dev.ipckit.process;

import dev.ipckit.codec.Codec;
import dev.ipckit.codec.CodecConfiguration;
import dev.ipckit.codec.CodecException;
import dev.ipckit.pipe.Connection;
import dev.ipckit.pipe.Pipe;

import java.io.EOFException;
import java.io.IOException;
import java.io.Serializable;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * What a {@link ProcessPool} worker process runs: it answers {@link PoolMessages#READY} once its
 * initializer has run, then takes jobs ({@link PoolMessages}) until an empty message retires it.
 * With a concurrency of 1 it answers each job, in the order it got them, before it reads the next;
 * with {@code k} it starts the jobs in the order it got them, up to {@code k} at once (each on a
 * thread of its own), reads the next only when one of them has answered, and answers each when it
 * ends; so the jobs it runs are always the oldest {@code k} unanswered ones.
 */
final class PoolWorker
{
    static final byte[] RETIRE = new byte[0];

    private final Connection connection;
    private final Codec results = Codec.standard();
    private final ReentrantLock functionLock = new ReentrantLock();
    private long functionKey;
    private Object function;

    private PoolWorker(final Connection connection)
    {
        this.connection = connection;
    }

    /** A task's function, encoded, and the key under which a worker keeps it decoded. */
    static final class EncodedFunction
    {
        final long key;
        final byte[] bytes;

        EncodedFunction(final long key, final byte[] bytes)
        {
            this.key = key;
            this.bytes = bytes;
        }
    }

    /**
     * A lambda that captures nothing has no state: one encoding, and one decoded copy per worker,
     * serve every submission of it, under a key of its own (negative, apart from submission keys).
     */
    private static final AtomicLong STATELESS_KEYS = new AtomicLong(-1);
    private static final ClassValue<Boolean> IS_STATELESS = new ClassValue<>()
    {
        @Override
        protected Boolean computeValue(final Class<?> type)
        {
            for (final Field field : type.getDeclaredFields())
            {
                if (!Modifier.isStatic(field.getModifiers()))
                {
                    return false;
                }
            }
            return type.isSynthetic();
        }
    };
    private static final Map<Class<?>, EncodedFunction> STATELESS = new ConcurrentHashMap<>();

    /**
     * Encodes a task's function for the workers, in the submitting thread, so that a task that
     * cannot be sent is refused where it is submitted. A worker decodes a function once per
     * submission (all the chunks of a {@code map} share it), or once for all submissions of a
     * lambda that captures nothing.
     *
     * @param function      the callable, function or two-argument function.
     * @param submissionKey the key if the function is decoded once per submission.
     * @return its key and bytes.
     * @throws IllegalArgumentException if it cannot be serialised, or its class is not on the class path.
     */
    static EncodedFunction encodeFunction(final Serializable function, final long submissionKey)
    {
        ChildLauncher.checkLoadable(function);
        if (IS_STATELESS.get(function.getClass()))
        {
            return STATELESS.computeIfAbsent(function.getClass(),
                type -> new EncodedFunction(STATELESS_KEYS.decrementAndGet(), encode(function)));
        }
        return new EncodedFunction(submissionKey, encode(function));
    }

    private static byte[] encode(final Serializable function)
    {
        try
        {
            return LambdaTasks.encode(function);
        }
        catch (final CodecException ex)
        {
            throw new IllegalArgumentException("task cannot be sent to a pool worker: " + ex.getMessage(), ex);
        }
    }

    /**
     * The worker's main loop. It attaches its end of the pipe first, so that the pool sees the
     * end of the stream however the worker dies, even in its initializer.
     *
     * @param connection  its end of the pipe to the pool.
     * @param initializer run once first, or {@code null}.
     * @param concurrency how many jobs run at once.
     * @throws Exception if the initializer throws: the worker exits with 1.
     */
    static void serve(final Connection connection, final Task initializer, final int concurrency) throws Exception
    {
        connection.spinNanos(0);
        connection.poll();
        if (null != initializer)
        {
            initializer.run();
        }
        try (connection)
        {
            connection.sendBytes(PoolMessages.ready());
            final PoolWorker worker = new PoolWorker(connection);
            if (concurrency > 1)
            {
                worker.serveConcurrently(concurrency);
                return;
            }
            while (true)
            {
                final byte[] message = connection.recvBytes();
                if (0 == message.length)
                {
                    return;
                }
                connection.sendBytes(worker.answer(message));
            }
        }
        catch (final EOFException poolGone)
        {
            // the pool closed its end: nothing left to do
        }
    }

    /**
     * Runs up to {@code concurrency} jobs at once, each on a thread of its own; once retired, waits
     * for the running ones to answer.
     */
    private void serveConcurrently(final int concurrency) throws IOException, InterruptedException
    {
        final Semaphore slots = new Semaphore(concurrency);
        final ExecutorService runners = VirtualThreads.perTaskExecutor("ipckit-pool-task");
        try
        {
            while (true)
            {
                final byte[] message = connection.recvBytes();
                if (0 == message.length)
                {
                    slots.acquire(concurrency);
                    return;
                }
                slots.acquire();
                runners.execute(() ->
                {
                    try
                    {
                        connection.sendBytes(answer(message));
                    }
                    catch (final IOException | RuntimeException poolGone)
                    {
                        // the pool closed its end: the main loop sees it too and ends the worker
                    }
                    finally
                    {
                        slots.release();
                    }
                });
            }
        }
        finally
        {
            runners.shutdown();
        }
    }

    /**
     * Has spare JVMs, and the class-data-sharing archive, warm up a pool worker's paths
     * ({@link #warmUp()}) from now on: a pool registers this when it is built (launching never
     * names the pool, {@link ChildWarmUps}).
     */
    static void registerWarmUp()
    {
        ChildWarmUps.register("pool-worker", PoolWorker::warmUp);
    }

    /**
     * Runs the paths a pool worker takes (a pipe attached in this JVM, a job of a function over a
     * chunk and one of a callable, their answers) once, so that a spare JVM, and the class-data
     * archive made from one, have them loaded and initialised before a pool takes the spare.
     *
     * @throws IOException if the pipe fails.
     */
    static void warmUp() throws IOException
    {
        final Pipe pipe = Pipe.open();
        try (Connection pool = pipe.left(); Connection worker = pipe.right())
        {
            pool.spinNanos(0);
            worker.spinNanos(0);
            final PoolWorker serving = new PoolWorker(worker);
            final SerializableFunction<Integer, Integer> increment = x -> x + 1;
            final SerializableCallable<String> callable = () -> "warm";
            final EncodedFunction function = encodeFunction(increment, 1);
            final EncodedFunction task = encodeFunction(callable, 2);
            pool.sendBytes(PoolMessages.job(3, function.key, PoolMessages.FUNCTION, function.bytes, List.of(1, 2),
                null, ControlBlocks.TASK_CODEC));
            pool.sendBytes(PoolMessages.job(4, task.key, PoolMessages.CALLABLE, task.bytes, null, null,
                ControlBlocks.TASK_CODEC));
            worker.sendBytes(PoolMessages.ready());
            for (int i = 0; i < 2; i++)
            {
                worker.sendBytes(serving.answer(worker.recvBytes()));
            }
            for (int i = 0; i < 3; i++)
            {
                PoolMessages.readAnswer(pool.recvBytes(), serving.results);
            }
        }
    }

    private byte[] answer(final byte[] message)
    {
        final long id = PoolMessages.jobId(message);
        final PoolMessages.Job job;
        final Object task;
        try
        {
            job = PoolMessages.readJob(message, ControlBlocks.TASK_CODEC);
            task = function(job);
        }
        catch (final CodecException ex)
        {
            return failure(id, ex);
        }

        final Object result;
        try
        {
            result = run(job, task);
        }
        catch (final Throwable ex)
        {
            return failure(id, ex);
        }
        final byte[] answer;
        try
        {
            answer = PoolMessages.CALLABLE == job.kind ?
                PoolMessages.value(id, result, results) : PoolMessages.results(id, (List<?>)result, results);
        }
        catch (final CodecException unsendable)
        {
            return failure(id, new IllegalArgumentException(
                "the task's result cannot be sent back to the pool: " + unsendable.getMessage(), unsendable));
        }
        if (answer.length > CodecConfiguration.maxMessageSize())
        {
            return failure(id, new IllegalArgumentException("the task's result takes " + answer.length +
                " bytes, more than " + CodecConfiguration.MAX_MESSAGE_SIZE_PROP_NAME + "=" + CodecConfiguration.maxMessageSize()));
        }
        return answer;
    }

    private Object function(final PoolMessages.Job job)
    {
        functionLock.lock();
        try
        {
            if (job.functionKey != functionKey)
            {
                function = LambdaTasks.decode(job.function, 0, job.function.length);
                functionKey = job.functionKey;
            }
            return function;
        }
        finally
        {
            functionLock.unlock();
        }
    }

    @SuppressWarnings("unchecked")
    private static Object run(final PoolMessages.Job job, final Object task) throws Exception
    {
        if (PoolMessages.CALLABLE == job.kind)
        {
            return ((Callable<Object>)task).call();
        }
        final List<Object> out = new ArrayList<>(job.elements.size());
        if (PoolMessages.PAIRS == job.kind)
        {
            final BiFunction<Object, Object, Object> pairs = (BiFunction<Object, Object, Object>)task;
            for (int i = 0; i < job.elements.size(); i++)
            {
                out.add(pairs.apply(job.elements.get(i), job.seconds.get(i)));
            }
        }
        else
        {
            final Function<Object, Object> each = (Function<Object, Object>)task;
            for (final Object element : job.elements)
            {
                out.add(each.apply(element));
            }
        }
        return out;
    }

    private byte[] failure(final long id, final Throwable failure)
    {
        try
        {
            return PoolMessages.failure(id, failure, results);
        }
        catch (final CodecException unserialisable)
        {
            return PoolMessages.failure(id, new RemoteTaskException(failure), results);
        }
    }
}
