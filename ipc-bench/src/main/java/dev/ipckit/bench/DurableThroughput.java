package dev.ipckit.bench;

import dev.ipckit.durable.DurableJoinableQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Durable queue throughput, items per second, as py_mp_bench's {@code joinable_1p1c_taskdone_join}
 * on CPython's (not durable) {@code JoinableQueue}: the JMH thread puts a batch of {@value #BATCH}
 * Integers on a {@link DurableJoinableQueue} in a fresh directory under {@code java.io.tmpdir};
 * a consumer child gets each and calls {@code taskDone()}; the JMH thread {@code join()}s at the
 * end of each batch. Every item crosses Chronicle Queue's memory-mapped log and is claimed and
 * marked done in the queue's state file.
 * <p>
 * Not final: JMH subclasses benchmark and state classes.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DurableThroughput extends DurableForked
{
    /** Items per invocation: CPython's quick {@code N_MSG / 2}. */
    static final int BATCH = 50_000;

    /** A durable joinable queue in a fresh directory and one consumer child. */
    @State(Scope.Benchmark)
    public static class Joinable
    {
        Path dir;
        DurableJoinableQueue<Integer> queue;
        Children consumer;

        @Setup(Level.Trial)
        public void start() throws IOException
        {
            dir = Files.createTempDirectory("ipckit-durable-bench");
            queue = DurableJoinableQueue.open(dir);
            try
            {
                consumer = Children.start("durable-consumer", 1, ready -> QueueThroughput.taskDone(queue, DurableJoinableQueue::get, ready));
            }
            catch (final RuntimeException ex)
            {
                queue.close();
                throw ex;
            }
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException
        {
            try
            {
                queue.put(null);
                consumer.stop();
                if (!queue.join(Children.ROUND_TIMEOUT) || !queue.isEmpty())
                {
                    throw new IllegalStateException("tasks unfinished at the end: " + queue.unfinishedTasks());
                }
            }
            finally
            {
                queue.close();
                delete(dir);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int joinable(final Joinable state) throws InterruptedException
    {
        final DurableJoinableQueue<Integer> queue = state.queue;
        for (int i = 0; i < BATCH; i++)
        {
            queue.put(i);
        }
        if (!queue.join(Children.ROUND_TIMEOUT))
        {
            state.consumer.checkAlive();
            throw new IllegalStateException("join() timed out, unfinished " + queue.unfinishedTasks());
        }
        return queue.qsize();
    }

    static void delete(final Path dir)
    {
        try (Stream<Path> files = Files.walk(dir))
        {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
