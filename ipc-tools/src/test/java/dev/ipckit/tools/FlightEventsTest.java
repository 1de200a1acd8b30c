package dev.ipckit.tools;

import dev.ipckit.Configuration;
import dev.ipckit.RuntimeDirectory;
import dev.ipckit.internal.ProcessIdentity;
import dev.ipckit.internal.ProcessTableDescriptor;
import dev.ipckit.internal.SharedRegion;
import dev.ipckit.pipe.Pipe;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.ProcessPool;
import dev.ipckit.queue.IpcQueue;
import dev.ipckit.queue.QueueDescriptor;
import dev.ipckit.sync.IpcLock;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A child JVM recording with JFR sees ipckit's events: a lock taken over, a sweep, a pool worker
 * that died, a torn queue record cleared, a slow attach.
 */
@Timeout(180)
@ExtendWith(RuntimeDirectoryClean.class)
class FlightEventsTest
{
    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final Pattern ID = Pattern.compile("([0-9a-z]{20})");

    @Test
    void shouldRecordATakeOverASweepAndADeadWorkerInAChildsRecording(@TempDir final Path temp) throws Exception
    {
        final Path recording = temp.resolve("child.jfr");
        final long holderPid;
        try (IpcLock lock = IpcLock.create())
        {
            final Pipe ready = Pipe.open();
            final IpcProcess holder = IpcProcess.start(() ->
            {
                lock.lock();
                ready.right().send("holding");
                Thread.sleep(60_000);
            });
            holderPid = holder.pid();
            try
            {
                assertEquals("holding", ready.left().recv());
            }
            finally
            {
                holder.kill();
                assertTrue(holder.join(BOUND));
                ready.left().close();
                ready.right().close();
            }

            final IpcProcess recorder = IpcProcess.builder()
                .jvmArgs("-XX:StartFlightRecording=filename=" + recording + ",settings=default")
                .target(() -> causeEvents(lock))
                .start();
            assertTrue(recorder.join(Duration.ofSeconds(120)));
            assertEquals(0, recorder.exitCode());
        }

        final List<RecordedEvent> events = RecordingFile.readAllEvents(recording).stream()
            .filter(e -> e.getEventType().getName().startsWith("dev.ipckit."))
            .collect(Collectors.toList());
        final RecordedEvent takeOver = only(events, "dev.ipckit.LockTakenOver");
        assertEquals(holderPid, takeOver.getLong("deadPid"));
        assertTrue(events.stream().anyMatch(e -> "dev.ipckit.Sweep".equals(e.getEventType().getName()) &&
            e.getString("entries").contains("dddddddddddddddddddd")), events.toString());
        final RecordedEvent died = only(events, "dev.ipckit.WorkerDied");
        assertEquals(3, died.getInt("exitCode"));
        assertEquals(1, died.getInt("jobs"));
    }

    @Test
    void shouldRecordATornRecordClearedAndASlowAttachInAChildsRecording(@TempDir final Path temp) throws Exception
    {
        final Path recording = temp.resolve("consumer.jfr");
        final long producerPid;
        final String queueId;
        try (IpcQueue<String> queue = IpcQueue.create())
        {
            queueId = id(queue);
            final Pipe ready = Pipe.open();
            final IpcProcess producer = IpcProcess.start(() ->
            {
                claimWithoutCommit(id(queue));
                ready.right().send("claimed");
                Thread.sleep(60_000);
            });
            producerPid = producer.pid();
            try
            {
                assertTrue(ready.left().poll(BOUND), "the producer claimed in time");
                assertEquals("claimed", ready.left().recv());
            }
            finally
            {
                producer.kill();
                assertTrue(producer.join(BOUND));
                ready.left().close();
                ready.right().close();
            }
            queue.put("behind the torn record");

            final IpcProcess consumer = IpcProcess.builder()
                .jvmArgs("-XX:StartFlightRecording=filename=" + recording + ",settings=default",
                    "-D" + Configuration.SLOW_ATTACH_PROP_NAME + "=0")
                .target(() ->
                {
                    final String item = queue.get(BOUND);
                    if (!"behind the torn record".equals(item))
                    {
                        throw new IllegalStateException("got " + item);
                    }
                })
                .start();
            assertTrue(consumer.join(Duration.ofSeconds(120)));
            assertEquals(0, consumer.exitCode());
        }

        final List<RecordedEvent> events = RecordingFile.readAllEvents(recording).stream()
            .filter(e -> e.getEventType().getName().startsWith("dev.ipckit."))
            .collect(Collectors.toList());
        final RecordedEvent torn = only(events, "dev.ipckit.TornRecordCleared");
        assertEquals(producerPid, torn.getLong("deadPid"));
        assertTrue(events.stream().anyMatch(e -> "dev.ipckit.SlowAttach".equals(e.getEventType().getName()) &&
            ("queue@" + queueId).equals(e.getString("region")) && e.getDuration("took").toNanos() > 0),
            events.toString());
    }

