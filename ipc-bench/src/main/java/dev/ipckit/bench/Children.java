package dev.ipckit.bench;

import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.Task;
import dev.ipckit.shm.SharedLong;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The child JVMs that serve a queue benchmark for a whole trial (consumers, the far end of a
 * ping-pong): each child's task gets a shared counter that it increments once it is running, and
 * {@link #start} returns when every child has, so that their start-up is not measured. They are
 * stopped by whatever ends their task (the caller puts one sentinel per child), then
 * {@link #stop()} waits for them.
 * <p>
 * The children are daemons, so they cannot outlive a JMH fork that dies; {@link #await} gives up
 * with {@link IllegalStateException} if one of them exits or a condition does not come in time,
 * so that a broken child fails the benchmark instead of hanging it.
 */
final class Children
{
    private static final long READY_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** How long the JMH thread waits for the children within one invocation. */
    static final Duration ROUND_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(10);

    private final String name;
    private final SharedLong ready;
    private final List<IpcProcess> processes;

    private Children(final String name, final SharedLong ready, final List<IpcProcess> processes)
    {
        this.name = name;
        this.ready = ready;
        this.processes = processes;
    }

    /**
     * Starts {@code count} children and waits until each has incremented its ready counter.
     *
     * @param name  the children's name, for {@code ps} and error messages; each gets {@code -i}.
     * @param count how many.
     * @param task  makes child {@code i}'s task from the ready counter, which the task increments
     *              once it is running; the task travels to the child, with what it captures.
     * @return the running children.
     * @throws IllegalStateException if a child exits or does not get ready in time.
     */
    static Children start(final String name, final int count, final Function<SharedLong, Task> task)
    {
        final SharedLong ready = SharedLong.create(0, false);
        final Children children = new Children(name, ready, new ArrayList<>());
        try
        {
            for (int i = 0; i < count; i++)
            {
                children.processes.add(
                    IpcProcess.builder().name(name + "-" + i).daemon(true).target(task.apply(ready)).start());
            }
            children.await(ready::get, count, READY_TIMEOUT_NANOS, "get ready");
        }
        catch (final RuntimeException ex)
        {
            children.processes.forEach(IpcProcess::kill);
            ready.close();
            throw ex;
        }
        return children;
    }

    /**
     * Waits until {@code value} reaches {@code expected}: spins, then yields, then parks
     * ({@link BatchPeer#idle(long)}).
     *
     * @param value    what to watch, typically a shared counter a child advances.
     * @param expected the value to wait for.
     * @param what     what is awaited, for the error message.
     * @throws IllegalStateException if a child exits or the value does not come within
     *                               {@link #ROUND_TIMEOUT}.
     */
    void await(final LongSupplier value, final long expected, final String what)
    {
        await(value, expected, ROUND_TIMEOUT.toNanos(), what);
    }

    /**
     * @throws IllegalStateException if a child has exited.
     */
    void checkAlive()
    {
        for (final IpcProcess child : processes)
        {
            if (!child.isAlive())
            {
                throw new IllegalStateException(name + ": a child exited: " + child);
            }
        }
    }

    /**
     * Waits for every child to exit once the caller has ended their tasks; kills those that do not
     * exit in time. Closes the ready counter either way.
     *
     * @throws InterruptedException  if interrupted while waiting.
     * @throws IllegalStateException if a child had to be killed or exited with a non-zero code.
     */
    void stop() throws InterruptedException
    {
        try
        {
            final List<String> failures = new ArrayList<>();
            for (final IpcProcess child : processes)
            {
                final String failure = exitFailure(child, "");
                if (null != failure)
                {
                    failures.add(failure);
                }
            }
            if (!failures.isEmpty())
            {
                throw new IllegalStateException(name + ": " + String.join("; ", failures));
            }
        }
        finally
        {
            ready.close();
        }
    }

    /**
     * Waits for a child whose task the caller has ended; kills it if it does not exit in time.
     *
     * @param name  the child's role, for the message.
     * @param child the child.
     * @param after what should have made it exit, for the message (" of STOP"), or "".
     * @throws InterruptedException  if interrupted while waiting.
     * @throws IllegalStateException if the child had to be killed or exited with a non-zero code.
     */
    static void awaitExit(final String name, final IpcProcess child, final String after) throws InterruptedException
    {
        final String failure = exitFailure(child, after);
        if (null != failure)
        {
            throw new IllegalStateException(name + " " + failure);
        }
    }

    private static String exitFailure(final IpcProcess child, final String after) throws InterruptedException
    {
        if (!child.join(EXIT_TIMEOUT))
        {
            child.kill();
            child.join(EXIT_TIMEOUT);
            return "did not exit within " + EXIT_TIMEOUT + after + "; killed: " + child;
        }
        final Integer code = child.exitCode();
        return null == code || 0 != code ? "failed: " + child : null;
    }

    /**
     * Kills every child that is still running (for a set-up that fails half-way) and closes the
     * ready counter.
     */
    void kill()
    {
        processes.forEach(IpcProcess::kill);
        ready.close();
    }

    private void await(final LongSupplier value, final long expected, final long timeoutNanos, final String what)
    {
        final long start = System.nanoTime();
        for (long i = 0; value.getAsLong() != expected; i++)
        {
            if ((i & 1023) == 1023)
            {
                checkAlive();
                if (System.nanoTime() - start > timeoutNanos)
                {
                    throw new IllegalStateException(name + " did not " + what + " within " +
                        TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s: " + processes);
                }
            }
            BatchPeer.idle(i);
        }
    }
}
