package dev.ipckit.durable;

import dev.ipckit.pipe.Pipe;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.queue.QueueEmptyException;
import dev.ipckit.shm.SharedLongArray;
import dev.ipckit.support.Await;
import dev.ipckit.support.RuntimeDirectoryClean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(300)
@ExtendWith(RuntimeDirectoryClean.class)
class DurableFaultTest
{
    private static final Duration BOUND = Duration.ofSeconds(90);
    private static final long ROUND = 1_000_000_000L;

    @TempDir
    Path temp;

    @Test
    void shouldDeliverNothingTornAndLetTheNextProducerAppendWithinASecond() throws Exception
    {
        final Pipe toB = Pipe.open();
        final Pipe fromB = Pipe.open();
        final Pipe fromA = Pipe.open();
        try (DurableJoinableQueue<String> queue = DurableJoinableQueue.open(temp.resolve("q")))
        {
            final IpcProcess producerB = IpcProcess.start(() ->
            {
                queue.put("B1");
                fromB.right().send("ready");
                toB.left().recv();
                final long start = System.nanoTime();
                queue.put("B2");
                fromB.right().send(System.nanoTime() - start);
            });
            assertEquals("ready", fromB.left().recv());
            final IpcProcess producerA = IpcProcess.start(() ->
            {
                queue.put("A1");
                Torn.beginAppendWithoutFinishing(queue);
                fromA.right().send("torn");
                Thread.sleep(120_000);
            });
            assertEquals("torn", fromA.left().recv());
            producerA.kill();
            assertTrue(producerA.join(BOUND));

            assertEquals("B1", queue.get(BOUND));
            assertEquals("A1", queue.get(BOUND));
            queue.taskDone();
            queue.taskDone();
            assertTrue(queue.join(BOUND), "the torn item is not counted: join returns with no producer left");
            assertThrows(QueueEmptyException.class, queue::getNowait);

            toB.right().send("go");
            final long nanos = fromB.left().recv();
            assertTrue(nanos < TimeUnit.SECONDS.toNanos(1), "the next put took " + nanos / 1_000_000 + " ms");
            assertEquals("B2", queue.get(BOUND), "the torn excerpt is overwritten, never delivered");
            queue.taskDone();
            assertTrue(producerB.join(BOUND));
            assertEquals(0, producerB.exitCode());
            assertTrue(queue.join(BOUND));
            assertTrue(queue.isEmpty());
        }
        finally
        {
            close(toB, fromB, fromA);
        }
    }

    @Test
    void shouldRedeliverTheItemsOfAConsumerKilledBeforeTaskDone() throws Exception
    {
        final Pipe ready = Pipe.open();
        try (DurableJoinableQueue<Integer> queue = DurableJoinableQueue.open(temp.resolve("q")))
        {
            for (int i = 0; i < 5; i++)
            {
                queue.put(i);
            }
            final IpcProcess consumer = IpcProcess.start(() ->
            {
                queue.get();
                queue.get();
                queue.taskDone();
                ready.right().send("got two, marked one");
                Thread.sleep(120_000);
            });
            assertEquals("got two, marked one", ready.left().recv());
            consumer.kill();
            assertTrue(consumer.join(BOUND));
            final Set<Integer> values = new HashSet<>();
            int redelivered = 0;
            for (int i = 0; i < 4; i++)
            {
                final Delivery<Integer> d = queue.getDelivery(BOUND);
                values.add(d.value());
                if (d.redelivered())
                {
                    redelivered++;
                    assertEquals(1, d.value(), "the item got and not marked done comes again");
                    assertEquals(1, d.sequence());
                }
                queue.taskDone();
            }
            assertEquals(Set.of(1, 2, 3, 4), values);
            assertEquals(1, redelivered);
            assertTrue(queue.join(BOUND), "join returns once the redelivered item is done");
            assertTrue(queue.isEmpty());
        }
        finally
        {
            close(ready);
        }
    }

