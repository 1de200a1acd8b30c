package dev.ipckit.bench;

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
 * One child process started and joined after a pause, as a program that starts a worker now and
 * then sees it: the pause lets the spare JVM started after the previous child boot, so this
 * measures handing a task to a warm JVM, running it and reaping the process. Milliseconds per
 * process; CPython has no counterpart row (its spawn costs the same with or without a pause).
 * <p>
 * Not final: JMH subclasses benchmark classes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 20)
@Fork(value = 1, jvmArgsAppend = { "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED" })
public class ProcessStartWarm
{
    /**
     * Gives the spare started by the previous iteration time to boot.
     *
     * @throws InterruptedException if interrupted.
     */
    @Setup(Level.Iteration)
    public void pause() throws InterruptedException
    {
        Thread.sleep(300);
    }

    @Benchmark
    public int startJoin() throws InterruptedException
    {
        return ProcessSpawn.startJoinEmptyTask();
    }
}
