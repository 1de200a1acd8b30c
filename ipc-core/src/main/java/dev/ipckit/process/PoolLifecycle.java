package dev.ipckit.process;

import dev.ipckit.IpcException;

import java.util.ArrayList;
import java.util.List;

/**
 * How a {@link ProcessPool} ends: {@link #close()} lets the submitted work finish and the workers
 * exit, {@link #terminate()} stops the workers at once and fails what is unfinished, and
 * {@link #join()} waits for the workers (and the callbacks due) once either has begun.
 * <p>
 * <b>Note:</b> thread-safe; holds no mutable state of its own (the pool's state is the
 * {@link PoolScheduler}'s).
 */
final class PoolLifecycle
{
    private final PoolScheduler scheduler;
    private final PoolResults results;

    PoolLifecycle(final PoolScheduler scheduler, final PoolResults results)
    {
        this.scheduler = scheduler;
        this.results = results;
    }

    /** Refuses new tasks, waits for the submitted ones, retires the workers and waits for them. */
    void close()
    {
        for (final WorkerHandle worker : scheduler.closeWhenDone())
        {
            worker.retire();
        }
        awaitWorkersAndCallbacks();
    }

    /** Fails every unfinished task, terminates the workers and waits for them; idempotent. */
    void terminate()
    {
        final List<Submission> failed = new ArrayList<>();
        final List<WorkerHandle> stopping = scheduler.terminate(failed);
        if (null == stopping)
        {
            return;
        }
        for (final Submission submission : failed)
        {
            submission.carried.jobDone();
            submission.done.accept(null,
                new IpcException("pool " + scheduler.name + " was terminated before the task finished"));
        }
        for (final WorkerHandle worker : stopping)
        {
            worker.stop(true);
        }
        awaitWorkersAndCallbacks();
    }

    /**
     * @throws IllegalStateException if the pool is still running.
     */
    void join()
    {
        scheduler.checkStopped();
        awaitWorkersAndCallbacks();
    }

    private void awaitWorkersAndCallbacks()
    {
        for (final WorkerHandle worker : scheduler.workers())
        {
            try
            {
                worker.awaitEnd();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return;
            }
        }
        results.awaitCallbacks(WorkerHandle.EXIT_PATIENCE_SECONDS);
    }
}
