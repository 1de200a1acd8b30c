package dev.ipckit.bench;

import dev.ipckit.durable.DurableQueue;
import dev.ipckit.process.IpcProcess;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A durable queue's cost in a fresh JVM: start a child JVM that opens a durable queue (in a
 * directory that already holds one), puts one item and exits, and wait for it. Milliseconds per
 * process; {@link ProcessSpawn#startJoin()} is the same without the queue, so the difference is
 * what opening the queue and the first put cost in a fresh JVM (class loading of Chronicle Queue
 * included).
 * <p>
 * Not final: JMH subclasses benchmark and state classes.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DurableOpen extends DurableForked
{
    /** A durable queue in a fresh directory, opened here once so that children reopen it. */
    @State(Scope.Benchmark)
    public static class Dir
    {
        Path dir;
        DurableQueue<Integer> queue;

        @Setup(Level.Trial)
        public void start() throws IOException
        {
            dir = Files.createTempDirectory("ipckit-durable-open");
            queue = DurableQueue.open(dir);
        }

        @TearDown(Level.Trial)
        public void stop()
        {
            queue.close();
            DurableThroughput.delete(dir);
        }
    }

    @Benchmark
    public int openFirstPut(final Dir state) throws InterruptedException
    {
        final DurableQueue<Integer> queue = state.queue;
        final IpcProcess child = IpcProcess.start(() ->
        {
            queue.put(1);
            queue.close();
        });
        child.join();
        final Integer code = child.exitCode();
        if (null == code || 0 != code)
        {
            throw new IllegalStateException("open and put failed: " + child);
        }
        return queue.qsize();
    }
}
