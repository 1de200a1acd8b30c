package dev.ipckit.sync;

import dev.ipckit.shm.SharedInt;
import dev.ipckit.shm.SharedLong;
import dev.ipckit.support.Await;
import dev.ipckit.support.ChildJvm;
import dev.ipckit.support.InChild;
import dev.ipckit.support.RuntimeDirectoryClean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(120)
@ExtendWith({ RuntimeDirectoryClean.class, ChildJvm.Reaper.class })
class LockTest
{
    private static final Duration BOUND = Duration.ofSeconds(30);

    @Test
    void shouldExcludeEachOtherAcrossProcesses() throws Exception
    {
        final int children = 3;
        final int rounds = 3_000;
        try (IpcLock lock = IpcLock.create(); SharedLong counter = SharedLong.create(0, false))
        {
            final List<ChildJvm> workers = new ArrayList<>();
            for (int c = 0; c < children; c++)
            {
                workers.add(ChildJvm.start(CountUnderLock.class,
                    ChildJvm.handle(lock), ChildJvm.handle(counter), Integer.toString(rounds)));
            }
            for (final ChildJvm worker : workers)
            {
                assertTrue(worker.join(BOUND));
                assertEquals(0, worker.exitCode());
            }
            assertEquals(children * rounds, counter.get());
            assertFalse(lock.isLocked());
        }
    }

    @Test
    void shouldHandOverALockWhoseHolderWasKilled() throws Exception
    {
        try (IpcLock lock = IpcLock.create())
        {
            final ChildJvm holder = ChildJvm.start(LockHolder.class, ChildJvm.handle(lock));
            assertEquals("holding", holder.readLine());
            assertFalse(lock.tryLock());
            assertTrue(lock.toString().contains("held by pid=" + holder.pid()), lock.toString());
            holder.kill();
            assertTrue(holder.join(BOUND));
            final long start = System.nanoTime();
            assertTrue(lock.tryLock(Duration.ofSeconds(5)));
            final long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(tookMillis < 3_000, "recovered in " + tookMillis + " ms");
            assertTrue(lock.acquiredFromDeadOwner());
            lock.unlock();
            assertFalse(lock.acquiredFromDeadOwner());
            lock.lock();
            assertFalse(lock.acquiredFromDeadOwner(), "a lock released normally is not abandoned");
            lock.unlock();
        }
    }

    @Test
    void shouldRefuseUnlockByAThreadThatDoesNotHoldIt() throws Exception
    {
        try (IpcLock lock = IpcLock.create())
        {
            assertThrows(IllegalMonitorStateException.class, lock::unlock);
            lock.lock();
            final Throwable other = CompletableFuture.supplyAsync(() ->
            {
                try
                {
                    lock.unlock();
                    return null;
                }
                catch (final Throwable ex)
                {
                    return ex;
                }
            }).get(10, TimeUnit.SECONDS);
            assertTrue(other instanceof IllegalMonitorStateException, String.valueOf(other));
            assertTrue(lock.isHeldByCurrentThread());
            lock.unlock();
        }
    }

