package dev.ipckit.process;

import dev.ipckit.codec.CodecException;
import dev.ipckit.shm.SharedLong;
import dev.ipckit.shm.SharedLongArray;
import dev.ipckit.support.Await;
import dev.ipckit.support.RuntimeDirectoryClean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(90)
@ExtendWith(RuntimeDirectoryClean.class)
class ProcessPoolTest
{
    private static final Duration BOUND = Duration.ofSeconds(30);

    private static List<Integer> range(final int n)
    {
        return IntStream.range(0, n).boxed().collect(Collectors.toList());
    }

    private static List<Integer> squares(final int n)
    {
        return IntStream.range(0, n).map(x -> x * x).boxed().collect(Collectors.toList());
    }

    @Test
    void shouldMapInOrderInWorkerProcesses() throws Exception
    {
        try (ProcessPool pool = ProcessPool.create(2))
        {
            assertEquals(squares(1000), pool.map(x -> x * x, range(1000)));
            assertEquals(squares(1000), pool.map((Integer x) -> x * x, range(1000), 7));
            assertEquals(List.of(), pool.map((Integer x) -> x * x, List.of()));
            final List<Integer> modifiable = pool.map(x -> x, range(3));
            modifiable.add(3);
            assertEquals(range(4), modifiable);
            final long parent = ProcessHandle.current().pid();
            final List<Long> pids = pool.map(x -> ProcessHandle.current().pid(), range(20), 1);
            assertFalse(pids.contains(parent));
            assertTrue(pool.workerPids().containsAll(pids), pids + " not in " + pool.workerPids());
            assertEquals(squares(300), pool.mapAsync((Integer x) -> x * x, range(300), 16).get());

            final List<Object> mixed = java.util.Arrays.asList(1, 2L, 3.5, "vier", null, List.of(5), 'x');
            assertEquals(mixed, pool.map(x -> x, mixed, 3));
            final List<String> strings = List.of("", "ascii", "\u00e9t\u00e9 \u20ac \ud83d\ude00");
            assertEquals(strings, pool.map(x -> x, strings));
            assertEquals(List.of(0.5, 1.5, 2.5), pool.map((Integer x) -> x + 0.5, range(3)));
            assertEquals(List.of(0L, 10_000_000_000L), pool.map((Integer x) -> x * 10_000_000_000L, range(2)));
            assertEquals(List.of("0", "1"), pool.map(String::valueOf, range(2)));
        }
    }

    @Test
    void shouldApplyOneTaskAndReturnItsResult() throws Exception
    {
        try (ProcessPool pool = ProcessPool.create(1))
        {
            final long pid = pool.apply(() -> ProcessHandle.current().pid());
            assertNotEquals(ProcessHandle.current().pid(), pid);
            assertEquals(List.of(pid), pool.workerPids());
            assertEquals("null result", String.valueOf(pool.<Object>apply(() -> null)) + " result");
        }
    }

    @Test
    void shouldRunLongTasksOnIdleWorkersRatherThanQueueThemBehindEachOther() throws Exception
    {
        final SharedLong running = SharedLong.create(0);
        try (ProcessPool pool = ProcessPool.create(2); running)
        {
            final List<AsyncResult<Boolean>> both = new ArrayList<>();
            for (int i = 0; i < 2; i++)
            {
                both.add(pool.applyAsync(() ->
                {
                    running.incrementAndGet();
                    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                    while (running.get() < 2 && System.nanoTime() - deadline < 0)
                    {
                        sleepMillis(1);
                    }
                    return running.get() >= 2;
                }));
            }
            assertTrue(both.get(0).get(BOUND) && both.get(1).get(BOUND), "the two tasks ran at the same time");
        }
    }

    @Test
    void shouldImapInOrderAndImapUnorderedAsTheyCome() throws Exception
    {
        try (ProcessPool pool = ProcessPool.create(2))
        {
            final ResultIterator<Integer> ordered = pool.imap(x -> x * x, range(50));
            final List<Integer> inOrder = new ArrayList<>();
            ordered.forEachRemaining(inOrder::add);
            assertEquals(squares(50), inOrder);
            assertThrows(java.util.NoSuchElementException.class, ordered::next);

            final ResultIterator<Integer> chunked = pool.imap(x -> x * x, range(50), 6);
            final List<Integer> inChunks = new ArrayList<>();
            while (chunked.hasNext())
            {
                inChunks.add(chunked.next(BOUND));
            }
            assertEquals(squares(50), inChunks);

            final ResultIterator<Integer> unordered = pool.imapUnordered(x ->
            {
                sleepMillis((10 - x) * 20L);
                return x * x;
            }, range(10));
            final List<Integer> asTheyCame = new ArrayList<>();
            unordered.forEachRemaining(asTheyCame::add);
            assertEquals(new HashSet<>(squares(10)), new HashSet<>(asTheyCame));
            assertEquals(10, asTheyCame.size());

            final Set<Integer> unorderedChunks = new HashSet<>();
            pool.imapUnordered((Integer x) -> x + 1, range(100), 9).forEachRemaining(unorderedChunks::add);
            assertEquals(IntStream.rangeClosed(1, 100).boxed().collect(Collectors.toSet()), unorderedChunks);
        }
    }

