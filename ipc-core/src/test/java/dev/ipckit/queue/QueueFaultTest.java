package dev.ipckit.queue;

import dev.ipckit.IpcException;
import dev.ipckit.internal.ProcessIdentity;
import dev.ipckit.internal.ProcessTableDescriptor;
import dev.ipckit.internal.SharedRegion;
import dev.ipckit.pipe.Connection;
import dev.ipckit.pipe.Pipe;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.shm.SharedLong;
import dev.ipckit.support.Await;
import dev.ipckit.support.ProcessSlots;
import dev.ipckit.support.RuntimeDirectoryClean;
import org.agrona.concurrent.AtomicBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Queues whose producers and consumers are killed at random points, for real. */
@Timeout(120)
@ExtendWith(RuntimeDirectoryClean.class)
class QueueFaultTest
{
    private static final Duration BOUND = Duration.ofSeconds(20);
    /** The first item waits for a child JVM to start, which takes far longer than 20 s at load 150. */
    private static final Duration START_BOUND = Duration.ofSeconds(120);
    private static final int BIG = 100_000;
    /** The killer polls for its producer's first item without taking a core from the children. */
    private static final long POLL_NANOS = 100_000;

    @Test
    @Timeout(240)
    void shouldKeepDeliveringWhenALargeProducerIsKilledMidPutBesideALiveProducer() throws Exception
    {
        final int kills = 15;
        try (IpcQueue<byte[]> queue = IpcQueue.create())
        {
            final IpcProcess small = IpcProcess.start(() ->
            {
                final byte[] element = new byte[16];
                while (true)
                {
                    queue.put(element);
                }
            });
            final AtomicInteger seen = new AtomicInteger();
            final AtomicReference<Throwable> killerFailure = new AtomicReference<>();
            final Thread killer = new Thread(() ->
            {
                try
                {
                    for (int k = 1; k <= kills; k++)
                    {
                        final byte mark = (byte)k;
                        final IpcProcess big = IpcProcess.start(() ->
                        {
                            final byte[] element = new byte[BIG];
                            Arrays.fill(element, mark);
                            while (true)
                            {
                                queue.put(element);
                            }
                        });
                        while (seen.get() < k)
                        {
                            LockSupport.parkNanos(POLL_NANOS);
                        }
                        Thread.sleep(ThreadLocalRandom.current().nextInt(20));
                        big.kill();
                        assertTrue(big.join(BOUND));
                    }
                }
                catch (final Throwable ex)
                {
                    killerFailure.set(ex);
                }
            }, "killer");
            killer.start();
            try
            {
                long afterLastKill = 0;
                boolean started = false;
                while (afterLastKill < 200)
                {
                    final byte[] element = queue.get(started ? BOUND : START_BOUND);
                    assertNotNull(element, "no item within " + (started ? BOUND : START_BOUND));
                    started = true;
                    assertWhole(element);
                    if (BIG == element.length && element[0] > seen.get())
                    {
                        seen.set(element[0]);
                    }
                    if (!killer.isAlive())
                    {
                        afterLastKill++;
                    }
                }
            }
            finally
            {
                seen.set(kills);
                killer.join();
                small.kill();
                assertTrue(small.join(BOUND));
            }
            assertNull(killerFailure.get());
        }
    }

    @Test
    void shouldNotCountATaskWhoseProducerWasKilledWaitingForRoomInTheRing() throws Exception
    {
        try (JoinableQueue<byte[]> queue = JoinableQueue.create(0, 4096);
             SharedRegion region = SharedRegion.attach(QueueEngine.KIND, queue.engine.id()))
        {
            int queued = 0;
            try
            {
                while (true)
                {
                    queue.putNowait(new byte[100]);
                    queued++;
                }
            }
            catch (final QueueFullException full)
            {
                assertTrue(queued > 0);
            }
            final AtomicBuffer header = region.payload();
            assertEquals(queued, header.getLongVolatile(QueueDescriptor.UNFINISHED_OFFSET));
            final Pipe ready = Pipe.open();
            final IpcProcess producer = IpcProcess.start(() ->
            {
                ready.right().send("putting");
                queue.put(new byte[100]);
            });
            try
            {
                assertEquals("putting", ready.left().recv());
                final long until = System.nanoTime() + 300_000_000L;
                while (System.nanoTime() - until < 0)
                {
                    assertEquals(queued, header.getLongVolatile(QueueDescriptor.UNFINISHED_OFFSET),
                        "a put waiting for room is not a task yet");
                    Thread.sleep(10);
                }
            }
            finally
            {
                producer.kill();
                assertTrue(producer.join(BOUND));
                ready.left().close();
                ready.right().close();
            }
            for (int i = 0; i < queued; i++)
            {
                queue.get(BOUND);
                queue.taskDone();
            }
            assertTrue(queue.join(BOUND), "join returns: the killed producer left no task counted");
            assertEquals(0, queue.lostTasks());
        }
    }

