package dev.ipckit.shm;

import dev.ipckit.IpcException;
import dev.ipckit.RuntimeDirectory;
import dev.ipckit.support.Await;
import dev.ipckit.support.ChildJvm;
import dev.ipckit.support.InChild;
import dev.ipckit.support.RuntimeDirectoryClean;
import dev.ipckit.sync.IpcRLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(120)
@ExtendWith({ RuntimeDirectoryClean.class, ChildJvm.Reaper.class })
class SharedValuesTest
{
    private static final Duration BOUND = Duration.ofSeconds(30);

    @Test
    void shouldShareAValueAndAnArrayWithAChild() throws Exception
    {
        try (SharedDouble num = SharedDouble.create(0.0); SharedIntArray arr = SharedIntArray.create(10))
        {
            arr.set(0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
            final ChildJvm child = ChildJvm.start(SetPiNegate.class, ChildJvm.handle(num), ChildJvm.handle(arr));
            assertTrue(child.join(BOUND));
            assertEquals(0, child.exitCode());
            assertEquals(3.1415927, num.get());
            assertArrayEquals(new int[]{ 0, -1, -2, -3, -4, -5, -6, -7, -8, -9 }, arr.toArray());
        }
    }

    @Test
    void shouldCountExactlyUnderTheLockAcrossProcesses() throws Exception
    {
        final int children = 4;
        final int increments = 5_000;
        try (SharedLong counter = SharedLong.create(0))
        {
            final List<ChildJvm> workers = new ArrayList<>();
            for (int c = 0; c < children; c++)
            {
                workers.add(ChildJvm.start(CountUnderItsLock.class, ChildJvm.handle(counter), Integer.toString(increments)));
            }
            for (final ChildJvm worker : workers)
            {
                assertTrue(worker.join(BOUND));
                assertEquals(0, worker.exitCode());
            }
            assertEquals(children * increments, counter.get());
        }
    }

    @Test
    void shouldCountExactlyWithLockFreeIncrementsAcrossProcesses() throws Exception
    {
        final int children = 4;
        final int increments = 200_000;
        try (SharedInt counter = SharedInt.create(0, false); SharedLongArray cells = SharedLongArray.create(2))
        {
            final List<ChildJvm> workers = new ArrayList<>();
            for (int c = 0; c < children; c++)
            {
                workers.add(ChildJvm.start(CountLockFree.class,
                    ChildJvm.handle(counter), ChildJvm.handle(cells), Integer.toString(increments)));
            }
            for (final ChildJvm worker : workers)
            {
                assertTrue(worker.join(BOUND));
            }
            assertEquals(children * increments, counter.get());
            assertEquals(2L * children * increments, cells.get(1));
        }
    }

    @Test
    void shouldDoTheAtomicOperationsOfEachType()
    {
        try (SharedInt i = SharedInt.create(5); SharedLong l = SharedLong.create(7, false);
             SharedDouble d = SharedDouble.create(1.5, false))
        {
            assertEquals(5, i.getAndAdd(3));
            assertEquals(10, i.addAndGet(2));
            assertEquals(11, i.incrementAndGet());
            assertEquals(10, i.decrementAndGet());
            assertTrue(i.compareAndSet(10, 1));
            assertFalse(i.compareAndSet(10, 2));
            assertEquals(1, i.get());
            assertEquals(Long.MAX_VALUE, l.addAndGet(Long.MAX_VALUE - 7));
            assertTrue(d.compareAndSet(1.5, -0.0));
            assertEquals(-0.0, d.get());
            assertEquals("SharedInt(1)", i.toString());
        }
    }

    @Test
    void shouldHoldEveryArrayTypeAndRefuseOutOfRangeIndexesWithoutWriting()
    {
        try (SharedIntArray ints = SharedIntArray.create(1, 2, 3);
             SharedLongArray longs = SharedLongArray.create(new long[]{ 4L }, false);
             SharedDoubleArray doubles = SharedDoubleArray.create(0.5, 1.5);
             SharedByteArray bytes = SharedByteArray.create(4))
        {
            assertEquals(3, ints.length());
            assertArrayEquals(new int[]{ 1, 2, 3 }, ints.toArray());
            assertArrayEquals(new long[]{ 4L }, longs.toArray());
            assertArrayEquals(new double[]{ 0.5, 1.5 }, doubles.toArray());
            bytes.set(1, (byte)7, (byte)8);
            assertArrayEquals(new byte[]{ 0, 7, 8, 0 }, bytes.toArray());
            final byte[] two = new byte[2];
            bytes.get(2, two);
            assertArrayEquals(new byte[]{ 8, 0 }, two);

            assertThrows(IndexOutOfBoundsException.class, () -> ints.get(3));
            assertThrows(IndexOutOfBoundsException.class, () -> ints.set(-1, 9));
            assertThrows(IndexOutOfBoundsException.class, () -> ints.set(2, 9, 9));
            assertThrows(IndexOutOfBoundsException.class, () -> doubles.get(1, new double[2]));
            assertThrows(IndexOutOfBoundsException.class, () -> bytes.set(3, (byte)1, (byte)1));
            assertArrayEquals(new int[]{ 1, 2, 3 }, ints.toArray(), "a refused write writes nothing");
            assertArrayEquals(new byte[]{ 0, 7, 8, 0 }, bytes.toArray());
            assertEquals(5, ints.incrementAndGet(1) + ints.addAndGet(2, -1));
            assertTrue(ints.compareAndSet(0, 1, 10));
            assertEquals("SharedIntArray[10, 3, 2]", ints.toString());
            assertThrows(IllegalStateException.class, longs::getLock);
        }
    }

    @Test
    void shouldRefuseBadSizesAndUseAfterClose()
    {
        assertThrows(IllegalArgumentException.class, () -> SharedIntArray.create(-1));
        assertThrows(IllegalArgumentException.class, () -> SharedLongArray.create(Integer.MAX_VALUE));
        final SharedInt closed = SharedInt.create(1);
        closed.close();
        closed.close();
        assertTrue(closed.isClosed());
        assertThrows(IllegalStateException.class, closed::get);
        assertThrows(IllegalStateException.class, () -> closed.set(2));
        assertThrows(IllegalStateException.class, closed::getLock);
        try (SharedIntArray empty = SharedIntArray.create(0))
        {
            assertEquals(0, empty.toArray().length);
        }
    }

    @Test
    void shouldRemoveTheMemoryOnlyWhenTheLastProcessLetsGo() throws Exception
    {
        final SharedLong value = SharedLong.create(1);
        final String id = value.region.id();
        final ChildJvm child = ChildJvm.start(AddWhenTold.class, ChildJvm.handle(value));
        assertEquals("attached", child.readLine());
        value.close();
        assertFalse(entries(id).isEmpty(), "the child still holds it: " + entries(id));
        child.send("go");
        assertEquals(42L, Long.parseLong(child.readLine()));
        assertTrue(child.join(BOUND));
        Await.until("the last holder removed the memory", BOUND, () -> entries(id).isEmpty());
    }

    @Test
    void shouldRemoveTheMemoryWhenTheLastHoldersExitTogether() throws Exception
    {
        final SharedLong value = SharedLong.create(0);
        final String id = value.region.id();
        final List<ChildJvm> holders = new ArrayList<>();
        for (int i = 0; i < 4; i++)
        {
            holders.add(ChildJvm.start(CountInAndAwaitFive.class, ChildJvm.handle(value)));
        }
        Await.until("four holders attached", BOUND, () -> value.get() >= 4);
        value.set(5);
        value.close();
        for (final ChildJvm holder : holders)
        {
            assertTrue(holder.join(BOUND));
        }
        Await.until("one of the holders exiting together removed the memory", Duration.ofSeconds(5),
            () -> entries(id).isEmpty());
    }

    @Test
    void shouldSweepTheMemoryOfAKilledHolder() throws Exception
    {
        final SharedInt value = SharedInt.create(0);
        final String id = value.region.id();
        final ChildJvm child = ChildJvm.start(SetOneAndHold.class, ChildJvm.handle(value));
        Await.until("the child attached", BOUND, () -> 1 == value.get());
        child.kill();
        assertTrue(child.join(BOUND));
        value.close();
        Await.until("the killed child's hold is swept", BOUND, () ->
        {
            RuntimeDirectory.sweep();
            return entries(id).isEmpty();
        });
    }

    @Test
    void shouldSayAHandleNoLongerExistsRatherThanCorrupt()
    {
        final SharedInt value = SharedInt.create(3);
        final String handle = ChildJvm.handle(value);
        value.close();
        final IpcException gone = assertThrows(IpcException.class, () -> InChild.attach(handle));
        assertTrue(gone.getMessage().contains("no longer exists"), gone.getMessage());
    }

    @Test
    void shouldNameTheMissingFlagInAJvmStartedWithoutIt() throws Exception
    {
        final Process jvm = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"),
            "-Dipckit.dir=" + RuntimeDirectory.path(),
            NoFlagMain.class.getName())
            .redirectErrorStream(true)
            .start();
        final String output = new String(jvm.getInputStream().readAllBytes());
        assertTrue(jvm.waitFor(BOUND.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(3, jvm.exitValue(), output);
        assertTrue(output.contains("--add-exports java.base/jdk.internal.misc=ALL-UNNAMED"), output);
    }

    /** Creates a shared value in a JVM started without Agrona's export; exits 3 on the expected error. */
    static final class NoFlagMain
    {
        public static void main(final String[] args)
        {
            try
            {
                SharedInt.create(1);
                System.exit(0);
            }
            catch (final IpcException expected)
            {
                System.out.println(expected.getMessage());
                System.exit(3);
            }
        }
    }

    static List<String> entries(final String id)
    {
        try (Stream<Path> entries = Files.list(RuntimeDirectory.path()))
        {
            return entries.map(p -> p.getFileName().toString()).filter(n -> n.contains("@" + id + "."))
                .collect(Collectors.toList());
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    /** Sets the double to pi and negates the array: {@code args} double, int array. */
    static final class SetPiNegate
    {
        public static void main(final String[] args) throws Exception
        {
            final SharedDouble num = InChild.attach(args[0]);
            final SharedIntArray arr = InChild.attach(args[1]);
            num.set(3.1415927);
            for (int i = 0; i < arr.length(); i++)
            {
                arr.set(i, -arr.get(i));
            }
        }
    }

    /** Adds to a value under its own lock: {@code args} value, increments. */
    static final class CountUnderItsLock
    {
        public static void main(final String[] args) throws Exception
        {
            final SharedLong counter = InChild.attach(args[0]);
            final int increments = Integer.parseInt(args[1]);
            final IpcRLock lock = counter.getLock();
            for (int i = 0; i < increments; i++)
            {
                lock.lock();
                try
                {
                    counter.set(counter.get() + 1);
                }
                finally
                {
                    lock.unlock();
                }
            }
        }
    }

    /** Increments an int and adds two to a long cell, atomically: {@code args} int, long array, increments. */
    static final class CountLockFree
    {
        public static void main(final String[] args) throws Exception
        {
            final SharedInt counter = InChild.attach(args[0]);
            final SharedLongArray cells = InChild.attach(args[1]);
            final int increments = Integer.parseInt(args[2]);
            for (int i = 0; i < increments; i++)
            {
                counter.incrementAndGet();
                cells.getAndAdd(1, 2);
            }
        }
    }

    /** Says it attached the value ({@code args[0]}), adds 41 when told, and prints the sum. */
    static final class AddWhenTold
    {
        public static void main(final String[] args) throws Exception
        {
            final SharedLong value = InChild.attach(args[0]);
            InChild.tell("attached");
            InChild.hear();
            value.set(value.get() + 41);
            InChild.tell(value.get());
        }
    }

    /** Counts itself in on the value ({@code args[0]}) and waits until it reaches 5. */
    static final class CountInAndAwaitFive
    {
        public static void main(final String[] args) throws Exception
        {
            final SharedLong value = InChild.attach(args[0]);
            value.incrementAndGet();
            while (value.get() < 5)
            {
                Thread.onSpinWait();
            }
        }
    }

    /** Sets the value ({@code args[0]}) to 1 and holds it until killed. */
    static final class SetOneAndHold
    {
        public static void main(final String[] args) throws Exception
        {
            final SharedInt value = InChild.attach(args[0]);
            value.set(1);
            InChild.holdUntilKilled();
        }
    }
}