    @Test
    void shouldStarmapPairsInOrder() throws Exception
    {
        try (ProcessPool pool = ProcessPool.create(2))
        {
            final List<Map.Entry<Integer, String>> pairs = new ArrayList<>();
            for (int i = 0; i < 40; i++)
            {
                pairs.add(Map.entry(i, "x" + i));
            }
            final List<String> expected = pairs.stream().map(p -> p.getValue() + ":" + p.getKey())
                .collect(Collectors.toList());
            assertEquals(expected, pool.starmap((Integer n, String s) -> s + ":" + n, pairs));
            assertEquals(expected, pool.starmap((Integer n, String s) -> s + ":" + n, pairs, 3));
        }
    }

    @Test
    void shouldTimeOutWaitingWithoutLosingTheResult() throws Exception
    {
        final SharedLong release = SharedLong.create(0);
        try (ProcessPool pool = ProcessPool.create(1); release)
        {
            final AsyncResult<String> slow = pool.applyAsync(() ->
            {
                while (0 == release.get())
                {
                    sleepMillis(5);
                }
                return "done";
            });
            assertThrows(IllegalStateException.class, slow::successful);
            assertFalse(slow.ready());
            assertThrows(TimeoutException.class, () -> slow.get(Duration.ofMillis(200)));
            assertFalse(slow.await(Duration.ofMillis(50)));

            final ResultIterator<Integer> next = pool.imap(x -> x, range(1));
            assertThrows(TimeoutException.class, () -> next.next(Duration.ofMillis(100)));

            release.set(1);
            assertEquals("done", slow.get(BOUND));
            assertTrue(slow.ready());
            assertTrue(slow.successful());
            assertTrue(slow.await(Duration.ZERO));
            assertEquals(0, next.next(BOUND));
            assertEquals("done", slow.toCompletableFuture().get());
        }
    }

    @Test
    void shouldCarryTheTasksExceptionWithTheWorkersStackTrace() throws Exception
    {
        try (ProcessPool pool = ProcessPool.create(1))
        {
            final AsyncResult<Integer> failing = pool.applyAsync(ProcessPoolTest::failInWorker);
            final ExecutionException ex = assertThrows(ExecutionException.class, failing::get);
            assertInstanceOf(IllegalArgumentException.class, ex.getCause());
            assertEquals("bad input in worker", ex.getCause().getMessage());
            assertTrue(stackMentions(ex.getCause(), "failInWorker"), "worker stack trace is kept");
            assertFalse(failing.successful());
            assertTrue(failing.toCompletableFuture().isCompletedExceptionally());

            final TaskFailedException applied = assertThrows(TaskFailedException.class,
                () -> pool.apply(ProcessPoolTest::failInWorker));
            assertInstanceOf(IllegalArgumentException.class, applied.getCause());

            final TaskFailedException mapped = assertThrows(TaskFailedException.class,
                () -> pool.map(x -> 10 / (x - 5), range(10), 2));
            assertInstanceOf(ArithmeticException.class, mapped.getCause());

            final ResultIterator<Integer> iterator = pool.imap(x -> 10 / (x - 1), range(3));
            assertEquals(-10, iterator.next());
            final TaskFailedException iterated = assertThrows(TaskFailedException.class, iterator::next);
            assertInstanceOf(ArithmeticException.class, iterated.getCause());
            assertEquals(10, iterator.next());

            final ResultIterator<Integer> chunks = pool.imap(x -> 10 / (x - 4), range(9), 3);
            assertEquals(List.of(-2, -3, -5), List.of(chunks.next(), chunks.next(), chunks.next()));
            for (int i = 3; i < 6; i++)
            {
                assertThrows(TaskFailedException.class, chunks::next, "each element of the failed chunk");
            }
            assertEquals(List.of(5, 3, 2), List.of(chunks.next(), chunks.next(), chunks.next()));
            assertFalse(chunks.hasNext());

            final ResultIterator<Integer> unordered = pool.imapUnordered(x -> 10 / (x - 4), range(9), 3);
            int failures = 0;
            final Set<Integer> values = new HashSet<>();
            while (unordered.hasNext())
            {
                try
                {
                    values.add(unordered.next(BOUND));
                }
                catch (final TaskFailedException expected)
                {
                    failures++;
                }
            }
            assertEquals(3, failures);
            assertEquals(Set.of(-2, -3, -5, 5, 3, 2), values);

            final ExecutionException unserialisable = assertThrows(ExecutionException.class,
                () -> pool.applyAsync(() -> new Object()).get());
            assertInstanceOf(IllegalArgumentException.class, unserialisable.getCause());

            assertEquals(squares(10), pool.map(x -> x * x, range(10)));
        }
    }

