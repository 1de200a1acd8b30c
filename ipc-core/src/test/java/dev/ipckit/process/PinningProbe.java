package dev.ipckit.process;

import dev.ipckit.pipe.Pipe;
import dev.ipckit.queue.IpcQueue;
import dev.ipckit.sync.IpcEvent;
import dev.ipckit.sync.IpcLock;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Run by {@link VirtualThreadPinningTest} in a JVM of JDK 21+ with one carrier thread: many
 * virtual threads wait at once in a pipe {@code recv}, a queue {@code get}, a lock, an event and
 * a pool result. While they all wait, a new virtual thread must still run (so none holds the only
 * carrier); then each is released and must finish. JFR's {@code jdk.VirtualThreadPinned} events
 * are counted and printed. Exits 0 when every scenario went through, printing {@code pinned=<n>}.
 */
public final class PinningProbe
{
    private static final long BOUND_SECONDS = 30;
    private static final ExecutorService VIRTUAL = VirtualThreads.perTaskExecutor("probe");

    private PinningProbe()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        if (!VirtualThreads.available())
        {
            System.out.println("no virtual threads in this JDK");
            System.exit(2);
        }
        final Path jfr = Path.of(args[0]);
        final int waiters = Integer.parseInt(args[1]);
        try (Recording recording = new Recording())
        {
            recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
            recording.start();
            pipes(waiters);
            queue(waiters);
            lock(waiters);
            event(waiters);
            poolResults(waiters);
            recording.stop();
            recording.dump(jfr);
        }
        int pinned = 0;
        for (final RecordedEvent event : RecordingFile.readAllEvents(jfr))
        {
            if ("jdk.VirtualThreadPinned".equals(event.getEventType().getName()))
            {
                pinned++;
                final List<RecordedFrame> frames = null == event.getStackTrace() ? List.of() : event.getStackTrace().getFrames();
                System.out.println("pinned for " + event.getDuration() + " at " +
                    frames.subList(0, Math.min(8, frames.size())).stream()
                        .map(f -> f.getMethod().getType().getName() + "." + f.getMethod().getName())
                        .reduce((a, b) -> a + " < " + b).orElse("?"));
            }
        }
        System.out.println("pinned=" + pinned);
        System.exit(0);
    }

    private static void pipes(final int waiters) throws Exception
    {
        final List<Pipe> pipes = new ArrayList<>();
        for (int i = 0; i < waiters; i++)
        {
            pipes.add(Pipe.open());
        }
        scenario("pipe recv", waiters, i -> pipes.get(i).left().recv(), () ->
        {
            for (final Pipe pipe : pipes)
            {
                pipe.right().send("go");
            }
        });
        for (final Pipe pipe : pipes)
        {
            pipe.left().close();
            pipe.right().close();
        }
    }

    private static void queue(final int waiters) throws Exception
    {
        try (IpcQueue<Integer> queue = IpcQueue.create())
        {
            scenario("queue get", waiters, i -> queue.get(), () ->
            {
                for (int i = 0; i < waiters; i++)
                {
                    queue.put(i);
                }
            });
        }
    }

    private static void lock(final int waiters) throws Exception
    {
        try (IpcLock lock = IpcLock.create())
        {
            lock.lock();
            scenario("lock", waiters, i ->
            {
                lock.lock();
                lock.unlock();
            }, lock::unlock);
        }
    }

    private static void event(final int waiters) throws Exception
    {
        try (IpcEvent event = IpcEvent.create())
        {
            scenario("event await", waiters, i -> event.await(), event::set);
        }
    }

    private static void poolResults(final int waiters) throws Exception
    {
        try (IpcEvent release = IpcEvent.create(); ProcessPool pool = ProcessPool.create(1))
        {
            final AsyncResult<String> result = pool.applyAsync(() ->
            {
                release.await();
                return "done";
            });
            final CompletableFuture<String> submitted = pool.submit(() -> "submitted");
            final List<ResultIterator<Integer>> iterators = new ArrayList<>();
            for (int i = 0; i < waiters; i++)
            {
                iterators.add(pool.imap((Integer x) -> x, List.of(i)));
            }
            scenario("pool result", waiters, i ->
            {
                switch (i % 3)
                {
                    case 0:
                        result.get();
                        break;
                    case 1:
                        submitted.get();
                        break;
                    default:
                        iterators.get(i).next();
                }
            }, release::set);
        }
    }

    /** A blocking call made by waiter {@code i}. */
    @FunctionalInterface
    private interface Wait
    {
        void await(int i) throws Exception;
    }

    @FunctionalInterface
    private interface Release
    {
        void run() throws Exception;
    }

    private static void scenario(final String name, final int waiters, final Wait wait, final Release release)
        throws Exception
    {
        final CountDownLatch started = new CountDownLatch(waiters);
        final CountDownLatch finished = new CountDownLatch(waiters);
        final List<Throwable> failures = new ArrayList<>();
        for (int i = 0; i < waiters; i++)
        {
            final int index = i;
            VIRTUAL.execute(() ->
            {
                started.countDown();
                try
                {
                    wait.await(index);
                }
                catch (final Throwable ex)
                {
                    synchronized (failures)
                    {
                        failures.add(ex);
                    }
                }
                finished.countDown();
            });
        }
        check(name + ": all waiters started", started.await(BOUND_SECONDS, TimeUnit.SECONDS));
        final CompletableFuture<Boolean> alive = CompletableFuture.supplyAsync(() -> true, VIRTUAL);
        check(name + ": a new virtual thread ran while " + waiters + " waited on one carrier",
            alive.get(BOUND_SECONDS, TimeUnit.SECONDS));
        release.run();
        check(name + ": every waiter finished", finished.await(BOUND_SECONDS, TimeUnit.SECONDS));
        check(name + ": no waiter failed " + failures, failures.isEmpty());
        System.out.println("ok " + name);
    }

    private static void check(final String what, final boolean ok)
    {
        if (!ok)
        {
            System.out.println("FAILED " + what);
            System.exit(1);
        }
    }
}
