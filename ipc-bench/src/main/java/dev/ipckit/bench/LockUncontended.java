package dev.ipckit.bench;

import dev.ipckit.sync.IpcLock;
import dev.ipckit.sync.IpcRLock;
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

import java.util.concurrent.TimeUnit;

/**
 * An uncontended {@code lock(); unlock()} in one process: nanoseconds per pair, for an
 * {@link IpcLock} ({@code ipcLock}) and for the reentrant {@link IpcRLock} that shared values carry
 * ({@code ipcRLock}). Neither CPython nor limits.c has a counterpart row.
 * <p>
 * Not final: JMH subclasses benchmark and state classes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = { "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED" })
public class LockUncontended
{
    IpcLock lock;
    IpcRLock rlock;

    @Setup(Level.Trial)
    public void create()
    {
        lock = IpcLock.create();
        rlock = IpcRLock.create();
    }

    @TearDown(Level.Trial)
    public void close()
    {
        lock.close();
        rlock.close();
    }

    @Benchmark
    public void ipcLock()
    {
        lock.lock();
        lock.unlock();
    }

    @Benchmark
    public void ipcRLock()
    {
        rlock.lock();
        rlock.unlock();
    }
}
