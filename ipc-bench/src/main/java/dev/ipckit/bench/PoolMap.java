package dev.ipckit.bench;

import dev.ipckit.process.ProcessPool;
import dev.ipckit.process.SerializableFunction;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@link ProcessPool#map(SerializableFunction, Iterable, int)} throughput, elements per second, as
 * py_mp_bench {@code pool2_map_square}: a pool of 2 workers, started once per trial and warmed
 * up as CPython's is (a {@code map} of 100 elements), then each invocation maps the square over
 * {@value #ELEMENTS} Integers in chunks of {@value #CHUNK_SIZE} and checks the last result.
 * <p>
 * The squares go up to 99 999², which does not fit an {@code int}, so the function returns a
 * {@link Long} ({@code (long)x * x}), as CPython's ints hold it. The list of elements is built
 * once per trial; {@code map} copies it, and cuts it into chunks, in every invocation. CPython's
 * quick mode maps 20 000 elements, its full mode {@value #ELEMENTS}; this benchmark maps
 * {@value #ELEMENTS} in both, so that the fixed cost of a {@code map} weighs as little as in
 * CPython's full run.
 * <p>
 * Not final: JMH subclasses benchmark and state classes.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = { "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED" })
public class PoolMap
{
    /** Elements per {@code map}: py_mp_bench's full-mode {@code n}. */
    static final int ELEMENTS = 100_000;
    /** Elements per job, as CPython's {@code chunksize=256}. */
    static final int CHUNK_SIZE = 256;
    /** The mapped function; it captures nothing, so one instance serves every invocation. */
    static final SerializableFunction<Integer, Long> SQUARE = x -> (long)x * x;

    /** A warm pool of 2 workers and the elements to map. */
    public static class Pool extends WarmPool
    {
        final List<Integer> elements = new ArrayList<>(ELEMENTS);

        @Override
        void warmUp(final ProcessPool pool) throws InterruptedException
        {
            for (int i = 0; i < ELEMENTS; i++)
            {
                elements.add(i);
            }
            final List<Long> warmUp = pool.map(SQUARE, elements.subList(0, 100));
            if (100 != warmUp.size() || 99L * 99L != warmUp.get(99))
            {
                throw new IllegalStateException("warm-up map returned " + warmUp);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(ELEMENTS)
    public long square(final Pool state) throws InterruptedException
    {
        final List<Long> squares = state.pool.map(SQUARE, state.elements, CHUNK_SIZE);
        final long last = squares.get(ELEMENTS - 1);
        if (ELEMENTS != squares.size() || (long)(ELEMENTS - 1) * (ELEMENTS - 1) != last)
        {
            throw new IllegalStateException("map returned " + squares.size() + " results, the last " + last);
        }
        return last;
    }
}
