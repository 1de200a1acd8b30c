package dev.ipckit.process;

import dev.ipckit.IpcException;
import dev.ipckit.internal.FlightEvents;
import dev.ipckit.internal.Monitors;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;

/**
 * The scheduler of a {@link ProcessPool}: the queue of submitted jobs, the workers, and the pool's
 * state. It hands queued jobs to ready workers ({@link #dispatch()}), takes back the jobs of a
 * worker that ended (the one it died in fails, the others run on another worker), starts
 * replacements, and breaks the pool when workers keep dying before they are ready.
 * <p>
 * <b>Note:</b> thread-safe: its mutable state, and the {@link WorkerHandle} fields marked so, are
 * guarded by {@link #lock}; outcomes are delivered and messages sent outside it.
 */
final class PoolScheduler
{
    private static final int JOBS_PER_WORKER = 2;
    private static final int START_FAILURES_TO_BREAK = 3;
    private static final Comparator<WorkerHandle> MOST_RECENT_ANSWER_FIRST =
        (a, b) -> Long.compare(b.lastAnswerNanos - a.lastAnswerNanos, 0);

    private enum State
    {
        RUNNING, CLOSING, CLOSED, TERMINATED, BROKEN
    }

    final Object lock = new Object();
    final String name;
    private final int processes;
    private final Task initializer;
    private final int maxTasksPerChild;
    private final int concurrency;
    private final List<String> jvmArgs;

    /** Guarded by {@link #lock}: the jobs no worker holds yet, in the order they go out. */
    private final Deque<Submission> queued = new ArrayDeque<>();
    /** Guarded by {@link #lock}: the workers not ended yet, retiring ones included. */
    private final List<WorkerHandle> workers = new ArrayList<>();
    /** Guarded by {@link #lock}. */
    private State state = State.RUNNING;
    /** Guarded by {@link #lock}: the next job id (and function key). */
    private long nextJobId = 1;
    /** Guarded by {@link #lock}: how many workers were started, for their names. */
    private int workersStarted;
    /** Guarded by {@link #lock}: the jobs queued or held that have no outcome yet. */
    private int unfinished;
    /** Guarded by {@link #lock}: the workers in a row that died before they were ready. */
    private int startFailures;
    /** Guarded by {@link #lock}: why the pool is broken, once it is. */
    private String brokenBecause;

    PoolScheduler(final String name, final int processes, final Task initializer, final int maxTasksPerChild,
        final int concurrency, final List<String> jvmArgs)
    {
        this.name = name;
        this.processes = processes;
        this.initializer = initializer;
        this.maxTasksPerChild = maxTasksPerChild;
        this.concurrency = concurrency;
        this.jvmArgs = jvmArgs;
    }

    /** Starts the pool's workers, in parallel. */
    void startWorkers()
    {
        synchronized (lock)
        {
            for (int i = 0; i < processes; i++)
            {
                startWorker();
            }
        }
    }

    /**
     * Job ids and function keys, from one sequence, so that no two submissions share a key.
     *
     * @throws IllegalStateException if the pool takes no new tasks.
     */
    long reserveIds(final int count)
    {
        synchronized (lock)
        {
            checkRunning();
            final long first = nextJobId;
            nextJobId += count;
            return first;
        }
    }

    /**
     * Queues submissions and dispatches them.
     *
     * @throws IllegalStateException if the pool takes no new tasks (what they carry is released).
     */
    void enqueue(final List<Submission> submissions)
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

