package dev.ipckit.bench;

import dev.ipckit.process.ProcessPool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

import java.util.concurrent.TimeUnit;

/**
 * A pool's start-up as a user pays it: {@code ProcessPool.create(2)}, the first {@code apply}'s
 * result, and {@code close()}, which lets the two workers exit and waits for them; milliseconds
 * per pool, as py_pool_bench {@code pool2_start_first_task}
 * ({@code with mp.Pool(2) as pool: pool.apply(f)}, whose exit terminates and joins the workers).
 * <p>
 * Measured as {@link ProcessSpawn} measures a child: in a tight loop ({@link Mode#AverageTime}),
 * one pool after the other. So the spare JVM ({@code ipckit.process.spares}, default 1) does not
 * shorten it: the first worker of a pool takes the spare that booted while the previous pool ran,
 * the second boots a JVM of its own, and a new spare boots in the background at the same time;
 * three JVMs booting at once on a 2-core machine; {@code close()} kills the second worker if it is
 * still booting (it holds no task). {@code -Dipckit.process.spares=0} or {@code 2} (in
 * {@code -jvmArgsAppend}) shows the loop without a spare or with one for each worker. The workers
 * use the class-data-sharing archive of the children ({@code ipckit.process.cds}) either way.
 * {@link PoolStartWarm} measures a pool started now and then.
 * <p>
 * Not final: JMH subclasses benchmark classes.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = { "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED" })
public class PoolStart
{
    @Benchmark
    public int startFirstTask() throws InterruptedException
    {
        try (ProcessPool pool = ProcessPool.create(2))
        {
            return PoolApply.check(pool.apply(PoolApply.ONE));
        }
    }
}