    @Test
    void shouldUnblockEachDeadProducersRecordOnceWhileSeveralConsumersWait() throws Exception
    {
        final int rounds = 4;
        final int perRound = 500;
        try (IpcQueue<Integer> queue = IpcQueue.create();
             SharedLong count = SharedLong.create(0, false);
             SharedLong sum = SharedLong.create(0, false))
        {
            final List<IpcProcess> consumers = new ArrayList<>();
            for (int c = 0; c < 3; c++)
            {
                consumers.add(IpcProcess.start(() ->
                {
                    Integer item;
                    while (null != (item = queue.get()))
                    {
                        count.getAndAdd(1);
                        sum.getAndAdd(item);
                    }
                }));
            }
            long expected = 0;
            try
            {
                for (int round = 0; round < rounds; round++)
                {
                    final IpcProcess producer = producerStuckMidPut(queue);
                    for (int i = 1; i <= perRound; i++)
                    {
                        queue.put(i);
                        expected += i;
                    }
                    producer.kill();
                    assertTrue(producer.join(BOUND));
                    final long total = (long)(round + 1) * perRound;
                    Await.until("every item behind the torn record got once", BOUND, () -> count.get() >= total);
                    assertEquals(total, count.get());
                }
                assertEquals(expected, sum.get());
            }
            finally
            {
                for (int c = 0; c < consumers.size(); c++)
                {
                    queue.put(null);
                }
                for (final IpcProcess consumer : consumers)
                {
                    assertTrue(consumer.join(BOUND));
                }
            }
            assertTrue(queue.isEmpty());
        }
    }

    @Test
    void shouldServe1024ProcessesAndRefuseTheNextBeforeTakingAnItem() throws Exception
    {
        try (JoinableQueue<String> queue = JoinableQueue.create();
             SharedRegion region = SharedRegion.attach(QueueEngine.KIND, queue.engine.id()))
        {
            queue.put("the task");
            final AtomicBuffer header = region.payload();
            final long other = ProcessSlots.liveOtherToken();
            ProcessSlots.fill(header, QueueDescriptor.TABLE_OFFSET, other, 1);
            final Pipe pipe = Pipe.open();
            final Connection child = pipe.right();
            final IpcProcess attacher = IpcProcess.start(() ->
            {
                for (int attempt = 0; attempt < 2; attempt++)
                {
                    try
                    {
                        final JoinableQueue<String> mine = child.recv();
                        mine.put("from the 1024th");
                        mine.close();
                        child.send("attached");
                    }
                    catch (final IpcException ex)
                    {
                        child.send("refused: " + ex.getMessage());
                    }
                }
            });
            try
            {
                pipe.left().send(queue);
                assertEquals("attached", pipe.left().recv());
                assertEquals(1, ProcessSlots.free(header, QueueDescriptor.TABLE_OFFSET), "closing freed its slot");
                ProcessSlots.fill(header, QueueDescriptor.TABLE_OFFSET, other, 0);
                pipe.left().send(queue);
                final String refusal = pipe.left().recv();
                assertTrue(refusal.startsWith("refused: more than " + ProcessTableDescriptor.SLOTS), refusal);
                assertTrue(attacher.join(BOUND));
                assertEquals(0, attacher.exitCode());
                assertEquals("the task", queue.get(BOUND), "the refused process took nothing");
                assertEquals("from the 1024th", queue.get(BOUND));
                queue.taskDone();
                queue.taskDone();
                assertTrue(queue.join(BOUND));
                assertEquals(0, queue.lostTasks());
            }
            finally
            {
                attacher.kill();
                ProcessSlots.clear(header, QueueDescriptor.TABLE_OFFSET, other);
                pipe.left().close();
                child.close();
            }
        }
    }

    @Test
    void shouldWaitForAProducerInAnotherPidNamespaceInsteadOfUnblockingItsRecord() throws Exception
    {
        try (IpcQueue<String> queue = IpcQueue.create();
             SharedRegion region = SharedRegion.attach(QueueEngine.KIND, queue.engine.id()))
        {
            final AtomicBuffer header = region.payload();
            final IpcProcess producer = producerStuckMidPut(queue);
            producer.kill();
            assertTrue(producer.join(BOUND));
            final int slot = slotOf(header, producer.pid());
            final long dead = header.getLongVolatile(slot);
            header.putLongVolatile(slot, ProcessSlots.inOtherNamespace(dead));
            queue.put("behind the foreign claim");
            assertThrows(QueueEmptyException.class, () -> queue.get(Duration.ofMillis(300)),
                "a claim of a process this one cannot see is waited for");
            header.putLongVolatile(slot, dead);
            assertEquals("behind the foreign claim", queue.get(BOUND), "the same pid in this namespace is dead");
        }
    }

    /** @return a producer that claimed room in the ring and never commits it: kill it. */
    private static IpcProcess producerStuckMidPut(final IpcQueue<?> queue) throws Exception
    {
        final Pipe ready = Pipe.open();
        final IpcProcess producer = IpcProcess.start(() ->
        {
            Torn.claimWithoutCommit(queue.engine);
            ready.right().send("claimed");
            Thread.sleep(60_000);
        });
        try
        {
            assertEquals("claimed", ready.left().recv());
        }
        finally
        {
            ready.left().close();
            ready.right().close();
        }
        return producer;
    }

    private static int slotOf(final AtomicBuffer header, final long pid)
    {
        for (int slot = 0; slot < ProcessTableDescriptor.SLOTS; slot++)
        {
            final int at = ProcessTableDescriptor.slotOffset(QueueDescriptor.TABLE_OFFSET, slot);
            if (ProcessIdentity.pidOfToken(header.getLongVolatile(at)) == pid)
            {
                return at;
            }
        }
        throw new IllegalStateException("no slot of pid=" + pid);
    }

    static void assertWhole(final byte[] element)
    {
        assertTrue(16 == element.length || BIG == element.length, "length=" + element.length);
        for (final byte b : element)
        {
            assertEquals(element[0], b, "a torn element");
        }
    }
}
