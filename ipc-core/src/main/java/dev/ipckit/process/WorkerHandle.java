package dev.ipckit.process;

import dev.ipckit.IpcException;
import dev.ipckit.codec.Codec;
import dev.ipckit.codec.CodecException;
import dev.ipckit.pipe.Connection;
import dev.ipckit.pipe.Pipe;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One worker of a {@link ProcessPool}: its child JVM, the pool's end of the pipe to it, the jobs
 * it holds, and the reader thread that takes its answers and hands them to the
 * {@link PoolScheduler}. When the pipe ends, or the reader fails with any {@link Throwable} (an
 * {@link OutOfMemoryError} on a large result, a {@link StackOverflowError} decoding a deep one:
 * the stream is out of step, so the worker is killed), the scheduler fails the task the worker was
 * running and replaces it ({@link PoolScheduler#workerEnded}).
 * <p>
 * <b>Note:</b> the fields marked so are guarded by the scheduler's lock; messages go out one
 * sender at a time, in the order they were put in the outbox.
 */
final class WorkerHandle
{
    /** How long a worker is given to exit before it is killed, and its reader to end. */
    static final long EXIT_PATIENCE_SECONDS = 10;

    final IpcProcess process;
    final Connection connection;
    /** Guarded by the scheduler's lock: the jobs handed to the worker and not answered, oldest first. */
    final Map<Long, Submission> jobs = new LinkedHashMap<>();
    /** Guarded by the scheduler's lock: messages handed to the worker and not sent yet. */
    final Deque<byte[]> outbox = new ArrayDeque<>();
    /** Guarded by the scheduler's lock: the worker has answered that it is ready. */
    boolean ready;
    /** Guarded by the scheduler's lock: the worker takes no more jobs (closing, retired or stopped). */
    boolean retiring;
    /** Guarded by the scheduler's lock: when the worker last answered. */
    long lastAnswerNanos = System.nanoTime();
    /** Guarded by the scheduler's lock: the jobs handed to it so far. */
    int dispatched;

    private final PoolScheduler scheduler;
    private final Object lock;
    private final Object sendLock = new Object();
    /** Confined to the reader thread. */
    private final Codec results = Codec.standard();
    private final Thread reader;

    private WorkerHandle(final PoolScheduler scheduler, final IpcProcess process, final Connection connection)
    {
        this.scheduler = scheduler;
        this.lock = scheduler.lock;
        this.process = process;
        this.connection = connection;
        this.reader = new Thread(this::read, scheduler.name + "-reader-" + process.pid());
        this.reader.setDaemon(true);
    }

    /**
     * Starts a worker JVM serving on a new pipe ({@link PoolWorker#serve}); its reader is not
     * started yet ({@link #startReading()}).
     *
     * @param scheduler   the scheduler the reader reports to.
     * @param workerName  the worker's process name.
     * @param initializer run once in the worker first, or {@code null}.
     * @param concurrency how many jobs the worker runs at once.
     * @param jvmArgs     the worker's JVM arguments.
     * @return the worker.
     */
    static WorkerHandle start(final PoolScheduler scheduler, final String workerName, final Task initializer,
        final int concurrency, final List<String> jvmArgs)
    {
        final Pipe pipe = Pipe.open();
        final Connection workerEnd = pipe.right();
        final IpcProcess process = IpcProcess.builder()
            .name(workerName)
            .daemon(true)
            .jvmArgs(jvmArgs)
            .target(() -> PoolWorker.serve(workerEnd, initializer, concurrency))
            .start();
        workerEnd.close();
        final Connection poolEnd = pipe.left();
        poolEnd.spinNanos(0);
        return new WorkerHandle(scheduler, process, poolEnd);
    }

    void startReading()
    {
        reader.start();
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

    /**
     * Waits up to {@link #EXIT_PATIENCE_SECONDS} for the ended worker's exit code, and closes this end.
     *
     * @return its exit code, or {@code null} if it did not exit in time or the thread was interrupted.
     */
    Integer awaitExitCode()
    {
        Integer exitCode = null;
        try
        {
            if (process.join(Duration.ofSeconds(EXIT_PATIENCE_SECONDS)))
            {
                exitCode = process.exitCode();
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        connection.close();
        return exitCode;
    }

    /**
     * Waits for the worker to exit, killing it once {@link #EXIT_PATIENCE_SECONDS} have passed,
     * then for its reader to end.
     *
     * @throws InterruptedException if interrupted while waiting.
     */
    void awaitEnd() throws InterruptedException
    {
        if (!process.join(Duration.ofSeconds(EXIT_PATIENCE_SECONDS)))
        {
            process.kill();
            process.join(Duration.ofSeconds(EXIT_PATIENCE_SECONDS));
        }
        reader.join(TimeUnit.SECONDS.toMillis(EXIT_PATIENCE_SECONDS));
    }

    /** The reader thread: takes the worker's answers until its pipe ends. */
    private void read()
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
                    scheduler.workerReady(this);
                }
                else
                {
                    final Submission submission = scheduler.answered(this, answer.id);
                    if (null != submission)
                    {
                        final boolean failed = PoolMessages.FAILED == answer.type;
                        scheduler.finish(submission, failed ? null : answer.value, failed ? (Throwable)answer.value : null);
                    }
                }
                scheduler.dispatch();
            }
        }
        catch (final IOException | RuntimeException ended)
        {
            // the pipe ended: the worker exited or died
        }
        catch (final Throwable fault)
        {
            try
            {
                stop(false);
            }
            finally
            {
                scheduler.workerEnded(this, fault);
            }
            return;
        }
        scheduler.workerEnded(this, null);
    }
}