    @Test
    void shouldRefuseATaskThatCannotBeSentAndSubmitNothing() throws Exception
    {
        try (ProcessPool pool = ProcessPool.create(1))
        {
            final Object notSerializable = new Object();
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> pool.applyAsync(() -> notSerializable.hashCode()));
            assertTrue(ex.getMessage().contains("cannot be sent"), ex.getMessage());
            final List<Object> elements = new ArrayList<>(range(10));
            elements.add(new Object());
            assertThrows(IllegalArgumentException.class, () -> pool.map(x -> x, elements, 2));
            assertTrue(pool.toString().contains("unfinished=0"), pool.toString());
            assertEquals(List.of(0, 1), pool.map(x -> x, range(2)));
        }
    }

    @Test
    void shouldFailATaskOrResultThatCannotBeDecodedAndKeepTheWorker() throws Exception
    {
        try (ProcessPool pool = ProcessPool.create(1))
        {
            final long worker = pool.apply(() -> ProcessHandle.current().pid());
            final Undecodable undecodable = new Undecodable();
            final TaskFailedException job = assertThrows(TaskFailedException.class,
                () -> pool.apply(() -> undecodable.hashCode()));
            assertInstanceOf(CodecException.class, job.getCause());
            final TaskFailedException result = assertThrows(TaskFailedException.class,
                () -> pool.apply(Undecodable::new));
            assertTrue(result.getCause().getMessage().contains("could not be decoded"), result.getMessage());
            assertEquals(worker, pool.apply(() -> ProcessHandle.current().pid()), "the same worker serves on");
        }
    }

    @Test
    void shouldRefuseJobsAndResultsOverTheMaximumMessageSize() throws Exception
    {
        try (ProcessPool pool = ProcessPool.builder().processes(1).jvmArgs("-Dipckit.maxMessageSize=100000").build())
        {
            final long worker = pool.apply(() -> ProcessHandle.current().pid());
            final TaskFailedException result = assertThrows(TaskFailedException.class,
                () -> pool.apply(() -> new byte[200_000]));
            assertTrue(result.getCause().getMessage().contains("ipckit.maxMessageSize"), result.getCause().getMessage());
            assertEquals(worker, pool.apply(() -> ProcessHandle.current().pid()), "the worker serves on");

            final String before = System.getProperty("ipckit.maxMessageSize");
            System.setProperty("ipckit.maxMessageSize", "100000");
            try
            {
                final IllegalArgumentException job = assertThrows(IllegalArgumentException.class,
                    () -> pool.map(x -> x, range(50_000), 50_000));
                assertTrue(job.getMessage().contains("chunkSize"), job.getMessage());
            }
            finally
            {
                if (null == before)
                {
                    System.clearProperty("ipckit.maxMessageSize");
                }
                else
                {
                    System.setProperty("ipckit.maxMessageSize", before);
                }
            }
            assertEquals(50_000, pool.map(x -> x, range(50_000), 1_000).size());
        }
    }

    @Test
    void shouldReportOutOfMemoryInATaskAsItsFailure() throws Exception
    {
        try (ProcessPool pool = ProcessPool.builder().processes(1).jvmArgs("-Xmx64m").build())
        {
            final ExecutionException ex = assertThrows(ExecutionException.class,
                () -> pool.applyAsync(() -> new long[100_000_000].length).get(BOUND));
            assertInstanceOf(OutOfMemoryError.class, ex.getCause());
            assertEquals(1, pool.apply(() -> 1));
        }
    }

    @Test
    void shouldRunCallbacksOnceInTheParent() throws Exception
    {
        final long parent = ProcessHandle.current().pid();
        final ConcurrentLinkedQueue<String> calls = new ConcurrentLinkedQueue<>();
        final AtomicInteger wrongProcess = new AtomicInteger();
        try (ProcessPool pool = ProcessPool.create(2))
        {
            final List<AsyncResult<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 20; i++)
            {
                final int n = i;
                results.add(pool.applyAsync(() -> n * n, value ->
                {
                    if (ProcessHandle.current().pid() != parent)
                    {
                        wrongProcess.incrementAndGet();
                    }
                    calls.add("ok " + value);
                }, failure -> calls.add("error " + failure)));
            }
            final AsyncResult<Integer> failing = pool.applyAsync(ProcessPoolTest::failInWorker,
                value -> calls.add("ok for a failure"), failure -> calls.add("error " + failure.getMessage()));
            for (final AsyncResult<Integer> result : results)
            {
                result.get(BOUND);
            }
            assertThrows(ExecutionException.class, () -> failing.get(BOUND));
            final List<String> expected = IntStream.range(0, 20).mapToObj(i -> "ok " + i * i)
                .collect(Collectors.toList());
            expected.add("error bad input in worker");
            assertEquals(new HashSet<>(expected), new HashSet<>(calls));
            assertEquals(expected.size(), calls.size(), "each callback once: " + calls);
            assertEquals(0, wrongProcess.get());

            final ConcurrentLinkedQueue<Integer> resultsOnly = new ConcurrentLinkedQueue<>();
            assertEquals(7, pool.applyAsync(() -> 7, resultsOnly::add).get(BOUND));
            assertEquals(List.of(7), new ArrayList<>(resultsOnly), "the result is ready once its callback ran");

            final AsyncResult<Integer> throwingCallback = pool.applyAsync(() -> 1, value ->
            {
                throw new IllegalStateException("expected by ProcessPoolTest: a callback that throws is logged");
            }, null);
            assertEquals(1, throwingCallback.get(BOUND));
        }
    }

    @Test
    void shouldRunTheInitializerOnceInEachWorker() throws Exception
    {
        final SharedLongArray initialised = SharedLongArray.create(8);
        final SharedLong count = SharedLong.create(0);
        try (initialised; count)
        {
            try (ProcessPool pool = ProcessPool.builder().processes(3).initializer(() ->
            {
                initialised.set((int)count.getAndAdd(1), ProcessHandle.current().pid());
                WorkerState.initialised = true;
            }).build())
            {
                final List<Boolean> seen = pool.map(x -> WorkerState.initialised, range(60), 1);
                assertEquals(60, seen.stream().filter(b -> b).count(), "no task before the initializer");
                Await.until("every worker initialised", BOUND, () -> count.get() >= 3);
                assertEquals(60, pool.map(x -> WorkerState.initialised, range(60), 1).stream().filter(b -> b).count());
                final Set<Long> workers = new HashSet<>(pool.workerPids());
                assertEquals(3, count.get(), "one initializer run per worker");
                final Set<Long> initialisedPids = new HashSet<>();
                for (int i = 0; i < 3; i++)
                {
                    initialisedPids.add(initialised.get(i));
                }
                assertEquals(workers, initialisedPids);
            }
        }
    }

    @Test
    void shouldBreakWhenTheInitializerKeepsFailing() throws Exception
    {
        try (ProcessPool pool = ProcessPool.builder().processes(1).initializer(() ->
        {
            throw new IllegalStateException("expected by ProcessPoolTest: a failing pool initializer");
        }).build())
        {
            final AsyncResult<Integer> queued = pool.applyAsync(() -> 1);
            final ExecutionException ex = assertThrows(ExecutionException.class, () -> queued.get(BOUND));
            assertInstanceOf(TaskFailedException.class, ex.getCause());
            assertTrue(ex.getCause().getMessage().contains("initializer"), ex.getCause().getMessage());
            final IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> pool.applyAsync(() -> 2));
            assertTrue(refused.getMessage().contains("broken"), refused.getMessage());
        }
    }

    @Test
    void shouldBreakWhenWorkersCannotStart() throws Exception
    {
        try (ProcessPool pool = ProcessPool.builder().processes(2).jvmArgs("-XX:+NoSuchOptionExpectedByProcessPoolTest")
            .build())
        {
            final ExecutionException ex = assertThrows(ExecutionException.class,
                () -> pool.mapAsync(x -> x, range(10)).get(BOUND));
            assertTrue(ex.getCause().getMessage().contains("JVM argument"), ex.getCause().getMessage());
            assertThrows(IllegalStateException.class, () -> pool.apply(() -> 1));
        }
    }

    @Test
    void shouldReplaceWorkersAfterMaxTasksPerChild() throws Exception
    {
        try (ProcessPool pool = ProcessPool.builder().processes(2).maxTasksPerChild(3).build())
        {
            final List<Long> pids = pool.map(x -> ProcessHandle.current().pid(), range(12), 1);
            final Map<Long, Long> tasksPerPid = pids.stream()
                .collect(Collectors.groupingBy(pid -> pid, Collectors.counting()));
            assertTrue(tasksPerPid.size() >= 4, "12 tasks, at most 3 per worker: " + tasksPerPid);
            assertTrue(tasksPerPid.values().stream().allMatch(n -> n <= 3), tasksPerPid.toString());
            assertEquals(squares(30), pool.map(x -> x * x, range(30), 5));
        }
    }

    @Test
    void shouldFailTheTaskOfAKilledWorkerAndKeepServing() throws Exception
    {
        final SharedLong running = SharedLong.create(0);
        try (ProcessPool pool = ProcessPool.create(2); running)
        {
            final AsyncResult<String> doomed = pool.applyAsync(() ->
            {
                running.set(ProcessHandle.current().pid());
                sleepMillis(60_000);
                return "never";
            });
            Await.until("the task runs", BOUND, () -> 0 != running.get());
            final long pid = running.get();
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();

            final ExecutionException ex = assertThrows(ExecutionException.class, () -> doomed.get(BOUND));
            final WorkerDiedException died = assertInstanceOf(WorkerDiedException.class, ex.getCause());
            assertEquals(pid, died.pid());
            assertEquals(-9, died.exitCode());
            assertTrue(died.getMessage().contains("pid=" + pid) && died.getMessage().contains("exitCode=-9"),
                died.getMessage());

            assertEquals(squares(100), pool.map(x -> x * x, range(100)));
            Await.until("the dead worker is replaced", BOUND,
                () -> pool.workerPids().size() == 2 && !pool.workerPids().contains(pid));
        }
    }

    @Test
    void shouldFailOnlyTheRunningTaskWhenAWorkerExitsAndRerunTheOthers() throws Exception
    {
        try (ProcessPool pool = ProcessPool.create(1))
        {
            final AsyncResult<Integer> exits = pool.applyAsync(() ->
            {
                sleepMillis(100);
                Runtime.getRuntime().halt(3);
                return 0;
            });
            final List<AsyncResult<Integer>> after = new ArrayList<>();
            for (int i = 0; i < 5; i++)
            {
                final int n = i;
                after.add(pool.applyAsync(() -> n));
            }
            final ExecutionException ex = assertThrows(ExecutionException.class, () -> exits.get(BOUND));
            assertEquals(3, assertInstanceOf(WorkerDiedException.class, ex.getCause()).exitCode());
            for (int i = 0; i < 5; i++)
            {
                assertEquals(i, after.get(i).get(BOUND), "a task queued behind the dead one runs");
            }
        }
    }

    @Test
    void shouldFailMapWhoseWorkerDiesAndNotHang() throws Exception
    {
        try (ProcessPool pool = ProcessPool.create(2))
        {
            final TaskFailedException ex = assertThrows(TaskFailedException.class, () -> pool.map(x ->
            {
                if (7 == x)
                {
                    Runtime.getRuntime().halt(9);
                }
                return x;
            }, range(20), 2));
            assertInstanceOf(WorkerDiedException.class, ex.getCause());
            assertEquals(squares(20), pool.map(x -> x * x, range(20), 2));
        }
    }

    @Test
    void shouldFailUnfinishedTasksOnTerminate() throws Exception
    {
        final SharedLong started = SharedLong.create(0);
        final ProcessPool pool = ProcessPool.create(2);
        try (started)
        {
            final List<AsyncResult<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 10; i++)
            {
                results.add(pool.applyAsync(() ->
                {
                    started.incrementAndGet();
                    sleepMillis(60_000);
                    return 1;
                }));
            }
            Await.until("tasks run", BOUND, () -> started.get() >= 2);
            final List<Long> workers = pool.workerPids();
            final long before = System.nanoTime();
            pool.terminate();
            assertTrue(System.nanoTime() - before < TimeUnit.SECONDS.toNanos(20), "terminate does not wait for tasks");
            for (final AsyncResult<Integer> result : results)
            {
                final ExecutionException ex = assertThrows(ExecutionException.class, () -> result.get(BOUND));
                assertTrue(ex.getCause().getMessage().contains("terminated"), ex.getCause().getMessage());
            }
            for (final long pid : workers)
            {
                assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "worker " + pid + " gone");
            }
            assertThrows(IllegalStateException.class, () -> pool.apply(() -> 1));
            pool.join();
            pool.terminate();
            pool.close();
        }
    }

    @Test
    void shouldFinishSubmittedWorkOnCloseAndRefuseNewWork() throws Exception
    {
        final ProcessPool pool = ProcessPool.create(2);
        final AsyncResult<List<Integer>> pending = pool.mapAsync(x ->
        {
            sleepMillis(10);
            return x * x;
        }, range(40), 4);
        final List<Long> workers = pool.workerPids();
        assertThrows(IllegalStateException.class, pool::join, "join before close");
        pool.close();
        assertTrue(pending.ready(), "close waits for submitted work");
        assertEquals(squares(40), pending.get());
        for (final long pid : workers)
        {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "worker " + pid + " exited");
        }
        assertThrows(IllegalStateException.class, () -> pool.applyAsync(() -> 1));
        assertThrows(IllegalStateException.class, () -> pool.map(x -> x, range(3)));
        assertThrows(IllegalStateException.class, () -> pool.imap(x -> x, range(3)));
        pool.join();
        pool.close();
    }

    @Test
    void shouldWaitForPendingCallbacksOnClose() throws Exception
    {
        final CountDownLatch called = new CountDownLatch(10);
        final ProcessPool pool = ProcessPool.create(2);
        for (int i = 0; i < 10; i++)
        {
            pool.applyAsync(() -> 1, value -> called.countDown(), null);
        }
        pool.close();
        assertEquals(0, called.getCount());
    }

    @Test
    void shouldRefuseBadArgumentsWithoutStartingAnything()
    {
        assertThrows(IllegalArgumentException.class, () -> ProcessPool.create(0));
        assertThrows(IllegalArgumentException.class, () -> ProcessPool.builder().processes(-1));
        assertThrows(IllegalArgumentException.class, () -> ProcessPool.builder().maxTasksPerChild(0));
        assertThrows(NullPointerException.class, () -> ProcessPool.builder().initializer(null));
    }

    @Test
    void shouldRefuseChunkSizesBelowOne() throws Exception
    {
        try (ProcessPool pool = ProcessPool.create(1))
        {
            assertThrows(IllegalArgumentException.class, () -> pool.map(x -> x, range(3), 0));
            assertThrows(IllegalArgumentException.class, () -> pool.mapAsync(x -> x, range(3), -1));
            assertThrows(IllegalArgumentException.class, () -> pool.imap(x -> x, range(3), 0));
            assertThrows(IllegalArgumentException.class, () -> pool.imapUnordered(x -> x, range(3), 0));
            assertThrows(IllegalArgumentException.class,
                () -> pool.starmap((Integer a, Integer b) -> a + b, List.of(Map.entry(1, 2)), 0));
            assertEquals(List.of(0, 1, 2), pool.map(x -> x, range(3)));
        }
    }

    @Test
    void shouldTakeResultsThroughACompletableFuture() throws Exception
    {
        try (ProcessPool pool = ProcessPool.create(1))
        {
            final CompletableFuture<Integer> future = pool.applyAsync(() -> 6 * 7).toCompletableFuture();
            assertEquals(42, future.get(BOUND.toSeconds(), TimeUnit.SECONDS));
        }
    }

    private static int failInWorker()
    {
        throw new IllegalArgumentException("bad input in worker");
    }

    private static boolean stackMentions(final Throwable failure, final String method)
    {
        for (final StackTraceElement element : failure.getStackTrace())
        {
            if (element.getMethodName().contains(method))
            {
                return true;
            }
        }
        return false;
    }

    private static void sleepMillis(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted", ex));
        }
    }

    /** Fails to deserialise, wherever it is decoded. */
    static final class Undecodable implements Serializable
    {
        private static final long serialVersionUID = 1L;

        private void readObject(final ObjectInputStream in) throws IOException
        {
            throw new InvalidObjectException("expected by ProcessPoolTest: refuses to be decoded");
        }
    }

    /** State a pool worker's initializer sets in the worker's JVM. */
    static final class WorkerState
    {
        static volatile boolean initialised;

        private WorkerState()
        {
        }
    }
}
