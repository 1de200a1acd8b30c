package dev.ipckit.durable;

import dev.ipckit.IpcException;
import dev.ipckit.codec.CodecException;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.queue.QueueEmptyException;
import dev.ipckit.support.RuntimeDirectoryClean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(240)
@ExtendWith(RuntimeDirectoryClean.class)
class DurableQueueTest
{
    private static final Duration BOUND = Duration.ofSeconds(90);

    @TempDir
    Path temp;

    @Test
    void shouldDeliverEachProducersItemsInOrderAcrossProcesses() throws Exception
    {
        final int perProducer = 5_000;
        try (DurableJoinableQueue<long[]> queue = DurableJoinableQueue.open(temp.resolve("q")))
        {
            final List<IpcProcess> producers = new ArrayList<>();
            for (int p = 0; p < 2; p++)
            {
                final long producer = p;
                producers.add(IpcProcess.start(() ->
                {
                    for (int i = 0; i < perProducer; i++)
                    {
                        queue.put(new long[]{ producer, i });
                    }
                }));
            }
            final long[] next = new long[2];
            long lastSequence = -1;
            for (int i = 0; i < 2 * perProducer; i++)
            {
                final Delivery<long[]> d = queue.getDelivery(BOUND);
                assertFalse(d.redelivered());
                assertTrue(d.sequence() > lastSequence, "sequences increase");
                lastSequence = d.sequence();
                assertEquals(next[(int)d.value()[0]]++, d.value()[1], "producer " + d.value()[0] + "'s order");
                queue.taskDone();
            }
            for (final IpcProcess producer : producers)
            {
                assertTrue(producer.join(BOUND));
                assertEquals(0, producer.exitCode());
            }
            assertTrue(queue.join(BOUND));
            assertTrue(queue.isEmpty());
            assertEquals(0, queue.qsize());
        }
    }

