package dev.ipckit.bench;

import dev.ipckit.process.ProcessPool;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * {@link PoolStart} after a pause, as a program that starts a pool now and then sees it: the pause
 * lets the spare JVM started after the previous pool boot and warm up, so the first worker is
 * ready at once while the second boots. Milliseconds per pool; CPython has no counterpart row
 * (its {@code Pool(2)} costs the same with or without a pause).
 * <p>
 * Not final: JMH subclasses benchmark classes.
 */
public class PoolStartWarm extends WarmStart
{
    /**
     * Pauses 500 ms: time for the spare to boot and warm up.
     */
    public PoolStartWarm()
    {
        super(500);
    }

    @Benchmark
    public int startFirstTask() throws InterruptedException
    {
        try (ProcessPool pool = ProcessPool.create(2))
        {
            return PoolApply.check(pool.apply(PoolApply.ONE));
        }
    }
}
