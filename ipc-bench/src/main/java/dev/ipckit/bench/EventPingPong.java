package dev.ipckit.bench;

import dev.ipckit.process.IpcProcess;
import dev.ipckit.shm.SharedInt;
import dev.ipckit.sync.IpcEvent;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Ping-pong of two {@link IpcEvent}s between two JVMs: each side waits for its own event, clears
 * it and sets the other side's. Microseconds per round trip; limits.c {@code c_shm_spin_rtt}
 * (two processes handing a shared word back and forth by spinning) is the floor.
 * <p>
 * Not final: JMH subclasses benchmark and state classes.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = { "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED" })
public class EventPingPong
{
    private static final Duration POLL_SLICE = Duration.ofMillis(100);
    private static final long READY_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

    /** The two events and a child that answers each ping; {@code stop} tells it to return. */
    @State(Scope.Benchmark)
    public static class Pong
    {
        IpcEvent ping;
        IpcEvent pong;
        private SharedInt stop;
        private IpcProcess child;

        @Setup(Level.Trial)
        public void start() throws InterruptedException
        {
            ping = IpcEvent.create();
            pong = IpcEvent.create();
            stop = SharedInt.create(0, false);
            final IpcEvent toChild = ping;
            final IpcEvent toParent = pong;
            final SharedInt stopFlag = stop;
            try
            {
                child = IpcProcess.builder().name("event-pong").daemon(true)
                    .target(() -> answer(toChild, toParent, stopFlag)).start();
                final long deadline = System.nanoTime() + READY_TIMEOUT_NANOS;
                while (!pong.await(POLL_SLICE))
                {
                    if (!child.isAlive() || System.nanoTime() - deadline > 0)
                    {
                        throw new IllegalStateException("event-pong did not get ready: " + child);
                    }
                }
                pong.clear();
            }
            catch (final InterruptedException | RuntimeException ex)
            {
                if (null != child)
                {
                    child.kill();
                }
                closeEvents();
                throw ex;
            }
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException
        {
            try
            {
                stop.set(1);
                ping.set();
                Children.awaitExit("event-pong", child, "");
            }
            finally
            {
                closeEvents();
            }
        }

        private void closeEvents()
        {
            ping.close();
            pong.close();
            stop.close();
        }
    }

    @Benchmark
    public boolean roundTrip(final Pong p) throws InterruptedException
    {
        p.ping.set();
        p.pong.await();
        p.pong.clear();
        return true;
    }

    /** The child: says it is ready, then answers each ping with a pong until told to stop. */
    private static void answer(final IpcEvent ping, final IpcEvent pong, final SharedInt stop)
        throws InterruptedException
    {
        try (ping; pong; stop)
        {
            pong.set();
            while (true)
            {
                ping.await();
                ping.clear();
                if (0 != stop.get())
                {
                    return;
                }
                pong.set();
            }
        }
    }
}
