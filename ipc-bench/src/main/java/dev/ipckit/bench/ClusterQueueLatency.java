package dev.ipckit.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;


/**
 * put→get latency of a {@code ClusterQueue} across two Hazelcast members on loopback, as a
 * ping-pong: the JMH thread (member A) puts an Integer on {@code ping} and gets the answer from
 * {@code pong}; member B, in a child JVM, gets each from {@code ping} and puts it on {@code pong}.
 * Each queue lives on one of the two members (its partition's owner) with a synchronous backup on
 * the other, so every put waits for its backup. As {@link QueueLatency}, {@link Mode#SampleTime}
 * with two operations per invocation: each sample is half a round trip, and p0.50 is the median
 * put→get latency. CPython's counterpart is a {@code multiprocessing.Manager().Queue()} between two
 * processes.
 * <p>
 * Not final: JMH subclasses benchmark and state classes.
 */
public class ClusterQueueLatency extends ClusterForked
{
    private static final Integer ITEM = 1;

    /** The two members. */
    @State(Scope.Benchmark)
    public static class Pair
    {
        ClusterPair pair;

        @Setup(Level.Trial)
        public void start()
        {
            pair = new ClusterPair();
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException
        {
            pair.stop();
        }
    }

    @Benchmark
    @OperationsPerInvocation(2)
    public Integer putGet(final Pair state) throws InterruptedException
    {
        state.pair.ping.put(ITEM);
        return state.pair.pong.get();
    }
}
