package dev.ipckit.pipe;

import dev.ipckit.internal.ExitHooks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One daemon thread per JVM that writes what streaming senders left in their buffers, accepts the
 * peers of listening ends that were sent to before anyone connected, and finishes the close of
 * ends that still had bytes to deliver. It ticks every coalescing window while it has work (backing
 * off to 10 ms when nothing moves) and parks when it has none.
 * <p>
 * At JVM exit it is given up to five seconds to deliver what is still buffered.
 * <p>
 * <b>Note:</b> thread-safe; {@link #schedule} may be called from any thread.
 */
final class Flusher implements AutoCloseable
{
    private static final long MAX_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long EXIT_GRACE_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final Flusher INSTANCE = new Flusher();

    private final ConcurrentLinkedQueue<FrameWriter> incoming = new ConcurrentLinkedQueue<>();
    private final long tickNanos = Math.max(10_000, PipeConfiguration.coalesceNanos());
    private volatile Thread thread; // volatile: started once under this monitor, read by any thread
    private volatile boolean idle; // volatile: written by the flusher thread, read by schedulers
    private volatile int active; // volatile: written by the flusher thread, read by the exit hook

    private Flusher()
    {
        ExitHooks.register(this);
    }

    /**
     * Does nothing but load this class, so that the flusher's exit hook is registered before any
     * connection's and therefore runs after them.
     */
    static void init()
    {
    }

    /**
     * @param writer a writer with bytes left to write; the caller holds its lock and has set its
     *               scheduled flag.
     */
    static void schedule(final FrameWriter writer)
    {
        INSTANCE.add(writer);
    }

    private void add(final FrameWriter writer)
    {
        incoming.offer(writer);
        Thread worker = thread;
        if (null == worker)
        {
            synchronized (this)
            {
                worker = thread;
                if (null == worker)
                {
                    worker = new Thread(this::run, "ipckit-flusher");
                    worker.setDaemon(true);
                    thread = worker;
                    worker.start();
                    return;
                }
            }
        }
        if (idle)
        {
            LockSupport.unpark(worker);
        }
    }

    private void run()
    {
        final List<FrameWriter> writers = new ArrayList<>();
        long sleepNanos = tickNanos;
        while (true)
        {
            FrameWriter next;
            while (null != (next = incoming.poll()))
            {
                if (!writers.contains(next))
                {
                    writers.add(next);
                }
            }
            active = writers.size();
            if (writers.isEmpty())
            {
                idle = true;
                if (incoming.isEmpty())
                {
                    LockSupport.park(this);
                }
                idle = false;
                sleepNanos = tickNanos;
                continue;
            }

            LockSupport.parkNanos(this, sleepNanos);
            boolean progress = false;
            for (int i = writers.size() - 1; i >= 0; i--)
            {
                final int result = writers.get(i).flushFromFlusher();
                if (FrameWriter.DONE == result)
                {
                    writers.remove(i);
                }
                progress |= FrameWriter.NO_PROGRESS != result;
            }
            sleepNanos = progress ? tickNanos : Math.min(MAX_BACKOFF_NANOS, sleepNanos * 2);
        }
    }

    /**
     * Waits, at JVM exit, until nothing is left to deliver or the grace time is over.
     */
    @Override
    public void close()
    {
        final long deadline = System.nanoTime() + EXIT_GRACE_NANOS;
        while ((!incoming.isEmpty() || active > 0) && System.nanoTime() - deadline < 0)
        {
            final Thread worker = thread;
            if (null != worker)
            {
                LockSupport.unpark(worker);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    @Override
    public String toString()
    {
        return "ipckit-flusher";
    }
}
