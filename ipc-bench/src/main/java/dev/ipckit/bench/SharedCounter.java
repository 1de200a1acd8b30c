package dev.ipckit.bench;

import dev.ipckit.process.Task;
import dev.ipckit.shm.SharedLong;
import dev.ipckit.sync.IpcRLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

import java.util.concurrent.TimeUnit;

/**
 * Two processes incrementing one {@link SharedLong} at the same time: the JMH thread and one child
 * JVM each run a batch of increments per invocation ({@link BatchPeer}), and the score is the
 * increments of both per second.
 * <ul>
 * <li>{@code locked}: {@code lock(); set(get() + 1); unlock()} under the value's own lock
 * ({@link SharedLong#getLock()}), as py_mp_bench {@code value_locked_incr_2proc}'s
 * {@code with v.get_lock(): v.value += 1}. CPython's figure includes starting its two processes;
 * this one is steady state (the child is started once per trial).</li>
 * <li>{@code lockFree}: {@link SharedLong#incrementAndGet()} on a value without a lock, as limits.c
 * {@code c_shm_atomic_incr_2proc}'s {@code atomic_fetch_add} in two forked processes.</li>
 * </ul>
 * Each trial checks at its end that no increment was lost.
 * <p>
 * Not final: JMH subclasses benchmark and state classes.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = { "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED" })
public class SharedCounter
{
    /**
     * Locked increments per process per invocation: about 30 ms at 35 M incr/s for both, long
     * enough that the per-invocation handshake and the end of the batch that finishes last (when
     * a waiter may still be parked in the lock's back-off) weigh little.
     */
    static final int BATCH_LOCKED = 500_000;
    /** Lock-free increments per process per invocation: about 30 ms at 130 M incr/s for both. */
    static final int BATCH_LOCK_FREE = 2_000_000;

    /** A shared long, and a child that increments it in the same batches as the JMH thread. */
    public abstract static class Counter
    {
        SharedLong counter;
        int batch;
        BatchPeer peer;

        abstract SharedLong create();

        abstract Task childBatch(SharedLong value, int n);

        @Setup(Level.Trial)
        public void start(final BenchmarkParams params)
        {
            batch = params.getOpsPerInvocation() / 2;
            counter = create();
            try
            {
                peer = BatchPeer.start("incr-" + params.getBenchmark().replaceAll(".*\\.", ""),
                    childBatch(counter, batch));
            }
            catch (final RuntimeException ex)
            {
                counter.close();
                throw ex;
            }
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException
        {
            try
            {
                peer.stop();
                final long expected = 2L * batch * peer.rounds();
                if (counter.get() != expected)
                {
                    throw new IllegalStateException("lost increments: counter=" + counter.get() + ", expected=" +
                        expected);
                }
            }
            finally
            {
                counter.close();
            }
        }
    }

    /** A shared long with its lock. */
    @State(Scope.Benchmark)
    public static class Locked extends Counter
    {
        @Override
        SharedLong create()
        {
            return SharedLong.create(0);
        }

        @Override
        Task childBatch(final SharedLong value, final int n)
        {
            return () -> lockedIncrements(value, n);
        }
    }

    /** A shared long without a lock. */
    @State(Scope.Benchmark)
    public static class LockFree extends Counter
    {
        @Override
        SharedLong create()
        {
            return SharedLong.create(0, false);
        }

        @Override
        Task childBatch(final SharedLong value, final int n)
        {
            return () -> lockFreeIncrements(value, n);
        }
    }

    @Benchmark
    @OperationsPerInvocation(2 * BATCH_LOCKED)
    public long locked(final Locked state)
    {
        final SharedLong counter = state.counter;
        state.peer.runRound(() -> lockedIncrements(counter, BATCH_LOCKED));
        return counter.get();
    }

    @Benchmark
    @OperationsPerInvocation(2 * BATCH_LOCK_FREE)
    public long lockFree(final LockFree state)
    {
        final SharedLong counter = state.counter;
        state.peer.runRound(() -> lockFreeIncrements(counter, BATCH_LOCK_FREE));
        return counter.get();
    }

    static void lockedIncrements(final SharedLong counter, final int n)
    {
        final IpcRLock lock = counter.getLock();
        for (int i = 0; i < n; i++)
        {
            lock.lock();
            try
            {
                counter.set(counter.get() + 1);
            }
            finally
            {
                lock.unlock();
            }
        }
    }

    static void lockFreeIncrements(final SharedLong counter, final int n)
    {
        for (int i = 0; i < n; i++)
        {
            counter.incrementAndGet();
        }
    }
}
