package dev.ipckit.sync;

import dev.ipckit.shm.SharedInt;
import dev.ipckit.support.Await;
import dev.ipckit.support.ChildJvm;
import dev.ipckit.support.InChild;
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

@Timeout(120)
@ExtendWith({ RuntimeDirectoryClean.class, ChildJvm.Reaper.class })
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
            final List<ChildJvm> children = new ArrayList<>();
            for (int w = 0; w < workers; w++)
            {
                children.add(ChildJvm.start(Admitted.class, ChildJvm.handle(semaphore), ChildJvm.handle(start),
                    ChildJvm.handle(inside), ChildJvm.handle(most)));
            }
            for (final ChildJvm child : children)
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
            final ChildJvm holder = ChildJvm.start(PermitHolder.class, ChildJvm.handle(semaphore), "acquire");
            assertEquals("holding", holder.readLine());
            assertFalse(semaphore.tryAcquire());
            holder.kill();
            assertTrue(holder.join(BOUND));
            assertTrue(semaphore.tryAcquire(Duration.ofSeconds(5)));
            semaphore.release();
            assertEquals(1, semaphore.availablePermits());
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
            final ChildJvm forever = ChildJvm.start(AwaitEvent.class, ChildJvm.handle(event), ChildJvm.handle(woke), "0");
            final ChildJvm timed = ChildJvm.start(AwaitEvent.class, ChildJvm.handle(event), ChildJvm.handle(woke), "20");
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
            final List<ChildJvm> parties = new ArrayList<>();
            for (int p = 0; p < 3; p++)
            {
                parties.add(ChildJvm.start(Party.class, ChildJvm.handle(barrier), ChildJvm.handle(indexes)));
            }
            final Set<Integer> seen = new HashSet<>();
            seen.add(barrier.await());
            for (final ChildJvm party : parties)
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
            final ChildJvm waiter = ChildJvm.start(ExpectBroken.class, ChildJvm.handle(barrier));
            Await.until("the child waits", BOUND, () -> barrier.waiting() >= 1);
            barrier.abort();
            assertTrue(waiter.join(BOUND));
            assertEquals(42, waiter.exitCode(), "the waiting child got BrokenBarrierException");
            assertTrue(barrier.isBroken());
            assertThrows(BrokenBarrierException.class, barrier::await);

            barrier.reset();
            assertFalse(barrier.isBroken());
            final ChildJvm other = ChildJvm.start(ExpectBroken.class, ChildJvm.handle(barrier));
            Await.until("the child waits", BOUND, () -> barrier.waiting() >= 1);
            assertThrows(TimeoutException.class, () -> barrier.await(Duration.ofMillis(200)));
            assertTrue(other.join(BOUND));
            assertEquals(42, other.exitCode(), "the timeout broke the barrier for the other party");

            barrier.reset();
            final ChildJvm ready = ChildJvm.start(ExpectBroken.class, ChildJvm.handle(barrier));
            Await.until("the child waits", BOUND, () -> barrier.waiting() >= 1);
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
            final ChildJvm victim = ChildJvm.start(ExpectBroken.class, ChildJvm.handle(barrier));
            final ChildJvm survivor = ChildJvm.start(ExpectBroken.class, ChildJvm.handle(barrier));
            Await.until("both children wait", BOUND, () -> barrier.waiting() >= 2);
            victim.kill();
            assertTrue(survivor.join(BOUND));
            assertEquals(42, survivor.exitCode(), "the survivor's wait broke");
            assertTrue(victim.join(BOUND));
            assertThrows(BrokenBarrierException.class, () -> barrier.await(Duration.ofSeconds(5)));
        }
    }

    /**
     * Takes a semaphore's permit and holds it until killed: {@code args} semaphore, then
     * {@code acquire}, or {@code release-acquire} to release one first.
     */
    static final class PermitHolder
    {
        public static void main(final String[] args) throws Exception
        {
            final IpcSemaphore semaphore = InChild.attach(args[0]);
            if ("release-acquire".equals(args[1]))
            {
                semaphore.release();
            }
            semaphore.acquire();
            InChild.tell("holding");
            InChild.holdUntilKilled();
        }
    }

    /** Passes the barrier, then takes and gives back permits 300 times: {@code args} semaphore, barrier, inside, most. */
    static final class Admitted
    {
        public static void main(final String[] args) throws Exception
        {
            final IpcSemaphore semaphore = InChild.attach(args[0]);
            final IpcBarrier start = InChild.attach(args[1]);
            final SharedInt inside = InChild.attach(args[2]);
            final SharedInt most = InChild.attach(args[3]);
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
        }
    }

    /** Waits for an event, for ever ({@code 0}) or some seconds, and counts itself woken: {@code args} event, woke, seconds. */
    static final class AwaitEvent
    {
        public static void main(final String[] args) throws Exception
        {
            final IpcEvent event = InChild.attach(args[0]);
            final SharedInt woke = InChild.attach(args[1]);
            final int seconds = Integer.parseInt(args[2]);
            if (0 == seconds)
            {
                event.await();
                woke.incrementAndGet();
            }
            else if (event.await(Duration.ofSeconds(seconds)))
            {
                woke.incrementAndGet();
            }
        }
    }

    /** Waits at the barrier and marks its arrival index: {@code args} barrier, indexes. */
    static final class Party
    {
        public static void main(final String[] args) throws Exception
        {
            final IpcBarrier barrier = InChild.attach(args[0]);
            final SharedInt indexes = InChild.attach(args[1]);
            indexes.getAndAdd(1 << (barrier.await() * 8));
        }
    }

    /** Waits at the barrier: exits 42 if it broke, 2 if it tripped. {@code args} barrier. */
    static final class ExpectBroken
    {
        public static void main(final String[] args) throws Exception
        {
            final IpcBarrier barrier = InChild.attach(args[0]);
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
}
