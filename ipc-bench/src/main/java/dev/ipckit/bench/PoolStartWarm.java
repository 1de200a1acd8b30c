package dev.ipckit.bench;

import dev.ipckit.process.ProcessPool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * {@link PoolStart} after a pause, as a program that starts a pool now and then sees it: the pause
 * lets the spare JVM started after the previous pool boot and warm up, so the first worker is
 * ready at once while the second boots. Milliseconds per pool; CPython has no counterpart row
 * (its {@code Pool(2)} costs the same with or without a pause).
 * <p>
 * Not final: JMH subclasses benchmark classes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 20)
@Fork(value = 1, jvmArgsAppend = { "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED" })
public class PoolStartWarm
{
    /**
     * Gives the spare started by the previous iteration time to boot and warm up.
     *
     * @throws InterruptedException if interrupted.
     */
    @Setup(Level.Iteration)
    public void pause() throws InterruptedException
    {
        Thread.sleep(500);
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
