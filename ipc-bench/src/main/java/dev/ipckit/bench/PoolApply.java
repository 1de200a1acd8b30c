package dev.ipckit.bench;

import dev.ipckit.process.ProcessPool;
import dev.ipckit.process.SerializableCallable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

import java.util.concurrent.TimeUnit;

/**
 * Latency of {@link ProcessPool#apply(SerializableCallable)} on a warm pool of 2 workers,
 * microseconds per apply, as py_pool_bench {@code pool2_apply_rtt}: the task ({@code () -> 1})
 * goes to a worker, which runs it and sends its result back, and the JMH thread waits for it. So
 * one apply is a pipe round trip to a worker plus what the pool adds: Java serialization of the
 * job (the lambda included) and of its outcome, and the hand-over of the result from the pool's
 * reader thread to the waiting JMH thread. The pool is started once per trial and warmed up with
 * {@value #WARM_UP} applies.
 * <p>
 * Not final: JMH subclasses benchmark and state classes.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = { "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED" })
public class PoolApply
{
    /** Applies before the first JMH iteration, as CPython's row makes before it times. */
    static final int WARM_UP = 1000;
    /** The task; it captures nothing, so one instance serves every invocation. */
    static final SerializableCallable<Integer> ONE = () -> 1;

    /** A warm pool of 2 workers. */
    public static class Pool extends WarmPool
    {
        @Override
        void warmUp(final ProcessPool pool) throws InterruptedException
        {
            for (int i = 0; i < WARM_UP; i++)
            {
                check(pool.apply(ONE));
            }
        }
    }

    @Benchmark
    public int roundTrip(final Pool state) throws InterruptedException
    {
        return check(state.pool.apply(ONE));
    }

    /**
     * @param result what {@link #ONE} returned.
     * @return 1.
     * @throws IllegalStateException if it is not 1.
     */
    static int check(final Integer result)
    {
        if (null == result || 1 != result)
        {
            throw new IllegalStateException("apply returned " + result);
        }
        return result;
    }
}
