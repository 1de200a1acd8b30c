package dev.ipckit.bench;

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
 * A start measured after a pause, as a program that starts processes now and then sees it: one
 * single shot per iteration, in milliseconds, each after a pause that lets the spare JVM started
 * after the previous iteration boot. JMH's annotations and the pause are inherited by the
 * benchmark classes that extend this one.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 20)
@Fork(value = 1, jvmArgsAppend = { "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED" })
public abstract class WarmStart
{
    private final long pauseMillis;

    /**
     * @param pauseMillis how long each iteration's pause lasts.
     */
    protected WarmStart(final long pauseMillis)
    {
        this.pauseMillis = pauseMillis;
    }

    /**
     * Gives the spare started by the previous iteration time to boot (and warm up).
     *
     * @throws InterruptedException if interrupted.
     */
    @Setup(Level.Iteration)
    public void pause() throws InterruptedException
    {
        Thread.sleep(pauseMillis);
    }
}
