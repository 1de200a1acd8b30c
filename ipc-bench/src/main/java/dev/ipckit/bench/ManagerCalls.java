package dev.ipckit.bench;

import dev.ipckit.manager.ManagedQueue;
import dev.ipckit.manager.Manager;
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

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Proxied calls on a {@link Manager} whose server is a child JVM, over its Unix socket, as
 * py_manager_bench's rows: {@code map.put} and {@code map.get} on a dict of {@value #KEYS}
 * Integer keys (CPython's {@code d[i] = i}, {@code d[i]}), a queue {@code put} then {@code get}
 * (two round trips), and creating a dict proxy (one round trip that makes the object in the
 * server and its proxy here). Each call is one request and one reply on the calling thread's own
 * connection, passed through its shared-memory mailbox while both sides spin; Integer arguments and
 * results skip Java serialization.
 * <p>
 * Not final: JMH subclasses benchmark and state classes.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = { "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED" })
public class ManagerCalls
{
    static final int KEYS = 1024;

    /** A manager with a filled dict and an empty queue. */
    @State(Scope.Benchmark)
    public static class Server
    {
        Manager manager;
        Map<Integer, Integer> dict;
        ManagedQueue<Integer> queue;

        @Setup(Level.Trial)
        public void start()
        {
            manager = Manager.start();
            dict = manager.dict();
            queue = manager.queue();
            for (int i = 0; i < KEYS; i++)
            {
                dict.put(i, i);
            }
        }

        @TearDown(Level.Trial)
        public void stop()
        {
            manager.close();
        }
    }

    /** The key the next call uses, per JMH thread. */
    @State(Scope.Thread)
    public static class Cursor
    {
        int next;

        int key()
        {
            next = (next + 1) & (KEYS - 1);
            return next;
        }
    }

    @Benchmark
    public Integer dictPut(final Server server, final Cursor cursor)
    {
        final int key = cursor.key();
        return server.dict.put(key, key);
    }

    @Benchmark
    public Integer dictGet(final Server server, final Cursor cursor)
    {
        return server.dict.get(cursor.key());
    }

    @Benchmark
    public Integer queuePutGet(final Server server, final Cursor cursor) throws InterruptedException
    {
        server.queue.put(cursor.key());
        return server.queue.get();
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public Object proxyCreate(final Server server)
    {
        return server.manager.dict();
    }
}