    /**
     * As a producer killed inside Agrona's claim (ipc-core's QueueFaultTest does the same): its slot
     * in the queue's process table (made when the queue's handle attached in this process) says
     * claiming, and the ring holds a record never committed.
     */
    private static void claimWithoutCommit(final String queueId)
    {
        final AtomicBuffer header = SharedRegion.attach(QueueDescriptor.KIND, queueId).payload();
        int own = -1;
        for (int slot = 0; slot < ProcessTableDescriptor.SLOTS && own < 0; slot++)
        {
            final int at = ProcessTableDescriptor.slotOffset(QueueDescriptor.TABLE_OFFSET, slot);
            if (header.getLongVolatile(at + ProcessTableDescriptor.TOKEN_OFFSET) == ProcessIdentity.currentLongToken())
            {
                own = at;
            }
        }
        if (own < 0)
        {
            throw new IllegalStateException("this process has no slot in the queue");
        }
        header.putLongVolatile(QueueDescriptor.claimOffset(own, 0), QueueDescriptor.CLAIMING);
        new ManyToOneRingBuffer(new UnsafeBuffer(header, QueueDescriptor.RING_OFFSET,
            header.capacity() - QueueDescriptor.RING_OFFSET)).tryClaim(1, 16);
    }

    private static String id(final Object handle)
    {
        final Matcher m = ID.matcher(handle.toString());
        assertTrue(m.find(), handle.toString());
        return m.group(1);
    }

    /** Runs in the recording child. */
    private static void causeEvents(final IpcLock lock) throws Exception
    {
        if (!lock.tryLock(BOUND))
        {
            throw new IllegalStateException("the dead holder's lock was not taken over");
        }
        lock.unlock();

        final Path dir = RuntimeDirectory.path();
        long deadPid = 4_000_000;
        while (ProcessHandle.of(deadPid).isPresent())
        {
            deadPid++;
        }
        Files.write(dir.resolve("event@dddddddddddddddddddd.data"), new byte[128]);
        Files.createSymbolicLink(dir.resolve("event@dddddddddddddddddddd." + deadPid + "-0"),
            Path.of(deadPid + ":1:0:gone"));
        RuntimeDirectory.sweep();

        try (ProcessPool pool = ProcessPool.create(1))
        {
            try
            {
                pool.apply(() ->
                {
                    Runtime.getRuntime().halt(3);
                    return 0;
                });
                throw new IllegalStateException("a worker that halts returns nothing");
            }
            catch (final RuntimeException expected)
            {
                assertFalse(expected instanceof IllegalStateException, expected.toString());
            }
        }
    }

    private static RecordedEvent only(final List<RecordedEvent> events, final String name)
    {
        final List<RecordedEvent> named = events.stream()
            .filter(e -> name.equals(e.getEventType().getName())).collect(Collectors.toList());
        assertEquals(1, named.size(), name + " in " + events);
        return named.get(0);
    }
}
