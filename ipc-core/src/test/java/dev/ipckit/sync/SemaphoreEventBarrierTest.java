package dev.ipckit.sync;

import dev.ipckit.pipe.Pipe;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.shm.SharedInt;
import dev.ipckit.support.RuntimeDirectoryClean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
@ExtendWith(RuntimeDirectoryClean.class)
class SemaphoreEventBarrierTest
{
    private static final Duration BOUND = Duration.ofSeconds(30);

    @Test
    void shouldNeverAdmitMoreThanItsPermits() throws Exception
    {
        final int workers = 5;
        try (IpcSemaphore semaphore = IpcSemaphore.create(2);
             IpcBarrier start = IpcBarrier.create(workers);
             SharedInt inside = SharedInt.create(0, false);
             SharedInt most = SharedInt.create(0, false))
        {
            final List<IpcProcess> children = new ArrayList<>();
            for (int w = 0; w < workers; w++)
            {
                children.add(IpcProcess.start(() ->
                {
                    start.await();
                    for (int i = 0; i < 300; i++)
                    {
                        semaphore.acquire();
                        try
                        {
                            final int now = inside.incrementAndGet();
                            int seen;
                            while (now > (seen = most.get()) && !most.compareAndSet(seen, now))
                            {
                                Thread.onSpinWait();
                            }
                            final long patience = System.nanoTime() + 5_000_000_000L;
                            while (0 == i && inside.get() < 2 && System.nanoTime() < patience)
                            {
                                Thread.onSpinWait();
                            }
                            inside.decrementAndGet();
                        }
                        finally
                        {
                            semaphore.release();
                        }
                    }
                }));
            }
            for (final IpcProcess child : children)
            {
                assertTrue(child.join(BOUND));
                assertEquals(0, child.exitCode());
            }
            assertEquals(2, most.get(), "at most the two permits' holders were inside at once, and both were");
            assertEquals(2, semaphore.availablePermits());
        }
    }

    @Test
    void shouldGiveBackThePermitsOfAKilledHolder() throws Exception
    {
        try (IpcSemaphore semaphore = IpcSemaphore.create(1))
        {
            final Pipe ready = Pipe.open();
            final IpcProcess holder = IpcProcess.start(() ->
            {
                semaphore.acquire();
                ready.right().send("holding");
                Thread.sleep(60_000);
            });
            ready.right().close();
            assertEquals("holding", ready.left().recv());
            assertFalse(semaphore.tryAcquire());
            holder.kill();
            assertTrue(holder.join(BOUND));
            assertTrue(semaphore.tryAcquire(Duration.ofSeconds(5)));
            semaphore.release();
            assertEquals(1, semaphore.availablePermits());
            ready.left().close();
        }
    }

    @Test
    void shouldRefuseABoundedReleasePastTheBound() throws Exception
    {
        try (IpcBoundedSemaphore bounded = IpcBoundedSemaphore.create(1); IpcSemaphore empty = IpcSemaphore.create(0))
        {
            final IllegalStateException tooMany = assertThrows(IllegalStateException.class, bounded::release);
            assertTrue(tooMany.getMessage().contains("released too many times"), tooMany.getMessage());
            assertEquals(1, bounded.availablePermits());
            bounded.acquire();
            bounded.release();
            assertEquals(0, empty.availablePermits());
            assertFalse(empty.tryAcquire(Duration.ofMillis(50)));
            empty.release();
            assertTrue(empty.tryAcquire());
        }
        assertThrows(IllegalArgumentException.class, () -> IpcSemaphore.create(-1));
        assertThrows(IllegalArgumentException.class, () -> IpcBoundedSemaphore.create(-1));
    }

