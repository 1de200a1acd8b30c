package dev.ipckit.bench;

import dev.ipckit.process.IpcProcess;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

import java.util.concurrent.TimeUnit;

/**
 * Child process start-up, as py_mp_bench {@code process_spawn_start_join}: start a child JVM
 * that runs an empty task and wait for it to exit. Measures milliseconds per process.
 * <p>
 * Not final: JMH subclasses benchmark classes.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = { "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED" })
public class ProcessSpawn
{
    @Benchmark
    public int startJoin() throws InterruptedException
    {
        return startJoinEmptyTask();
    }

    /**
     * @return the child's exit code, 0.
     * @throws InterruptedException if interrupted while joining.
     */
    static int startJoinEmptyTask() throws InterruptedException
    {
        final IpcProcess child = IpcProcess.start(() -> { });
        child.join();
        final Integer code = child.exitCode();
        if (null == code || 0 != code)
        {
            throw new IllegalStateException("empty task failed: " + child);
        }
        return code;
    }
}
