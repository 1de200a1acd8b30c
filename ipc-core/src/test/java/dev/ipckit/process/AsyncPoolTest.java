package dev.ipckit.process;

import dev.ipckit.shm.SharedLong;
import dev.ipckit.sync.IpcBarrier;
import dev.ipckit.sync.IpcEvent;
import dev.ipckit.support.Await;
import dev.ipckit.support.RuntimeDirectoryClean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(120)
@ExtendWith(RuntimeDirectoryClean.class)
class AsyncPoolTest
{
    private static final long BOUND_SECONDS = 30;
    private static final Duration BOUND = Duration.ofSeconds(BOUND_SECONDS);

    private static List<Integer> range(final int n)
    {
        return IntStream.range(0, n).boxed().collect(Collectors.toList());
    }

    @Test
    void shouldCompleteSubmittedTasksWithTheirResultsOrExceptions() throws Exception
    {
        try (ProcessPool pool = ProcessPool.create(2))
        {
            final CompletableFuture<Long> pid = pool.submit(() -> ProcessHandle.current().pid());
            final int zero = Integer.parseInt("0");
            final CompletableFuture<Integer> failing = pool.submit(() -> 1 / zero);
            assertTrue(pool.workerPids().contains(pid.get(BOUND_SECONDS, TimeUnit.SECONDS)));
            final ExecutionException failed =
                assertThrows(ExecutionException.class, () -> failing.get(BOUND_SECONDS, TimeUnit.SECONDS));
            assertInstanceOf(ArithmeticException.class, failed.getCause());
        }
    }

