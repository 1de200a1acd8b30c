package dev.ipckit.process;

import dev.ipckit.RuntimeDirectory;
import dev.ipckit.queue.IpcQueue;
import dev.ipckit.shm.SharedInt;
import dev.ipckit.support.Await;
import dev.ipckit.support.RuntimeDirectoryClean;
import dev.ipckit.sync.IpcBarrier;
import dev.ipckit.sync.IpcCondition;
import dev.ipckit.sync.IpcEvent;
import dev.ipckit.sync.IpcLock;
import dev.ipckit.sync.IpcSemaphore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DESIGN.md, "handle lifetime": a handle sent to a child in its task or in a pool job keeps the
 * object alive for that child, though the sender closes its own handle at once. Each child here
 * decodes its task only once a gate file appears, so the parent's handles are closed before the
 * child attaches.
 */
@Timeout(120)
@ExtendWith(RuntimeDirectoryClean.class)
class HandleLifetimeTest
{
    private static final Duration BOUND = Duration.ofSeconds(30);
    private Path gateDir;
    private Set<String> before;

    @BeforeEach
    void setUp() throws IOException
    {
        gateDir = Files.createTempDirectory("ipckit-gate");
        before = entries();
    }

    @AfterEach
    void tearDown() throws IOException
    {
        try (Stream<Path> files = Files.list(gateDir))
        {
            for (final Path file : files.collect(Collectors.toList()))
            {
                Files.delete(file);
            }
        }
        Files.delete(gateDir);
    }

    @Test
    void shouldLetAChildAttachEveryPrimitiveItsTaskCarriesThoughTheParentClosedThemAtOnce() throws Exception
    {
        final Path gate = gateDir.resolve("open");
        final Primitives p = Primitives.create();
        final List<Object> carried = p.carried(new Gate(gate));
        final IpcProcess child = IpcProcess.start(() -> System.exit(Primitives.use(carried) ? 0 : 3));
        p.close();
        assertFalse(entries().equals(before), "the parent's close removed what the child is about to attach");
        Files.createFile(gate);
        assertTrue(child.join(BOUND));
        assertEquals(0, child.exitCode());
        awaitNothingLeft();
    }

    @Test
    void shouldRemoveWhatAKilledChildNeverAttached() throws Exception
    {
        final Primitives p = Primitives.create();
        final List<Object> carried = p.carried(new Gate(gateDir.resolve("never")));
        final IpcProcess child = IpcProcess.start(() -> System.exit(Primitives.use(carried) ? 0 : 3));
        p.close();
        assertFalse(entries().equals(before));
        child.kill();
        assertTrue(child.join(BOUND));
        assertEquals(-9, child.exitCode());
        awaitNothingLeft();
    }

    @Test
    void shouldLetAPoolJobAttachWhatItCarriesThoughTheSubmitterClosedItAtOnce() throws Exception
    {
        final Path gate = gateDir.resolve("open");
        try (ProcessPool pool = ProcessPool.create(1))
        {
            final Primitives p = Primitives.create();
            final List<Object> carried = p.carried(new Gate(gate));
            final AsyncResult<Boolean> used = pool.applyAsync(() -> Primitives.use(carried));
            p.close();
            assertFalse(entries().equals(before));
            Files.createFile(gate);
            assertTrue(used.get(BOUND));

            final IpcQueue<String> queue = IpcQueue.create();
            final AsyncResult<String> got = pool.applyAsync(() -> queue.get(Duration.ofSeconds(20)));
            queue.put("after the submitter closed");
            queue.close();
            assertEquals("after the submitter closed", got.get(BOUND));
        }
        awaitNothingLeft();
    }

    private void awaitNothingLeft() throws InterruptedException
    {
        Await.until("the runtime directory holds nothing new", BOUND, () -> entries().equals(before));
    }

    private static Set<String> entries()
    {
        try (Stream<Path> files = Files.list(RuntimeDirectory.path()))
        {
            return files.map(f -> f.getFileName().toString()).filter(n -> !n.startsWith("pipe@"))
                .collect(Collectors.toCollection(TreeSet::new));
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /** Decoded first of what a task carries: holds the decoding until its file exists. */
    static final class Gate implements Serializable
    {
        private static final long serialVersionUID = 1L;
        private final String file;

        Gate(final Path file)
        {
            this.file = file.toString();
        }

        private void readObject(final ObjectInputStream in) throws IOException, ClassNotFoundException
        {
            in.defaultReadObject();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(Path.of(file)))
            {
                if (System.nanoTime() - deadline > 0)
                {
                    throw new InvalidObjectException("gate " + file + " never opened");
                }
                try
                {
                    Thread.sleep(5);
                }
                catch (final InterruptedException ex)
                {
                    throw new InvalidObjectException("interrupted");
                }
            }
        }
    }

    /** One of each shared primitive. */
    private static final class Primitives
    {
        final IpcQueue<String> queue = IpcQueue.create();
        final SharedInt value = SharedInt.create(41);
        final IpcLock lock = IpcLock.create();
        final IpcEvent event = IpcEvent.create();
        final IpcSemaphore semaphore = IpcSemaphore.create(1);
        final IpcBarrier barrier = IpcBarrier.create(1);
        final IpcCondition condition = IpcCondition.create();

        static Primitives create()
        {
            return new Primitives();
        }

        List<Object> carried(final Gate gate)
        {
            final List<Object> carried = new ArrayList<>();
            carried.add(gate);
            carried.addAll(List.of(queue, value, lock, event, semaphore, barrier, condition));
            return carried;
        }

        static boolean use(final List<Object> carried) throws Exception
        {
            @SuppressWarnings("unchecked")
            final IpcQueue<String> queue = (IpcQueue<String>)carried.get(1);
            final SharedInt value = (SharedInt)carried.get(2);
            final IpcLock lock = (IpcLock)carried.get(3);
            final IpcEvent event = (IpcEvent)carried.get(4);
            final IpcSemaphore semaphore = (IpcSemaphore)carried.get(5);
            final IpcBarrier barrier = (IpcBarrier)carried.get(6);
            final IpcCondition condition = (IpcCondition)carried.get(7);
            queue.put("item");
            final boolean queued = "item".equals(queue.get(Duration.ofSeconds(10)));
            final boolean counted = 42 == value.incrementAndGet();
            final boolean locked = lock.tryLock();
            lock.unlock();
            event.set();
            final boolean acquired = semaphore.tryAcquire();
            final boolean crossed = 0 == barrier.await(Duration.ofSeconds(10));
            condition.getLock().lock();
            condition.signalAll();
            condition.getLock().unlock();
            return queued && counted && locked && event.isSet() && acquired && crossed;
        }

        void close()
        {
            queue.close();
            value.close();
            lock.close();
            event.close();
            semaphore.close();
            barrier.close();
            condition.close();
        }
    }
}
