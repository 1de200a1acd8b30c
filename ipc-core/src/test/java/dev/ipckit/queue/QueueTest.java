package dev.ipckit.queue;

import dev.ipckit.RuntimeDirectory;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.shm.SharedLong;
import dev.ipckit.support.RuntimeDirectoryClean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(90)
@ExtendWith(RuntimeDirectoryClean.class)
class QueueTest
{
    private static final Duration BOUND = Duration.ofSeconds(60);

    @Test
    void shouldDeliverEveryElementExactlyOnceToSeveralConsumers() throws Exception
    {
        final int perProducer = 20_000;
        final int consumers = 3;
        try (IpcQueue<Long> queue = IpcQueue.create(1024);
             SharedLong count = SharedLong.create(0, false);
             SharedLong sum = SharedLong.create(0, false))
        {
            final List<IpcProcess> children = new ArrayList<>();
            for (int c = 0; c < consumers; c++)
            {
                children.add(IpcProcess.start(() ->
                {
                    long mine = 0;
                    long total = 0;
                    Long item;
                    while (null != (item = queue.get()))
                    {
                        mine++;
                        total += item;
                    }
                    count.getAndAdd(mine);
                    sum.getAndAdd(total);
                }));
            }
            final List<IpcProcess> producers = new ArrayList<>();
            for (int p = 1; p <= 2; p++)
            {
                final long base = p * 1_000_000L;
                producers.add(IpcProcess.start(() ->
                {
                    for (int i = 0; i < perProducer; i++)
                    {
                        queue.put(base + i);
                    }
                }));
            }
            for (final IpcProcess producer : producers)
            {
                assertTrue(producer.join(BOUND));
                assertEquals(0, producer.exitCode());
            }
            for (int c = 0; c < consumers; c++)
            {
                queue.put(null);
            }
            for (final IpcProcess consumer : children)
            {
                assertTrue(consumer.join(BOUND));
                assertEquals(0, consumer.exitCode());
            }
            final long n = perProducer;
            assertEquals(2 * n, count.get());
            assertEquals(1_000_000L * n + 2_000_000L * n + 2 * (n * (n - 1) / 2), sum.get());
            assertTrue(queue.isEmpty());
        }
    }

    @Test
    void shouldKeepTheOrderOfOneProducer() throws Exception
    {
        final int n = 100_000;
        try (IpcQueue<Integer> queue = IpcQueue.create())
        {
            final IpcProcess producer = IpcProcess.start(() ->
            {
                for (int i = 0; i < n; i++)
                {
                    queue.put(i);
                }
            });
            for (int i = 0; i < n; i++)
            {
                assertEquals(i, queue.get());
            }
            assertTrue(producer.join(BOUND));
            assertEquals(0, queue.qsize());
        }
    }