    @Test
    void shouldTimeOutAndBeInterruptedWhileAnotherProcessHoldsIt() throws Exception
    {
        try (IpcLock lock = IpcLock.create())
        {
            final ChildJvm holder = ChildJvm.start(LockHolder.class, ChildJvm.handle(lock));
            assertEquals("holding", holder.readLine());
            final long start = System.nanoTime();
            assertFalse(lock.tryLock(200, TimeUnit.MILLISECONDS));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(200));

            final AtomicReference<Thread> waiter = new AtomicReference<>();
            final CompletableFuture<Throwable> interrupted = CompletableFuture.supplyAsync(() ->
            {
                waiter.set(Thread.currentThread());
                try
                {
                    lock.lockInterruptibly();
                    return null;
                }
                catch (final Throwable ex)
                {
                    return ex;
                }
            });
            while (null == waiter.get())
            {
                Thread.onSpinWait();
            }
            waiter.get().interrupt();
            assertTrue(interrupted.get(10, TimeUnit.SECONDS) instanceof InterruptedException);

            holder.send("release");
            lock.lock();
            assertFalse(lock.acquiredFromDeadOwner());
            lock.unlock();
            assertTrue(holder.join(BOUND));
            assertEquals(0, holder.exitCode());
        }
    }

    @Test
    void shouldLetTheHolderOfAnRLockTakeItAgain() throws Exception
    {
        try (IpcRLock lock = IpcRLock.create(); SharedInt stage = SharedInt.create(0, false))
        {
            lock.lock();
            lock.lock();
            final ChildJvm other = ChildJvm.start(TakeRLock.class, ChildJvm.handle(lock), ChildJvm.handle(stage));
            Await.until("the child is about to lock", BOUND, () -> stage.get() >= 1);
            lock.unlock();
            assertFalse(other.join(Duration.ofMillis(300)), "still held once");
            assertEquals(1, stage.get());
            lock.unlock();
            assertTrue(other.join(BOUND));
            assertEquals(2, stage.get());
            assertThrows(IllegalMonitorStateException.class, lock::unlock);
        }
    }

    @Test
    void shouldSignalAWaiterInAnotherProcess() throws Exception
    {
        try (IpcCondition condition = IpcCondition.create(); SharedInt items = SharedInt.create(0, false))
        {
            final ChildJvm consumer = ChildJvm.start(Consume.class, ChildJvm.handle(condition), ChildJvm.handle(items));
            condition.getLock().lock();
            try
            {
                items.incrementAndGet();
                condition.signal();
            }
            finally
            {
                condition.getLock().unlock();
            }
            assertTrue(consumer.join(BOUND));
            assertEquals(0, consumer.exitCode());
            assertEquals(0, items.get());
        }
    }

    @Test
    void shouldWakeEveryWaiterOnSignalAll() throws Exception
    {
        try (IpcLock lock = IpcLock.create(); SharedInt waiting = SharedInt.create(0, false);
             SharedInt go = SharedInt.create(0, false))
        {
            final IpcCondition condition = lock.newCondition();
            final List<ChildJvm> waiters = new ArrayList<>();
            for (int i = 0; i < 3; i++)
            {
                waiters.add(ChildJvm.start(AwaitGo.class,
                    ChildJvm.handle(condition), ChildJvm.handle(waiting), ChildJvm.handle(go)));
            }
            Await.until("three children wait", BOUND, () -> waiting.get() >= 3);
            lock.lock();
            try
            {
                go.set(1);
                condition.signalAll();
            }
            finally
            {
                lock.unlock();
            }
            for (final ChildJvm waiter : waiters)
            {
                assertTrue(waiter.join(BOUND));
                assertEquals(0, waiter.exitCode());
            }
            condition.close();
        }
    }

    @Test
    void shouldTimeOutAConditionWaitAndHoldTheLockAgain() throws Exception
    {
        try (IpcCondition condition = IpcCondition.create())
        {
            assertThrows(IllegalMonitorStateException.class, condition::signal);
            assertThrows(IllegalMonitorStateException.class, condition::await);
            condition.getLock().lock();
            final long start = System.nanoTime();
            assertFalse(condition.await(Duration.ofMillis(200)));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(200));
            assertTrue(((IpcRLock)condition.getLock()).isHeldByCurrentThread());
            condition.signal();
            assertFalse(condition.await(Duration.ofMillis(10)), "a signal with no waiter is not kept");
            condition.getLock().unlock();
        }
    }

    @Test
    void shouldNotBurnACoreWhileWaitingForALock() throws Exception
    {
        try (IpcLock lock = IpcLock.create())
        {
            final ChildJvm holder = ChildJvm.start(LockHolder.class, ChildJvm.handle(lock));
            assertEquals("holding", holder.readLine());
            final AtomicReference<Long> cpu = new AtomicReference<>();
            final Thread waiter = new Thread(() ->
            {
                final long before = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                try
                {
                    lock.tryLock(2, TimeUnit.SECONDS);
                }
                catch (final InterruptedException ignore)
                {
                    // measured either way
                }
                cpu.set(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - before);
            });
            waiter.start();
            waiter.join(10_000);
            holder.send("release");
            assertTrue(holder.join(BOUND));
            // A spinning waiter takes 2,000 ms of CPU in 2 s; a parked one ~10 ms on an idle machine and
            // 130-170 ms at load 40-60, where each of its ~2,000 wake-ups costs more.
            assertTrue(cpu.get() < TimeUnit.MILLISECONDS.toNanos(600),
                "waiter used " + cpu.get() / 1_000_000 + " ms of CPU in 2 s");
        }
    }

    /** Adds to a counter under a lock: {@code args} lock, counter, rounds. */
    static final class CountUnderLock
    {
        public static void main(final String[] args) throws Exception
        {
            final IpcLock lock = InChild.attach(args[0]);
            final SharedLong counter = InChild.attach(args[1]);
            final int rounds = Integer.parseInt(args[2]);
            for (int i = 0; i < rounds; i++)
            {
                lock.lock();
                try
                {
                    final long seen = counter.get();
                    Thread.onSpinWait();
                    counter.set(seen + 1);
                }
                finally
                {
                    lock.unlock();
                }
            }
        }
    }

    /** Says it is about to take the RLock, takes it and says so: {@code args} lock, stage. */
    static final class TakeRLock
    {
        public static void main(final String[] args) throws Exception
        {
            final IpcRLock lock = InChild.attach(args[0]);
            final SharedInt stage = InChild.attach(args[1]);
            stage.set(1);
            lock.lock();
            stage.set(2);
            lock.unlock();
        }
    }

    /** Waits on a condition until there is an item, and takes it: {@code args} condition, items. */
    static final class Consume
    {
        public static void main(final String[] args) throws Exception
        {
            final IpcCondition condition = InChild.attach(args[0]);
            final SharedInt items = InChild.attach(args[1]);
            condition.getLock().lock();
            try
            {
                while (items.get() == 0)
                {
                    condition.await();
                }
                items.decrementAndGet();
            }
            finally
            {
                condition.getLock().unlock();
            }
        }
    }

    /** Counts itself in and waits on a condition until go: {@code args} condition, waiting, go. */
    static final class AwaitGo
    {
        public static void main(final String[] args) throws Exception
        {
            final IpcCondition condition = InChild.attach(args[0]);
            final SharedInt waiting = InChild.attach(args[1]);
            final SharedInt go = InChild.attach(args[2]);
            final Lock lock = condition.getLock();
            lock.lock();
            try
            {
                waiting.incrementAndGet();
                while (0 == go.get())
                {
                    condition.await();
                }
            }
            finally
            {
                lock.unlock();
            }
        }
    }
}
