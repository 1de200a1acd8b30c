package dev.ipckit.bench;

import dev.ipckit.process.ProcessPool;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A pool of 2 workers for a trial, warmed up before the first iteration (as CPython's rows warm
 * theirs before they time), and terminated if the warm-up fails. Not final: JMH subclasses state
 * classes.
 */
@State(Scope.Benchmark)
public abstract class WarmPool
{
    ProcessPool pool;

    /**
     * Starts the pool and warms it up.
     *
     * @throws InterruptedException if interrupted.
     */
    @Setup(Level.Trial)
    public void start() throws InterruptedException
    {
        pool = ProcessPool.create(2);
        try
        {
            warmUp(pool);
        }
        catch (final RuntimeException | InterruptedException ex)
        {
            pool.terminate();
            throw ex;
        }
    }

    /**
     * Runs the benchmark's work on the new pool until its workers are warm, and checks the results.
     *
     * @param pool the pool.
     * @throws InterruptedException if interrupted.
     */
    abstract void warmUp(ProcessPool pool) throws InterruptedException;

    /**
     * Closes the pool once the trial is over.
     */
    @TearDown(Level.Trial)
    public void stop()
    {
        pool.close();
    }
}