    /**
     * Takes back submissions that no worker has been handed yet, all of them or none; their
     * outcome is a {@link CancellationException}.
     *
     * @return whether they were taken back.
     */
    boolean withdraw(final List<Submission> submissions)
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
    void dispatch()
    {
        final List<WorkerHandle> targets = new ArrayList<>();
        synchronized (lock)
        {
            final List<WorkerHandle> candidates = new ArrayList<>(workers);
            candidates.sort(MOST_RECENT_ANSWER_FIRST);
            boolean allReady = true;
            for (final WorkerHandle worker : candidates)
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
                    final WorkerHandle worker = candidates.get(i);
                    if (worker.ready && !worker.retiring && worker.jobs.size() < depth)
                    {
                        hand(worker, queued.pollFirst());
                    }
                }
            }
            for (final WorkerHandle worker : candidates)
            {
                if (!worker.outbox.isEmpty())
                {
                    targets.add(worker);
                }
            }
        }
        for (final WorkerHandle worker : targets)
        {
            worker.flush();
        }
    }

    /** Gives a job to a worker; caller holds the lock. Retires (and replaces) it at maxTasksPerChild. */
    private void hand(final WorkerHandle worker, final Submission submission)
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

    /** The worker answered that it is ready: the run of workers that died before it ends. */
    void workerReady(final WorkerHandle worker)
    {
        synchronized (lock)
        {
            worker.ready = true;
            startFailures = 0;
            worker.lastAnswerNanos = System.nanoTime();
        }
    }

    /**
     * The worker answered job {@code id}.
     *
     * @return the job's submission, or {@code null} if the worker no longer holds it (terminated).
     */
    Submission answered(final WorkerHandle worker, final long id)
    {
        synchronized (lock)
        {
            final Submission submission = worker.jobs.remove(id);
            worker.lastAnswerNanos = System.nanoTime();
            return submission;
        }
    }

    /** Delivers a job's outcome, releases what it carried, and counts it done. */
    void finish(final Submission submission, final Object value, final Throwable failure)
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

    /**
     * The worker ended, expectedly or not (its reader's last act): fails the job it died in, queues
     * the others again, breaks the pool after {@value #START_FAILURES_TO_BREAK} workers in a row
     * died before they were ready, and replaces the worker if the pool needs one.
     *
     * @param readerFault what the reader failed with (the worker was killed), or {@code null} if the pipe ended.
     */
    void workerEnded(final WorkerHandle worker, final Throwable readerFault)
    {
        final Integer exitCode = worker.awaitExitCode();
        final List<Submission> failed = new ArrayList<>();
        final List<Submission> broken = new ArrayList<>();
        final boolean unexpected;
        final String breakReason;
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
            breakReason = brokenBecause;
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
            finish(submission, null, new TaskFailedException("pool " + name + " is broken: " + breakReason, died));
        }
        dispatch();
    }

    /**
     * Takes the jobs of a worker that ended. The worker runs its jobs in the order it got them and
     * answers each before it reads the next, so the oldest unanswered one is the job it died in:
     * that one fails; the others never started and go back to the head of the queue.
     */
    private void takeJobs(final WorkerHandle worker, final List<Submission> failed)
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

    /** Starts a worker if the pool is short of its count of workers that take jobs; caller holds the lock. */
    private void replaceIfNeeded()
    {
        if (State.RUNNING != state && State.CLOSING != state)
        {
            return;
        }
        int active = 0;
        for (final WorkerHandle worker : workers)
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

    /** Caller holds the lock. */
    private void startWorker()
    {
        final WorkerHandle worker =
            WorkerHandle.start(this, name + "-Worker-" + ++workersStarted, initializer, concurrency, jvmArgs);
        workers.add(worker);
        worker.startReading();
    }

    /**
     * Refuses new tasks, waits until every submitted one has an outcome (or the pool is terminated),
     * and marks every worker retiring.
     *
     * @return the workers, for the caller to retire.
     */
    List<WorkerHandle> closeWhenDone()
    {
        synchronized (lock)
        {
            if (State.RUNNING == state)
            {
                state = State.CLOSING;
            }
            Monitors.awaitUninterruptibly(lock, () -> unfinished <= 0 || State.CLOSING != state);
            if (State.CLOSING == state || State.BROKEN == state)
            {
                state = State.CLOSED;
            }
            final List<WorkerHandle> retiring = new ArrayList<>(workers);
            for (final WorkerHandle worker : retiring)
            {
                worker.retiring = true;
            }
            return retiring;
        }
    }

    /**
     * Stops taking and handing out jobs at once: moves every unfinished job to {@code failed} and
     * marks every worker retiring.
     *
     * @param failed receives the jobs without an outcome, for the caller to fail.
     * @return the workers, for the caller to stop; {@code null} if the pool was terminated already.
     */
    List<WorkerHandle> terminate(final List<Submission> failed)
    {
        synchronized (lock)
        {
            if (State.TERMINATED == state)
            {
                return null;
            }
            state = State.TERMINATED;
            failed.addAll(queued);
            queued.clear();
            final List<WorkerHandle> stopping = new ArrayList<>(workers);
            for (final WorkerHandle worker : stopping)
            {
                worker.retiring = true;
                failed.addAll(worker.jobs.values());
                worker.jobs.clear();
            }
            unfinished = 0;
            lock.notifyAll();
            return stopping;
        }
    }

    /**
     * @throws IllegalStateException if the pool is still running (not closed nor terminated).
     */
    void checkStopped()
    {
        synchronized (lock)
        {
            if (State.RUNNING == state || State.CLOSING == state)
            {
                throw new IllegalStateException("pool " + name + " is running: close() or terminate() it first");
            }
        }
    }

    /**
     * @return the workers not ended yet (a snapshot).
     */
    List<WorkerHandle> workers()
    {
        synchronized (lock)
        {
            return new ArrayList<>(workers);
        }
    }

    /**
     * @return the pids of the workers running now (a snapshot).
     */
    List<Long> workerPids()
    {
        synchronized (lock)
        {
            final List<Long> pids = new ArrayList<>();
            for (final WorkerHandle worker : workers)
            {
                pids.add(worker.process.pid());
            }
            return pids;
        }
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
}
