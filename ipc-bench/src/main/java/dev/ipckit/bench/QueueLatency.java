package dev.ipckit.bench;

import dev.ipckit.process.Task;
import dev.ipckit.queue.IpcQueue;
import dev.ipckit.shm.SharedLong;
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

import java.util.concurrent.TimeUnit;

/**
 * put→get latency of {@link IpcQueue} between two busy processes, measured as a ping-pong: the
 * JMH thread puts an Integer on {@code ping} and gets the answer from {@code pong}; a child JVM
 * gets each item from {@code ping} and puts it on {@code pong}. Each side is in {@code get()}
 * while the other works, so neither sleeps between items (the waits are a few microseconds, well
 * within the spinning phase of ipckit's wait).
 * <p>
 * {@link Mode#SampleTime}: every sampled invocation is one round trip, two put→get legs, and JMH
 * divides it by the two operations of the invocation; so each sample is half a round trip, and
 * the percentiles JMH prints (p0.50 is the one the compare table shows) are those of the put→get
 * latency. The mean is skewed by the rare round trips during which one of the two processes was
 * descheduled (two cores, shared).
 * <p>
 * Not final: JMH subclasses benchmark and state classes.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = { "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED" })
public class QueueLatency
{
    private static final Integer ITEM = 1;

    /** The two queues and the child that answers each ping; a {@code null} ping stops it. */
    @State(Scope.Benchmark)
    public static class Echo
    {
        IpcQueue<Integer> ping;
        IpcQueue<Integer> pong;
        private Children child;

        @Setup(Level.Trial)
        public void start()
        {
            ping = IpcQueue.create();
            pong = IpcQueue.create();
            try
            {
                child = Children.start("queue-echo", 1, ready -> echo(ping, pong, ready));
            }
            catch (final RuntimeException ex)
            {
                ping.close();
                pong.close();
                throw ex;
            }
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException
        {
            try
            {
                ping.put(null, Children.ROUND_TIMEOUT);
                child.stop();
            }
            finally
            {
                ping.close();
                pong.close();
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(2)
    public Integer putGet(final Echo echo) throws InterruptedException
    {
        echo.ping.put(ITEM);
        return echo.pong.get();
    }

    /** The child's task: gets each ping and puts it back; static, so that it captures only its arguments. */
    static Task echo(final IpcQueue<Integer> ping, final IpcQueue<Integer> pong, final SharedLong ready)
    {
        return () ->
        {
            try (ping; pong; ready)
            {
                ready.incrementAndGet();
                Integer item;
                while (null != (item = ping.get()))
                {
                    pong.put(item);
                }
            }
        };
    }
}
