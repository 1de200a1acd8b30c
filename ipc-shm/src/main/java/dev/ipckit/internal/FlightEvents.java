package dev.ipckit.internal;

import dev.ipckit.Configuration;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

import java.util.concurrent.TimeUnit;

/**
 * ipckit's JDK Flight Recorder events, all in category "ipckit" and named {@code dev.ipckit.*}: a
 * pool worker died, a lock was taken over from a dead owner, a queue record torn by a dead producer
 * was cleared, a sweep removed files, an attach was slow. {@code jfr print --categories ipckit}
 * shows them.
 * <p>
 * Until JFR has been initialised in this JVM (a recording started, from the command line or
 * later) each call costs one volatile read and no event class is loaded: loading one makes the JDK
 * instrument it and load JFR's metadata (tens of milliseconds of interpreted work, which every
 * child paid on its first, slow, attach). With JFR initialised but the event off, a call costs a
 * disabled event's {@code shouldCommit()} (constant-folded by the JIT) and nothing is built:
 * fields are set only once the event is to be committed. The moments
 * recorded are rare (faults, sweeps), except the attach, which first compares its time with
 * {@link #SLOW_ATTACH_NANOS}.
 * <p>
 * <b>Note:</b> internal to ipckit; thread-safe.
 */
public final class FlightEvents
{
    /** An attach that takes this long or longer is recorded ({@value Configuration#SLOW_ATTACH_PROP_NAME}, read once). */
    public static final long SLOW_ATTACH_NANOS = TimeUnit.MICROSECONDS.toNanos(
        PropertyValues.nonNegativeLong(Configuration.SLOW_ATTACH_PROP_NAME, Configuration.SLOW_ATTACH_DEFAULT_MICROS));

    private FlightEvents()
    {
    }

    /**
     * A pool worker ended while the pool needed it.
     *
     * @param pool     the pool's name.
     * @param pid      the worker's pid.
     * @param exitCode its exit code, null if unknown.
     * @param jobs     jobs it held, failed with it.
     */
    public static void workerDied(final String pool, final long pid, final Integer exitCode, final int jobs)
    {
        if (!FlightRecorder.isInitialized())
        {
            return;
        }
        final WorkerDied event = new WorkerDied();
        if (event.shouldCommit())
        {
            event.pool = pool;
            event.pid = pid;
            event.exitCode = null == exitCode ? Integer.MIN_VALUE : exitCode;
            event.jobs = jobs;
            event.commit();
        }
    }

    /**
     * A lock was taken from an owner that died holding it.
     *
     * @param lock      the lock's description.
     * @param deadToken the dead owner's long token.
     */
    public static void lockTakenOver(final String lock, final long deadToken)
    {
        if (!FlightRecorder.isInitialized())
        {
            return;
        }
        final LockTakenOver event = new LockTakenOver();
        if (event.shouldCommit())
        {
            event.lock = lock;
            event.deadPid = ProcessIdentity.pidOfToken(deadToken);
            event.commit();
        }
    }

    /**
     * A queue record a producer claimed and never committed (it died) was turned into padding.
     *
     * @param position  its ring position.
     * @param deadToken the long token of the producer that claimed it, 0 if not known.
     */
    public static void tornRecordCleared(final long position, final long deadToken)
    {
        if (!FlightRecorder.isInitialized())
        {
            return;
        }
        final TornRecordCleared event = new TornRecordCleared();
        if (event.shouldCommit())
        {
            event.position = position;
            event.deadPid = 0 == deadToken ? -1 : ProcessIdentity.pidOfToken(deadToken);
            event.commit();
        }
    }

    /**
     * A sweep removed what exited processes left.
     *
     * @param dir     the runtime directory.
     * @param removed how many entries it removed.
     * @param entries their names.
     */
    public static void swept(final String dir, final int removed, final String entries)
    {
        if (!FlightRecorder.isInitialized())
        {
            return;
        }
        final Sweep event = new Sweep();
        if (event.shouldCommit())
        {
            event.dir = dir;
            event.removed = removed;
            event.entries = entries;
            event.commit();
        }
    }

    /**
     * An attach finished; recorded if it took {@link #SLOW_ATTACH_NANOS} or more.
     *
     * @param region     what was attached, {@code <kind>@<id>}.
     * @param startNanos {@link System#nanoTime()} when it began.
     */
    public static void attached(final String region, final long startNanos)
    {
        final long nanos = System.nanoTime() - startNanos;
        if (nanos >= SLOW_ATTACH_NANOS && FlightRecorder.isInitialized())
        {
            final SlowAttach event = new SlowAttach();
            if (event.shouldCommit())
            {
                event.region = region;
                event.took = nanos;
                event.commit();
            }
        }
    }

    @Name("dev.ipckit.WorkerDied")
    @Label("Pool Worker Died")
    @Category("ipckit")
    @Description("A pool worker process ended while the pool needed it")
    @StackTrace(false)
    static final class WorkerDied extends Event
    {
        @Label("Pool")
        String pool;
        @Label("Pid")
        long pid;
        @Label("Exit Code")
        @Description("Integer.MIN_VALUE if unknown")
        int exitCode;
        @Label("Jobs Failed")
        int jobs;
    }

    @Name("dev.ipckit.LockTakenOver")
    @Label("Lock Taken Over")
    @Category("ipckit")
    @Description("A lock was taken from an owner process that died holding it")
    static final class LockTakenOver extends Event
    {
        @Label("Lock")
        String lock;
        @Label("Dead Owner Pid")
        long deadPid;
    }

    @Name("dev.ipckit.TornRecordCleared")
    @Label("Torn Queue Record Cleared")
    @Category("ipckit")
    @Description("A queue record claimed by a producer that died was skipped as padding")
    static final class TornRecordCleared extends Event
    {
        @Label("Ring Position")
        long position;
        @Label("Dead Producer Pid")
        @Description("-1 if not known")
        long deadPid;
    }

    @Name("dev.ipckit.Sweep")
    @Label("Sweep")
    @Category("ipckit")
    @Description("Entries left by exited processes removed from the runtime directory")
    @StackTrace(false)
    static final class Sweep extends Event
    {
        @Label("Directory")
        String dir;
        @Label("Entries Removed")
        int removed;
        @Label("Entries")
        String entries;
    }

    @Name("dev.ipckit.SlowAttach")
    @Label("Slow Attach")
    @Category("ipckit")
    @Description("Attaching a shared region took ipckit.slowAttachMicros (default 10 ms) or more")
    static final class SlowAttach extends Event
    {
        @Label("Region")
        String region;
        @Label("Took")
        @Timespan(Timespan.NANOSECONDS)
        long took;
    }
}