    @Test
    void shouldTimeOutAfterAtLeastTheTimeout() throws Exception
    {
        try (IpcQueue<String> queue = IpcQueue.create(2))
        {
            long start = System.nanoTime();
            assertThrows(QueueEmptyException.class, () -> queue.get(Duration.ofMillis(200)));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(200));
            assertThrows(QueueEmptyException.class, queue::getNowait);

            queue.put("a");
            queue.putNowait("b");
            assertTrue(queue.isFull());
            assertEquals(2, queue.qsize());
            start = System.nanoTime();
            assertThrows(QueueFullException.class, () -> queue.put("c", Duration.ofMillis(200)));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(200));
            assertThrows(QueueFullException.class, () -> queue.putNowait("c"));
            assertEquals("a", queue.getNowait());
            assertFalse(queue.isFull());
            queue.put("c", Duration.ofSeconds(5));
            assertEquals("b", queue.get(Duration.ofSeconds(5)));
            assertEquals("c", queue.get());
        }
        assertThrows(IllegalArgumentException.class, () -> IpcQueue.create(-1));
        assertThrows(IllegalArgumentException.class, () -> IpcQueue.create(0, 5000));
    }

    @Test
    void shouldCarryNullAndLargeElementsAcrossProcesses() throws Exception
    {
        final byte[] big = new byte[8 << 20];
        Arrays.fill(big, (byte)3);
        big[big.length - 1] = 9;
        try (IpcQueue<Object> queue = IpcQueue.create())
        {
            final IpcProcess child = IpcProcess.start(() ->
            {
                queue.put(null);
                queue.put(big);
                queue.put("after");
            });
            assertNull(queue.get(BOUND));
            assertArrayEquals(big, (byte[])queue.get(BOUND));
            assertEquals("after", queue.get(BOUND));
            assertTrue(child.join(BOUND));
            try (Stream<Path> entries = Files.list(RuntimeDirectory.path()))
            {
                assertTrue(entries.noneMatch(p -> p.getFileName().toString().contains(".spill-")),
                    "the spill file was removed once consumed");
            }
        }
    }

    @Test
    void shouldRefuseUseOfAClosedHandleOnly() throws Exception
    {
        final IpcQueue<String> queue = IpcQueue.create();
        final IpcProcess child = IpcProcess.start(() -> queue.put("from a handle still open"));
        assertTrue(child.join(BOUND));
        queue.put("mine");
        final IpcQueue<String> other = dev.ipckit.codec.Handles.copy(queue);
        queue.close();
        queue.close();
        assertThrows(IllegalStateException.class, () -> queue.put("x"));
        assertThrows(IllegalStateException.class, queue::get);
        assertThrows(IllegalStateException.class, queue::getNowait);
        assertEquals("from a handle still open", other.get());
        assertEquals("mine", other.get());
        other.close();
    }

    @Test
    void shouldCountTasksAndJoin() throws Exception
    {
        try (JoinableQueue<Integer> queue = JoinableQueue.create())
        {
            assertThrows(IllegalStateException.class, queue::taskDone);
            assertTrue(queue.join(Duration.ofMillis(10)));
            for (int i = 0; i < 5; i++)
            {
                queue.put(i);
            }
            assertFalse(queue.join(Duration.ofMillis(100)));
            final IpcProcess consumer = IpcProcess.start(() ->
            {
                for (int i = 0; i < 5; i++)
                {
                    queue.get();
                    queue.taskDone();
                }
            });
            queue.join();
            assertTrue(consumer.join(BOUND));
            assertEquals(0, consumer.exitCode());
            assertThrows(IllegalStateException.class, queue::taskDone);
            assertEquals(0, queue.lostTasks());
        }
    }

    @Test
    void shouldRemoveUnreadSpillFilesWithTheQueue() throws Exception
    {
        final String id;
        try (IpcQueue<byte[]> queue = IpcQueue.create())
        {
            id = queue.engine.id();
            queue.put(new byte[200_000]);
            assertTrue(spillFiles(id) > 0);
        }
        assertEquals(0, spillFiles(id), "the last handle's close removes what the queue kept");
    }

    @Test
    void shouldCountATaskDoneInAnotherProcessThanItsGetOnce() throws Exception
    {
        try (JoinableQueue<String> queue = JoinableQueue.create())
        {
            queue.put("a");
            queue.put("b");
            final IpcProcess getter = IpcProcess.start(() ->
            {
                queue.get();
                queue.get();
            });
            assertTrue(getter.join(BOUND));
            final IpcProcess doer = IpcProcess.start(() ->
            {
                queue.taskDone();
                queue.taskDone();
            });
            assertTrue(doer.join(BOUND));
            assertEquals(0, doer.exitCode());
            assertTrue(queue.join(Duration.ofSeconds(5)));
            queue.put("c");
            assertFalse(queue.join(Duration.ofMillis(200)), "c is unfinished");
            assertEquals(0, queue.lostTasks());
            assertEquals("c", queue.get());
            queue.taskDone();
            assertTrue(queue.join(Duration.ofSeconds(5)));
        }
    }

    @Test
    void shouldWakeAGetWaitingOnAHandleThatIsClosed() throws Exception
    {
        final IpcQueue<String> queue = IpcQueue.create();
        final java.util.concurrent.CompletableFuture<Throwable> waiter =
            java.util.concurrent.CompletableFuture.supplyAsync(() ->
            {
                try
                {
                    queue.get();
                    return null;
                }
                catch (final Throwable ex)
                {
                    return ex;
                }
            });
        Thread.sleep(100);
        queue.close();
        assertTrue(waiter.get(10, TimeUnit.SECONDS) instanceof IllegalStateException);
    }

    private static long spillFiles(final String id) throws java.io.IOException
    {
        try (Stream<Path> entries = Files.list(RuntimeDirectory.path()))
        {
            return entries.filter(p -> p.getFileName().toString().startsWith("queue@" + id + ".spill-")).count();
        }
    }

    @Test
    void shouldSurviveAProducerKilledInATightPutLoop() throws Exception
    {
        try (IpcQueue<byte[]> queue = IpcQueue.create(0, 1 << 16))
        {
            final IpcProcess producer = IpcProcess.start(() ->
            {
                final byte[] element = new byte[1024];
                for (byte i = 0; ; i++)
                {
                    Arrays.fill(element, i);
                    queue.put(element);
                }
            });
            for (int i = 0; i < 1_000; i++)
            {
                assertWhole(queue.get(BOUND));
            }
            producer.kill();
            assertTrue(producer.join(BOUND));
            byte[] element;
            while (null != (element = pollQuietly(queue)))
            {
                assertWhole(element);
            }
            final IpcProcess after = IpcProcess.start(() -> queue.put(new byte[]{ 7, 7 }));
            assertArrayEquals(new byte[]{ 7, 7 }, queue.get(BOUND), "the queue still delivers");
            assertTrue(after.join(BOUND));
        }
    }

    @Test
    void shouldSkipTheTornRecordOfAProducerThatDiedMidPutButWaitForALiveOne() throws Exception
    {
        try (IpcQueue<String> queue = IpcQueue.create())
        {
            final dev.ipckit.pipe.Pipe ready = dev.ipckit.pipe.Pipe.open();
            final IpcProcess producer = IpcProcess.start(() ->
            {
                queue.put("committed");
                Torn.claimWithoutCommit(queue.engine);
                ready.right().send("claimed");
                Thread.sleep(60_000);
            });
            ready.right().close();
            assertEquals("claimed", ready.left().recv());
            assertEquals("committed", queue.get(BOUND));
            queue.put("behind the torn record");
            assertThrows(QueueEmptyException.class, () -> queue.get(Duration.ofMillis(300)),
                "a live producer's claim is waited for, not skipped");
            producer.kill();
            assertTrue(producer.join(BOUND));
            assertEquals("behind the torn record", queue.get(BOUND));
            assertTrue(queue.isEmpty());
            ready.left().close();
        }
    }

    @Test
    void shouldLetOtherConsumersGoOnWhenOneIsKilledHoldingItsTurn() throws Exception
    {
        try (IpcQueue<String> queue = IpcQueue.create())
        {
            final dev.ipckit.pipe.Pipe ready = dev.ipckit.pipe.Pipe.open();
            final IpcProcess consumer = IpcProcess.start(() ->
            {
                Torn.holdConsumerTurn(queue.engine);
                ready.right().send("holding");
                Thread.sleep(60_000);
            });
            ready.right().close();
            assertEquals("holding", ready.left().recv());
            queue.put("for the survivor");
            consumer.kill();
            assertTrue(consumer.join(BOUND));
            assertEquals("for the survivor", queue.get(Duration.ofSeconds(10)));
            ready.left().close();
        }
    }

    @Test
    void shouldLetOtherConsumersGoOnWhenOneIsKilledWaitingInGet() throws Exception
    {
        try (IpcQueue<String> queue = IpcQueue.create())
        {
            final IpcProcess waiting = IpcProcess.start(() -> queue.get());
            Thread.sleep(300);
            waiting.kill();
            assertTrue(waiting.join(BOUND));
            queue.put("still works");
            assertEquals("still works", queue.get(Duration.ofSeconds(10)));
        }
    }

    @Test
    void shouldReturnFromJoinWhenAConsumerDiesBeforeTaskDone() throws Exception
    {
        try (JoinableQueue<String> queue = JoinableQueue.create())
        {
            queue.put("the task");
            queue.put("another");
            final dev.ipckit.pipe.Pipe ready = dev.ipckit.pipe.Pipe.open();
            final IpcProcess consumer = IpcProcess.start(() ->
            {
                queue.get();
                ready.right().send("got it");
                Thread.sleep(60_000);
            });
            ready.right().close();
            assertEquals("got it", ready.left().recv());
            consumer.kill();
            assertTrue(consumer.join(BOUND));
            assertEquals("another", queue.get());
            queue.taskDone();
            assertTrue(queue.join(Duration.ofSeconds(10)), "join returns instead of hanging");
            assertEquals(1, queue.lostTasks());
            ready.left().close();
        }
    }

    @Test
    void shouldNeverHoldMoreThanMaxSize() throws Exception
    {
        try (IpcQueue<Integer> queue = IpcQueue.create(5); SharedLong put = SharedLong.create(0, false))
        {
            final List<IpcProcess> producers = new ArrayList<>();
            for (int p = 0; p < 2; p++)
            {
                producers.add(IpcProcess.start(() ->
                {
                    try
                    {
                        for (int i = 0; i < 5; i++)
                        {
                            queue.put(i, Duration.ofMillis(500));
                            put.incrementAndGet();
                        }
                    }
                    catch (final QueueFullException expected)
                    {
                        // no room left: this producer stops
                    }
                }));
            }
            for (final IpcProcess producer : producers)
            {
                assertTrue(producer.join(BOUND));
            }
            assertEquals(5, put.get(), "of ten puts without a consumer, five found room");
            assertEquals(5, queue.qsize());
            assertTrue(queue.isFull());
        }
    }

    @Test
    void shouldShareASimpleQueue() throws Exception
    {
        try (SimpleQueue<String> queue = SimpleQueue.create())
        {
            assertTrue(queue.isEmpty());
            final IpcProcess child = IpcProcess.start(() -> queue.put(queue.get() + " back"));
            queue.put("there and");
            assertTrue(child.join(BOUND));
            assertEquals("there and back", queue.get());
            assertTrue(queue.isEmpty());
        }
    }

    @Test
    void shouldNotBurnACoreWhileWaitingForAnElement() throws Exception
    {
        try (IpcQueue<String> queue = IpcQueue.create())
        {
            final AtomicReference<Long> cpu = new AtomicReference<>();
            final Thread waiter = new Thread(() ->
            {
                final long before = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                try
                {
                    queue.get(Duration.ofSeconds(2));
                }
                catch (final InterruptedException | QueueEmptyException ignore)
                {
                    // measured either way
                }
                cpu.set(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - before);
            });
            waiter.start();
            waiter.join(10_000);
            // A spinning waiter takes 2,000 ms of CPU in 2 s; a parked one ~10 ms on an idle machine and
            // 130-170 ms at load 40-60, where each of its ~2,000 wake-ups costs more.
            assertTrue(cpu.get() < TimeUnit.MILLISECONDS.toNanos(600),
                "waiter used " + cpu.get() / 1_000_000 + " ms of CPU in 2 s");
        }
    }

    private static byte[] pollQuietly(final IpcQueue<byte[]> queue) throws InterruptedException
    {
        try
        {
            return queue.get(Duration.ofMillis(200));
        }
        catch (final QueueEmptyException empty)
        {
            return null;
        }
    }

    private static void assertWhole(final byte[] element)
    {
        assertEquals(1024, element.length);
        for (final byte b : element)
        {
            assertEquals(element[0], b, "a torn element was delivered");
        }
    }
}