    @Test
    void shouldFailASubmittedTaskWhoseWorkerIsKilled() throws Exception
    {
        try (ProcessPool pool = ProcessPool.create(1))
        {
            final CompletableFuture<String> killed = pool.submit(() ->
            {
                new ProcessBuilder("kill", "-9", Long.toString(ProcessHandle.current().pid())).start().waitFor();
                Thread.sleep(60_000);
                return "unreachable";
            });
            final ExecutionException failed =
                assertThrows(ExecutionException.class, () -> killed.get(BOUND_SECONDS, TimeUnit.SECONDS));
            final WorkerDiedException died = assertInstanceOf(WorkerDiedException.class, failed.getCause());
            assertEquals(-9, died.exitCode());
            assertEquals("after", pool.submit(() -> "after").get(BOUND_SECONDS, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldCancelOnlyTasksNoWorkerHolds() throws Exception
    {
        final IpcEvent release = IpcEvent.create();
        final SharedLong ran = SharedLong.create(0);
        try (ProcessPool pool = ProcessPool.create(1); release; ran)
        {
            final AsyncResult<Integer> running = pool.applyAsync(() ->
            {
                ran.incrementAndGet();
                release.await();
                return 1;
            });
            Await.until("the first task runs", BOUND, () -> 1 == ran.get());
            final List<AsyncResult<Integer>> queued = new ArrayList<>();
            for (int i = 0; i < 4; i++)
            {
                queued.add(pool.applyAsync(() ->
                {
                    ran.incrementAndGet();
                    return 2;
                }));
            }
            final AsyncResult<Integer> last = queued.get(queued.size() - 1);
            assertTrue(last.cancel(false), "the last task waits in the pool: no worker holds it");
            assertTrue(last.isCancelled());
            assertTrue(last.isDone());
            assertThrows(CancellationException.class, last::get);
            assertFalse(last.cancel(true));
            final CompletableFuture<Integer> submitted = pool.submit(() ->
            {
                ran.incrementAndGet();
                return 3;
            });
            assertTrue(submitted.cancel(false));

            assertFalse(running.cancel(true), "a running task is not interrupted");
            release.set();
            assertEquals(1, running.get(BOUND));
            for (final AsyncResult<Integer> result : queued.subList(0, queued.size() - 1))
            {
                assertEquals(2, result.get(BOUND));
            }
            assertEquals(2, pool.apply(() -> 2));
            assertEquals(1 + 3, ran.get(), "the cancelled tasks never ran");
        }
    }

    @Test
    void shouldPublishResultsInTheOrderOfTheElements() throws Exception
    {
        try (ProcessPool pool = ProcessPool.builder().processes(2).concurrency(4).build())
        {
            final Collector<String> results = new Collector<>(Long.MAX_VALUE);
            pool.publish((Integer x) ->
            {
                pause((20 - x) * 5L);
                return x + ":" + ProcessHandle.current().pid();
            }, range(20)).subscribe(results);
            results.await();
            assertEquals(range(20), results.values.stream()
                .map(value -> Integer.parseInt(value.substring(0, value.indexOf(':')))).collect(Collectors.toList()));
            assertEquals(null, results.failure);
        }
    }

    @Test
    void shouldBoundWhatIsInFlightByTheSubscribersDemand() throws Exception
    {
        final SharedLong started = SharedLong.create(0);
        final int processes = 2;
        final int window = processes;
        try (ProcessPool pool = ProcessPool.create(processes); started)
        {
            final List<Long> startedAtEachResult = new ArrayList<>();
            final CountDownLatch done = new CountDownLatch(1);
            pool.publish((Integer x) -> started.incrementAndGet() > 0 ? x : -x, range(30)).subscribe(
                new Flow.Subscriber<Integer>()
                {
                    private Flow.Subscription subscription;

                    @Override
                    public void onSubscribe(final Flow.Subscription subscription)
                    {
                        this.subscription = subscription;
                        subscription.request(1);
                    }

                    @Override
                    public void onNext(final Integer item)
                    {
                        pause(30);
                        startedAtEachResult.add(started.get());
                        subscription.request(1);
                    }

                    @Override
                    public void onError(final Throwable throwable)
                    {
                        done.countDown();
                    }

                    @Override
                    public void onComplete()
                    {
                        done.countDown();
                    }
                });
            assertTrue(done.await(BOUND_SECONDS, TimeUnit.SECONDS));
            assertEquals(30, startedAtEachResult.size());
            for (int delivered = 1; delivered <= startedAtEachResult.size(); delivered++)
            {
                final long inFlightBound = delivered + window;
                assertTrue(startedAtEachResult.get(delivered - 1) <= inFlightBound,
                    "at result " + delivered + " started=" + startedAtEachResult.get(delivered - 1) +
                    ", bound=" + inFlightBound + ": " + startedAtEachResult);
            }
        }
    }

    @Test
    void shouldEndTheStreamWithTheFirstFailure() throws Exception
    {
        try (ProcessPool pool = ProcessPool.create(2))
        {
            final Collector<Integer> results = new Collector<>(Long.MAX_VALUE);
            pool.publish((Integer x) -> 10 / (x - 3), range(8)).subscribe(results);
            results.await();
            assertEquals(List.of(-3, -5, -10), results.values);
            final TaskFailedException failed = assertInstanceOf(TaskFailedException.class, results.failure);
            assertInstanceOf(ArithmeticException.class, failed.getCause());
        }
    }

    @Test
    void shouldStopSubmittingWhenTheSubscriptionIsCancelled() throws Exception
    {
        final SharedLong started = SharedLong.create(0);
        try (ProcessPool pool = ProcessPool.create(1); started)
        {
            final CountDownLatch first = new CountDownLatch(1);
            pool.publish((Integer x) -> started.incrementAndGet(), range(50)).subscribe(new Flow.Subscriber<Long>()
            {
                @Override
                public void onSubscribe(final Flow.Subscription subscription)
                {
                    subscription.request(1);
                    subscription.cancel();
                    first.countDown();
                }

                @Override
                public void onNext(final Long item)
                {
                }

                @Override
                public void onError(final Throwable throwable)
                {
                }

                @Override
                public void onComplete()
                {
                }
            });
            assertTrue(first.await(BOUND_SECONDS, TimeUnit.SECONDS));
            assertEquals("after", pool.apply(() -> "after"));
            assertTrue(started.get() <= 2, "started=" + started.get());
        }
    }

    @Test
    void shouldRejectANonPositiveRequest() throws Exception
    {
        try (ProcessPool pool = ProcessPool.create(1))
        {
            final Collector<Integer> results = new Collector<>(0);
            pool.publish((Integer x) -> x, range(3)).subscribe(results);
            results.await();
            assertInstanceOf(IllegalArgumentException.class, results.failure);
        }
    }

    @Test
    void shouldRunConcurrencyTasksAtOnceInEachWorker() throws Exception
    {
        final int processes = 2;
        final int concurrency = 3;
        final IpcBarrier barrier = IpcBarrier.create(processes * concurrency);
        try (ProcessPool pool = ProcessPool.builder().processes(processes).concurrency(concurrency).build(); barrier)
        {
            final List<Long> pids = pool.map((Integer x) ->
            {
                arrive(barrier);
                return ProcessHandle.current().pid();
            }, range(processes * concurrency), 1);
            assertEquals(processes * concurrency, pids.size());
            assertFalse(barrier.isBroken());
            assertNotEquals(ProcessHandle.current().pid(), pids.get(0));
        }
    }

    @Test
    void shouldRunTasksAtOnceInOneWorker() throws Exception
    {
        final IpcBarrier barrier = IpcBarrier.create(5);
        try (ProcessPool pool = ProcessPool.builder().processes(1).concurrency(5).build(); barrier)
        {
            final List<CompletableFuture<Integer>> arrivals = new ArrayList<>();
            for (int i = 0; i < 5; i++)
            {
                arrivals.add(pool.submit(() -> barrier.await(Duration.ofSeconds(BOUND_SECONDS))));
            }
            final List<Integer> indexes = new ArrayList<>();
            for (final CompletableFuture<Integer> arrival : arrivals)
            {
                indexes.add(arrival.get(BOUND_SECONDS, TimeUnit.SECONDS));
            }
            indexes.sort(null);
            assertEquals(range(5), indexes);
        }
    }

    @Test
    void shouldFailTheRunningTasksAndRequeueTheOthersWhenAConcurrentWorkerDies() throws Exception
    {
        final IpcBarrier barrier = IpcBarrier.create(2);
        try (ProcessPool pool = ProcessPool.builder().processes(1).concurrency(2).build(); barrier)
        {
            final CompletableFuture<String> dies = pool.submit(() ->
            {
                barrier.await(Duration.ofSeconds(BOUND_SECONDS));
                Runtime.getRuntime().halt(5);
                return "unreachable";
            });
            final CompletableFuture<String> alongside = pool.submit(() ->
            {
                barrier.await(Duration.ofSeconds(BOUND_SECONDS));
                Thread.sleep(60_000);
                return "unreachable";
            });
            final CompletableFuture<String> queued = pool.submit(() -> "ran");
            for (final CompletableFuture<String> running : List.of(dies, alongside))
            {
                final ExecutionException failed =
                    assertThrows(ExecutionException.class, () -> running.get(BOUND_SECONDS, TimeUnit.SECONDS));
                assertEquals(5, assertInstanceOf(WorkerDiedException.class, failed.getCause()).exitCode());
            }
            assertEquals("ran", queued.get(BOUND_SECONDS, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldRefuseAConcurrencyBelowOne()
    {
        assertThrows(IllegalArgumentException.class, () -> ProcessPool.builder().concurrency(0));
    }

    private static void pause(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static void arrive(final IpcBarrier barrier)
    {
        try
        {
            barrier.await(Duration.ofSeconds(BOUND_SECONDS));
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /** Takes every signal; requests {@code initial} at first and one more per item after. */
    private static final class Collector<T> implements Flow.Subscriber<T>
    {
        final List<T> values = new ArrayList<>();
        final CountDownLatch ended = new CountDownLatch(1);
        final long initial;
        volatile Throwable failure;

        Collector(final long initial)
        {
            this.initial = initial;
        }

        @Override
        public void onSubscribe(final Flow.Subscription subscription)
        {
            subscription.request(initial);
        }

        @Override
        public void onNext(final T item)
        {
            values.add(item);
        }

        @Override
        public void onError(final Throwable throwable)
        {
            failure = throwable;
            ended.countDown();
        }

        @Override
        public void onComplete()
        {
            ended.countDown();
        }

        void await() throws InterruptedException
        {
            assertTrue(ended.await(BOUND_SECONDS, TimeUnit.SECONDS), "the stream did not end");
        }
    }
}