    @Test
    void shouldAccountForEveryAcknowledgedPutThroughKillLoops() throws Exception
    {
        final int rounds = 3;
        final Path dir = temp.resolve("q");
        final String where = dir.toString();
        final List<IpcProcess> started = new ArrayList<>();
        try (SharedLongArray acked = SharedLongArray.create(rounds))
        {
            final List<Path> records = new ArrayList<>();
            for (int round = 0; round < rounds; round++)
            {
                final long base = round * ROUND;
                final int r = round;
                final Path record = temp.resolve("consumed-" + round);
                records.add(record);
                final String recordPath = record.toString();
                final IpcProcess producer = IpcProcess.start(() ->
                {
                    final DurableJoinableQueue<Long> q = DurableJoinableQueue.open(Path.of(where));
                    for (long i = 0; ; i++)
                    {
                        q.put(base + i);
                        acked.set(r, i + 1);
                    }
                });
                final IpcProcess consumer = IpcProcess.start(() ->
                {
                    final DurableJoinableQueue<Long> q = DurableJoinableQueue.open(Path.of(where));
                    try (FileChannel out = FileChannel.open(Path.of(recordPath), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE, StandardOpenOption.APPEND))
                    {
                        final ByteBuffer buffer = ByteBuffer.allocate(9);
                        while (true)
                        {
                            final Delivery<Long> d = q.getDelivery();
                            buffer.clear();
                            buffer.putLong(d.value()).put((byte)(d.redelivered() ? 1 : 0)).flip();
                            out.write(buffer);
                            q.taskDone();
                        }
                    }
                });
                started.add(producer);
                started.add(consumer);
                final long threshold = ThreadLocalRandom.current().nextLong(100, 1_500);
                Await.until("producer " + round + " acknowledged " + threshold, Duration.ofSeconds(90),
                    () -> acked.get(r) >= threshold || !producer.isAlive() || !consumer.isAlive());
                assertTrue(producer.isAlive(), producer::toString);
                assertTrue(consumer.isAlive(), consumer::toString);
                if (ThreadLocalRandom.current().nextBoolean())
                {
                    consumer.kill();
                    producer.kill();
                }
                else
                {
                    producer.kill();
                    consumer.kill();
                }
                assertTrue(producer.join(BOUND));
                assertTrue(consumer.join(BOUND));
            }

            final Map<Long, Integer> seen = new HashMap<>();
            int redeliveries = 0;
            for (final Path record : records)
            {
                final ByteBuffer all = ByteBuffer.wrap(Files.exists(record) ? Files.readAllBytes(record) : new byte[0]);
                while (all.remaining() >= 9)
                {
                    seen.merge(all.getLong(), 1, Integer::sum);
                    redeliveries += all.get();
                }
            }
            try (DurableJoinableQueue<Long> queue = DurableJoinableQueue.open(dir))
            {
                while (true)
                {
                    final Delivery<Long> d;
                    try
                    {
                        d = queue.getDelivery(Duration.ofMillis(500));
                    }
                    catch (final QueueEmptyException ex)
                    {
                        break;
                    }
                    seen.merge(d.value(), 1, Integer::sum);
                    redeliveries += d.redelivered() ? 1 : 0;
                    queue.taskDone();
                }
                assertTrue(queue.join(BOUND), "every item put is done: " + queue.unfinishedTasks() + " left");
                assertTrue(queue.isEmpty());
            }
            int duplicates = 0;
            for (int round = 0; round < rounds; round++)
            {
                final long ack = acked.get(round);
                for (long i = 0; i < ack; i++)
                {
                    assertTrue(seen.containsKey(round * ROUND + i), "acknowledged put " + i + " of round " + round +
                        " (of " + ack + ") was delivered");
                }
            }
            for (final Map.Entry<Long, Integer> e : seen.entrySet())
            {
                final int round = (int)(e.getKey() / ROUND);
                final long i = e.getKey() % ROUND;
                assertTrue(round < rounds && i <= acked.get(round), "delivered " + e.getKey() + " was put");
                duplicates += e.getValue() - 1;
            }
            assertTrue(duplicates <= rounds, "at most one item again per killed consumer, duplicates=" + duplicates);
            assertTrue(duplicates <= redeliveries, "every item delivered twice says so: duplicates=" + duplicates +
                ", redeliveries=" + redeliveries);
        }
        finally
        {
            for (final IpcProcess child : started)
            {
                child.kill();
                child.join(BOUND);
            }
        }
    }

    private static void close(final Pipe... pipes) throws Exception
    {
        for (final Pipe pipe : pipes)
        {
            pipe.left().close();
            pipe.right().close();
        }
    }
}
