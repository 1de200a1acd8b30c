package dev.ipckit.bench;

import dev.ipckit.cluster.Cluster;
import dev.ipckit.cluster.ClusterPool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.time.Duration;

/**
 * Latency of {@link ClusterPool#apply} from a client to two members on loopback, microseconds per
 * apply: the task ({@code () -> 1}) goes over TCP to the next member in turn (one in the JMH JVM,
 * one in a child JVM, both reached through the client's connections), runs on its executor, and the
 * result comes back. So every apply is a network round trip plus ipckit's codec for the task and
 * its result. Warmed up with {@value PoolApply#WARM_UP} applies. {@link Mode#SampleTime}, as
 * {@link QueueLatency}: the table shows the median, since on a shared machine a few applies that wait
 * for a descheduled member or a garbage collection of one of three JVMs dominate the mean.
 * <p>
 * Not final: JMH subclasses benchmark and state classes.
 */
public class ClusterApply extends ClusterForked
{
    /** Two members and a client's pool. */
    @State(Scope.Benchmark)
    public static class Client
    {
        ClusterPair pair;
        Cluster client;
        ClusterPool pool;

        @Setup(Level.Trial)
        public void start() throws InterruptedException
        {
            pair = new ClusterPair();
            try
            {
                client = Cluster.connect(pair.name, pair.key, Duration.ofSeconds(60), pair.addresses);
                pool = client.pool("bench");
                for (int i = 0; i < PoolApply.WARM_UP; i++)
                {
                    PoolApply.check(pool.apply(PoolApply.ONE));
                }
            }
            catch (final RuntimeException | InterruptedException ex)
            {
                stop();
                throw ex;
            }
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException
        {
            if (null != pool)
            {
                pool.close();
            }
            if (null != client)
            {
                client.close();
            }
            pair.stop();
        }
    }

    @Benchmark
    public int roundTrip(final Client state) throws InterruptedException
    {
        return PoolApply.check(state.pool.apply(PoolApply.ONE));
    }
}