    @Test
    void shouldServeSeveralThreadsOfOneProcess() throws Exception
    {
        final int perThread = 2_000;
        try (DurableJoinableQueue<Integer> queue = DurableJoinableQueue.open(temp.resolve("q")))
        {
            final java.util.concurrent.ConcurrentHashMap<Integer, Boolean> seen = new java.util.concurrent.ConcurrentHashMap<>();
            final List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 2; t++)
            {
                final int base = t * perThread;
                threads.add(new Thread(() -> putRange(queue, base, perThread)));
                threads.add(new Thread(() -> takeCount(queue, seen, perThread)));
            }
            threads.forEach(Thread::start);
            for (final Thread thread : threads)
            {
                thread.join(BOUND.toMillis());
                assertFalse(thread.isAlive());
            }
            assertEquals(2 * perThread, seen.size(), "each item once");
            assertTrue(queue.join(BOUND));
        }
    }

    private static void putRange(final DurableQueue<Integer> queue, final int base, final int n)
    {
        try
        {
            for (int i = 0; i < n; i++)
            {
                queue.put(base + i);
            }
        }
        catch (final InterruptedException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static void takeCount(
        final DurableJoinableQueue<Integer> queue, final java.util.Map<Integer, Boolean> seen, final int n)
    {
        try
        {
            for (int i = 0; i < n; i++)
            {
                if (null != seen.put(queue.get(BOUND), Boolean.TRUE))
                {
                    throw new IllegalStateException("delivered twice");
                }
                queue.taskDone();
            }
        }
        catch (final InterruptedException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    @Test
    void shouldFindEveryItemAfterEveryProcessExited() throws Exception
    {
        final Path dir = temp.resolve("q");
        final String where = dir.toString();
        final IpcProcess producer = IpcProcess.start(() ->
        {
            final DurableJoinableQueue<String> q = DurableJoinableQueue.open(Path.of(where));
            for (int i = 0; i < 100; i++)
            {
                q.put("item " + i);
            }
            q.put(null);
            Runtime.getRuntime().halt(0);
        });
        assertTrue(producer.join(BOUND));
        assertEquals(0, producer.exitCode());
        final IpcProcess consumer = IpcProcess.start(() ->
        {
            final DurableJoinableQueue<String> q = DurableJoinableQueue.open(Path.of(where));
            for (int i = 0; i < 10; i++)
            {
                if (!("item " + i).equals(q.get()))
                {
                    throw new AssertionError("order");
                }
                q.taskDone();
            }
            Runtime.getRuntime().halt(0);
        });
        assertTrue(consumer.join(BOUND));
        assertEquals(0, consumer.exitCode());
        try (DurableJoinableQueue<String> queue = DurableJoinableQueue.open(dir))
        {
            assertEquals(91, queue.qsize());
            assertFalse(queue.join(Duration.ofMillis(50)), "91 items are not done");
            for (int i = 10; i < 100; i++)
            {
                assertEquals("item " + i, queue.get(BOUND));
                queue.taskDone();
            }
            assertNull(queue.get(BOUND), "null is an element");
            queue.taskDone();
            assertTrue(queue.join(BOUND), "join counts across processes and reopenings");
            assertThrows(IllegalStateException.class, queue::taskDone);
            assertThrows(QueueEmptyException.class, queue::getNowait);
        }
    }

    @Test
    void shouldHandAPlainQueueToAChildAndCountGetsDone() throws Exception
    {
        try (DurableQueue<Integer> queue = DurableQueue.open(temp.resolve("q"), DurableOptions.defaults().sync(true)))
        {
            final IpcProcess producer = IpcProcess.start(() ->
            {
                for (int i = 0; i < 50; i++)
                {
                    queue.put(i);
                }
            });
            for (int i = 0; i < 50; i++)
            {
                assertEquals(i, queue.get(BOUND));
            }
            assertTrue(producer.join(BOUND));
            assertTrue(queue.isEmpty());
            assertThrows(QueueEmptyException.class, () -> queue.get(Duration.ofMillis(20)));
        }
    }

    @Test
    void shouldRefuseABadDirectoryAndCreateNothing() throws Exception
    {
        final Path file = Files.writeString(temp.resolve("a-file"), "x");
        assertThrows(IpcException.class, () -> DurableQueue.open(file));
        assertThrows(IpcException.class, () -> DurableQueue.open(file.resolve("below")));
        final Path foreign = Files.createDirectories(temp.resolve("foreign"));
        Files.writeString(foreign.resolve("notes.txt"), "mine");
        final IpcException ex = assertThrows(IpcException.class, () -> DurableQueue.open(foreign));
        assertTrue(ex.getMessage().contains("not a durable queue"), ex.getMessage());
        try (Stream<Path> left = Files.list(foreign))
        {
            assertEquals(1, left.count(), "nothing was made in the foreign directory");
        }
        assertEquals("x", Files.readString(file));
    }

    @Test
    void shouldRefuseAnUnserializableItemAndEnqueueNothing() throws Exception
    {
        final Path dir = temp.resolve("q");
        try (DurableJoinableQueue<Object> queue = DurableJoinableQueue.open(dir))
        {
            assertThrows(CodecException.class, () -> queue.put(new Object()));
            assertEquals(0, queue.qsize());
            assertTrue(queue.join(Duration.ZERO), "nothing is unfinished");
            queue.put("after");
        }
        final String where = dir.toString();
        final IpcProcess reader = IpcProcess.start(() ->
        {
            try (DurableQueue<Object> q = DurableQueue.open(Path.of(where)))
            {
                if (!"after".equals(q.getNowait()) || !q.isEmpty())
                {
                    throw new AssertionError("only the good item is there");
                }
            }
        });
        assertTrue(reader.join(BOUND));
        assertEquals(0, reader.exitCode());
    }

    @Test
    void shouldRollOverAndDeleteFilesWhoseItemsAreAllDone() throws Exception
    {
        final Path dir = temp.resolve("q");
        final DurableOptions secondly = DurableOptions.defaults().rollPeriod(RollPeriod.SECOND);
        try (DurableJoinableQueue<Integer> queue = DurableJoinableQueue.open(dir, secondly))
        {
            final IpcProcess producer = IpcProcess.start(() ->
            {
                for (int second = 0; second < 4; second++)
                {
                    final long now = System.currentTimeMillis() / 1000;
                    for (int i = 0; i < 10; i++)
                    {
                        queue.put(second * 10 + i);
                    }
                    while (System.currentTimeMillis() / 1000 == now)
                    {
                        Thread.sleep(5);
                    }
                }
            });
            assertTrue(producer.join(BOUND));
            assertEquals(0, producer.exitCode());
            assertTrue(cycleFiles(dir) >= 4, () -> "one file a second: " + listing(dir));
            final IpcProcess consumer = IpcProcess.start(() ->
            {
                for (int i = 0; i < 40; i++)
                {
                    if (queue.get() != i)
                    {
                        throw new AssertionError("order");
                    }
                    queue.taskDone();
                }
            });
            assertTrue(consumer.join(BOUND));
            assertEquals(0, consumer.exitCode());
            assertTrue(queue.join(BOUND));
            assertEquals(1, cycleFiles(dir), () -> "the files before the last one read are deleted: " + listing(dir));
            queue.put(40);
            assertEquals(40, queue.get(BOUND));
            queue.taskDone();
        }
    }

    @Test
    void shouldNameTheFlagsInOneExceptionWhenTheJvmLacksThem() throws Exception
    {
        final List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"),
            WithoutFlags.class.getName(), temp.resolve("q").toString()));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output;
        try (InputStream in = process.getInputStream())
        {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.startsWith("dev.ipckit.IpcException:"), output);
        for (final String flag : ChronicleAccess.FLAGS)
        {
            assertTrue(output.contains(flag), output);
        }
        assertFalse(Files.exists(temp.resolve("q").resolve(StateDescriptor.FILE_NAME)), "nothing was made");
    }

    private static String listing(final Path dir)
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files.map(f -> f.getFileName().toString()).sorted().collect(java.util.stream.Collectors.joining(", "));
        }
        catch (final java.io.IOException ex)
        {
            return ex.toString();
        }
    }

    private static long cycleFiles(final Path dir) throws Exception
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files.filter(f -> f.toString().endsWith(".cq4")).count();
        }
    }

    /** Opens a queue in a JVM started without Chronicle's flags and prints what it got. */
    static final class WithoutFlags
    {
        public static void main(final String[] args)
        {
            try
            {
                DurableQueue.open(new File(args[0]).toPath()).close();
                System.out.println("opened");
            }
            catch (final RuntimeException ex)
            {
                System.out.println(ex);
            }
        }
    }
}