    @Test
    void shouldReleaseWaitersInOtherProcessesWhenSet() throws Exception
    {
        try (IpcEvent event = IpcEvent.create(); SharedInt woke = SharedInt.create(0, false))
        {
            assertFalse(event.isSet());
            final long start = System.nanoTime();
            assertFalse(event.await(Duration.ofMillis(200)));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(200));
            final IpcProcess forever = IpcProcess.start(() ->
            {
                event.await();
                woke.incrementAndGet();
            });
            final IpcProcess timed = IpcProcess.start(() ->
            {
                if (event.await(Duration.ofSeconds(20)))
                {
                    woke.incrementAndGet();
                }
            });
            event.set();
            assertTrue(event.isSet());
            assertTrue(forever.join(BOUND) && timed.join(BOUND));
            assertEquals(2, woke.get());
            event.clear();
            assertFalse(event.isSet());
        }
    }

    @Test
    void shouldTripForAllPartiesWithDistinctArrivalIndexes() throws Exception
    {
        try (IpcBarrier barrier = IpcBarrier.create(4); SharedInt indexes = SharedInt.create(0, false))
        {
            assertEquals(4, barrier.parties());
            final List<IpcProcess> parties = new ArrayList<>();
            for (int p = 0; p < 3; p++)
            {
                parties.add(IpcProcess.start(() -> indexes.getAndAdd(1 << (barrier.await() * 8))));
            }
            final Set<Integer> seen = new HashSet<>();
            seen.add(barrier.await());
            for (final IpcProcess party : parties)
            {
                assertTrue(party.join(BOUND));
                assertEquals(0, party.exitCode());
            }
            for (int i = 0; i < 4; i++)
            {
                if (((indexes.get() >> (i * 8)) & 0xFF) == 1)
                {
                    seen.add(i);
                }
            }
            assertEquals(Set.of(0, 1, 2, 3), seen);
            assertFalse(barrier.isBroken());
            assertEquals(0, barrier.waiting());
        }
    }

    @Test
    void shouldBreakForWaitersWhenAbortedOrTimedOutAndWorkAgainAfterReset() throws Exception
    {
        try (IpcBarrier barrier = IpcBarrier.create(3))
        {
            final IpcProcess waiter = IpcProcess.start(() -> expectBroken(barrier));
            while (barrier.waiting() < 1)
            {
                Thread.onSpinWait();
            }
            barrier.abort();
            assertTrue(waiter.join(BOUND));
            assertEquals(42, waiter.exitCode(), "the waiting child got BrokenBarrierException");
            assertTrue(barrier.isBroken());
            assertThrows(BrokenBarrierException.class, barrier::await);

            barrier.reset();
            assertFalse(barrier.isBroken());
            final IpcProcess other = IpcProcess.start(() -> expectBroken(barrier));
            while (barrier.waiting() < 1)
            {
                Thread.onSpinWait();
            }
            assertThrows(TimeoutException.class, () -> barrier.await(Duration.ofMillis(200)));
            assertTrue(other.join(BOUND));
            assertEquals(42, other.exitCode(), "the timeout broke the barrier for the other party");

            barrier.reset();
            final IpcProcess ready = IpcProcess.start(() -> expectBroken(barrier));
            while (barrier.waiting() < 1)
            {
                Thread.onSpinWait();
            }
            barrier.reset();
            assertTrue(ready.join(BOUND));
            assertEquals(42, ready.exitCode(), "reset broke the generation the party waited in");
        }
        assertThrows(IllegalArgumentException.class, () -> IpcBarrier.create(0));
    }

    @Test
    void shouldBreakInsteadOfHangingWhenAPartyDies() throws Exception
    {
        try (IpcBarrier barrier = IpcBarrier.create(3))
        {
            final IpcProcess victim = IpcProcess.start(() ->
            {
                barrier.await();
                System.exit(5);
            });
            final IpcProcess survivor = IpcProcess.start(() -> expectBroken(barrier));
            while (barrier.waiting() < 2)
            {
                Thread.onSpinWait();
            }
            victim.kill();
            assertTrue(survivor.join(BOUND));
            assertEquals(42, survivor.exitCode(), "the survivor's wait broke");
            assertTrue(victim.join(BOUND));
            assertThrows(BrokenBarrierException.class, () -> barrier.await(Duration.ofSeconds(5)));
        }
    }

    private static void expectBroken(final IpcBarrier barrier) throws InterruptedException
    {
        try
        {
            barrier.await();
            System.exit(2);
        }
        catch (final BrokenBarrierException expected)
        {
            System.exit(42);
        }
    }
}
