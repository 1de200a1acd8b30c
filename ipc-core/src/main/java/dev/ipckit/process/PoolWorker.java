package dev.ipckit.process;

import dev.ipckit.codec.CodecException;
import dev.ipckit.pipe.Connection;

import java.io.EOFException;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * What a {@link ProcessPool} worker process runs, and the messages it exchanges with the pool over
 * its pipe: the parent sends {@link Job}s, encoded by {@link #encode} (and an empty message to
 * retire the worker); the worker answers {@link #READY} once its initializer has run, then one
 * {@link Outcome} per job, in the order it got them.
 */
final class PoolWorker
{
    static final String READY = "ready";
    static final byte[] RETIRE = new byte[0];
    /** The id of the outcome of a job the worker could not decode: the oldest job it holds. */
    static final long UNDECODED = -1;

    private PoolWorker()
    {
    }

    /**
     * Encodes a job for a worker, in the submitting thread, so that a task that cannot be sent is
     * refused where it is submitted.
     *
     * @param job the job.
     * @return its bytes.
     * @throws IllegalArgumentException if the function or an element cannot be serialised, or its
     *                                  class is not on the class path.
     */
    static byte[] encode(final Job job)
    {
        ChildLauncher.checkLoadable(job.function);
        try
        {
            return ControlBlocks.TASK_CODEC.encode(job);
        }
        catch (final CodecException ex)
        {
            throw new IllegalArgumentException("task cannot be sent to a pool worker: " + ex.getMessage(), ex);
        }
    }

    /** A unit of work: a callable, or a function (or two-argument function) over a chunk of elements. */
    static final class Job implements Serializable
    {
        private static final long serialVersionUID = 1L;

        final long id;
        final Serializable function;
        final List<?> chunk;

        Job(final long id, final Serializable function, final List<?> chunk)
        {
            this.id = id;
            this.function = function;
            this.chunk = chunk;
        }

        @SuppressWarnings("unchecked")
        Object run() throws Exception
        {
            if (null == chunk)
            {
                return ((java.util.concurrent.Callable<Object>)function).call();
            }
            final List<Object> results = new ArrayList<>(chunk.size());
            if (function instanceof BiFunction)
            {
                final BiFunction<Object, Object, Object> pairs = (BiFunction<Object, Object, Object>)function;
                for (final Object element : chunk)
                {
                    final Map.Entry<?, ?> pair = (Map.Entry<?, ?>)element;
                    results.add(pairs.apply(pair.getKey(), pair.getValue()));
                }
            }
            else
            {
                final Function<Object, Object> each = (Function<Object, Object>)function;
                for (final Object element : chunk)
                {
                    results.add(each.apply(element));
                }
            }
            return results;
        }
    }

    /** What became of a job: its value, or the exception it threw. */
    static final class Outcome implements Serializable
    {
        private static final long serialVersionUID = 1L;

        final long id;
        final boolean ok;
        final Object value;

        Outcome(final long id, final boolean ok, final Object value)
        {
            this.id = id;
            this.ok = ok;
            this.value = value;
        }
    }

    /**
     * The worker's main loop. It attaches its end of the pipe first, so that the pool sees the
     * end of the stream however the worker dies, even in its initializer.
     *
     * @param connection  its end of the pipe to the pool.
     * @param initializer run once first, or {@code null}.
     * @throws Exception if the initializer throws: the worker exits with 1.
     */
    static void serve(final Connection connection, final Task initializer) throws Exception
    {
        connection.poll();
        if (null != initializer)
        {
            initializer.run();
        }
        try (connection)
        {
            connection.send(READY);
            while (true)
            {
                final byte[] message = connection.recvBytes();
                if (0 == message.length)
                {
                    return;
                }
                final Job job;
                try
                {
                    job = (Job)ControlBlocks.TASK_CODEC.decode(message, 0, message.length);
                }
                catch (final CodecException ex)
                {
                    connection.send(new Outcome(UNDECODED, false, ex));
                    continue;
                }
                answer(connection, job);
            }
        }
        catch (final EOFException poolGone)
        {
            // the pool closed its end: nothing left to do
        }
    }

    private static void answer(final Connection connection, final Job job) throws IOException
    {
        Outcome outcome;
        try
        {
            outcome = new Outcome(job.id, true, job.run());
        }
        catch (final Throwable ex)
        {
            outcome = new Outcome(job.id, false, ex);
        }
        try
        {
            connection.send(outcome);
        }
        catch (final CodecException unserialisable)
        {
            final Throwable why = outcome.ok ?
                new IllegalArgumentException("the task's result cannot be sent back to the pool: " +
                    unserialisable.getMessage()) :
                new RemoteTaskException((Throwable)outcome.value);
            connection.send(new Outcome(job.id, false, why));
        }
    }
}
