package dev.ipckit.examples;

import dev.ipckit.durable.DurableQueue;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.queue.QueueEmptyException;
import dev.ipckit.shm.SharedLong;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Work that survives the death of its producer: a producer child fills a durable queue as fast as
 * it can and is killed with {@code kill -9}; a consumer child started afterwards opens the same
 * directory and drains it. Every put the producer saw return is there, in order.
 */
public final class DurableQueueDemo
{
    private static final long KILL_AFTER = 20_000;
    private static final Duration BOUND = Duration.ofSeconds(120);

    private DurableQueueDemo()
    {
    }

    /**
     * @param args ignored.
     * @throws Exception if a child fails or the wait is interrupted.
     */
    public static void main(final String[] args) throws Exception
    {
        final Path dir = Files.createTempDirectory("ipckit-durable-demo");
        final String where = dir.toString();
        final String[] flags = DurableQueue.jvmFlags().toArray(new String[0]);
        try (SharedLong acknowledged = SharedLong.create(0, false); SharedLong found = SharedLong.create(-1, false))
        {
            final IpcProcess producer = IpcProcess.builder().name("producer").daemon(true).jvmArgs(flags).target(() ->
            {
                final DurableQueue<Long> queue = DurableQueue.open(Path.of(where));
                for (long i = 0; ; i++)
                {
                    queue.put(i);
                    acknowledged.set(i + 1);
                }
            }).start();
            try
            {
                awaitAtLeast(acknowledged, KILL_AFTER, producer);
            }
            finally
            {
                producer.kill();
                producer.join();
            }
            final long puts = acknowledged.get();
            System.out.println("producer: killed with kill -9 after " + puts + " acknowledged puts");

            final IpcProcess consumer = IpcProcess.builder().name("consumer").daemon(true).jvmArgs(flags).target(() ->
            {
                try (DurableQueue<Long> queue = DurableQueue.open(Path.of(where)))
                {
                    long count = 0;
                    while (true)
                    {
                        final long item;
                        try
                        {
                            item = queue.get(Duration.ofMillis(500));
                        }
                        catch (final QueueEmptyException ex)
                        {
                            break;
                        }
                        if (item != count)
                        {
                            throw new IllegalStateException("expected item " + count + ", got " + item);
                        }
                        count++;
                    }
                    System.out.println("consumer (started later): found " + count + " items, in put order");
                    found.set(count);
                }
            }).start();
            if (!consumer.join(BOUND) || 0 != consumer.exitCode())
            {
                consumer.kill();
                throw new IllegalStateException("consumer failed: " + consumer);
            }
            final long count = found.get();
            System.out.println(count >= puts ? "every acknowledged put was found" :
                "LOST " + (puts - count) + " acknowledged puts");
        }
        finally
        {
            delete(dir);
        }
    }

    private static void awaitAtLeast(final SharedLong value, final long expected, final IpcProcess child)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + BOUND.toNanos();
        while (value.get() < expected)
        {
            if (!child.isAlive() || System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException("producer did not put " + expected + " items: " + child);
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }

    private static void delete(final Path dir) throws IOException
    {
        try (Stream<Path> files = Files.walk(dir))
        {
            for (final Path f : (Iterable<Path>)files.sorted(Comparator.reverseOrder())::iterator)
            {
                Files.deleteIfExists(f);
            }
        }
    }
}
