package dev.ipckit.internal;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one waiting loop, in one thread: the order of its checks, the deadline, the recovery and the
 * interrupt. Conditions count their calls, so nothing here depends on timing but the deadlines.
 */
@Timeout(60)
class WaiterTest
{
    private static final long MILLI = TimeUnit.MILLISECONDS.toNanos(1);

    @AfterEach
    void clearInterrupt()
    {
        Thread.interrupted();
    }

    @Test
    void shouldReturnAtOnceWhenTheConditionIsMet() throws Exception
    {
        final AtomicInteger tests = new AtomicInteger();
        assertTrue(Waiter.create(() -> "never").await(0, () -> tests.incrementAndGet() > 0));
        assertEquals(1, tests.get());
    }

    @Test
    void shouldWaitUntilTheConditionIsMet() throws Exception
    {
        final AtomicInteger tests = new AtomicInteger();
        assertTrue(Waiter.create(() -> "never").await(Waiter.FOREVER, () -> tests.incrementAndGet() == 500));
        assertEquals(500, tests.get());
    }

    @Test
    void shouldTestOnceMoreWhenTheTimeRunsOut() throws Exception
    {
        final AtomicInteger tests = new AtomicInteger();
        assertTrue(Waiter.create(() -> "never").await(0, () -> tests.incrementAndGet() == 2));
        assertFalse(Waiter.create(() -> "never").await(5 * MILLI, () -> false));
    }

    @Test
    void shouldRunTheRecoveryAndTestAgainAfterIt() throws Exception
    {
        final AtomicInteger recoveries = new AtomicInteger();
        final Waiter waiter = Waiter.create(() -> "never").recovering(0, recoveries::incrementAndGet);
        assertTrue(waiter.await(Waiter.FOREVER, () -> recoveries.get() == 3));
        assertEquals(3, recoveries.get());
    }

    @Test
    void shouldRunTheRecoveryOnlyOnceItsIntervalHasPassed() throws Exception
    {
        final AtomicInteger recoveries = new AtomicInteger();
        final Waiter waiter = Waiter.create(() -> "never")
            .recovering(TimeUnit.HOURS.toNanos(1), recoveries::incrementAndGet);
        assertFalse(waiter.await(20 * MILLI, () -> false));
        assertEquals(0, recoveries.get());
    }

    @Test
    void shouldThrowTheOpenChecksExceptionOnceClosed()
    {
        final AtomicInteger tests = new AtomicInteger();
        final Waiter waiter = Waiter.create(() -> "never").whileOpen(() ->
        {
            if (tests.get() >= 3)
            {
                throw new IllegalStateException("closed while waiting");
            }
        });
        final IllegalStateException ex = assertThrows(IllegalStateException.class,
            () -> waiter.await(Waiter.FOREVER, () -> tests.incrementAndGet() < 0));
        assertEquals("closed while waiting", ex.getMessage());
    }

    @Test
    void shouldThrowInterruptedExceptionWithItsMessage()
    {
        Thread.currentThread().interrupt();
        final InterruptedException ex = assertThrows(InterruptedException.class,
            () -> Waiter.create(() -> "interrupted while waiting for the test").await(Waiter.FOREVER, () -> false));
        assertEquals("interrupted while waiting for the test", ex.getMessage());
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void shouldKeepTheInterruptOfAnUninterruptibleWait()
    {
        final AtomicInteger tests = new AtomicInteger();
        Thread.currentThread().interrupt();
        assertTrue(Waiter.create(() -> "never")
            .awaitUninterruptibly(Waiter.FOREVER, () -> tests.incrementAndGet() == 50));
        assertTrue(Thread.interrupted());
    }

    @Test
    void shouldPollForAValue() throws Exception
    {
        final AtomicInteger polls = new AtomicInteger();
        assertEquals("ready", Waiter.create(() -> "never").poll(Waiter.FOREVER,
            () -> polls.incrementAndGet() == 20 ? "ready" : null));
        assertNull(Waiter.create(() -> "never").poll(MILLI, () -> null));
    }

    @Test
    void shouldParkLongerWhenCrowdedButNotPastTheDeadline() throws Exception
    {
        final AtomicInteger crowdReads = new AtomicInteger();
        final AtomicInteger tests = new AtomicInteger();
        final Waiter crowded = Waiter.create(() -> "never").crowdedBy(() ->
        {
            crowdReads.incrementAndGet();
            return 1_000;
        });
        final long start = System.nanoTime();
        assertFalse(crowded.await(300 * MILLI, () -> tests.incrementAndGet() < 0));
        final long took = System.nanoTime() - start;
        assertTrue(took >= 300 * MILLI, "took " + took / MILLI + " ms");
        assertTrue(crowdReads.get() > 0, "the crowd is read when parking");
        // 110 spins and yields, parks doubling from 1 µs to 16 ms (at most 16 waiters count): about
        // 140 tests in 300 ms, where an uncrowded waiter parking up to 1 ms makes about 400.
        assertTrue(tests.get() < 250, "tested " + tests.get() + " times in 300 ms");
    }

    @Test
    void shouldEndACrowdedParkOnInterrupt() throws Exception
    {
        final Waiter crowded = Waiter.create(() -> "interrupted in a crowd").crowdedBy(() -> Waiter.MAX_CROWD);
        final Thread waiting = Thread.currentThread();
        final Thread interrupter = new Thread(() ->
        {
            LockSupport.parkNanos(100 * MILLI);
            waiting.interrupt();
        });
        interrupter.start();
        final InterruptedException ex = assertThrows(InterruptedException.class,
            () -> crowded.await(Waiter.FOREVER, () -> false));
        assertEquals("interrupted in a crowd", ex.getMessage());
        interrupter.join();
    }

    @Test
    void shouldKeepForeverAndCountDownOtherTimeouts()
    {
        assertEquals(Waiter.FOREVER, Waiter.remaining(Waiter.FOREVER, System.nanoTime() - MILLI));
        assertEquals(0, Waiter.remaining(MILLI, System.nanoTime() - 2 * MILLI));
        assertTrue(Waiter.remaining(TimeUnit.HOURS.toNanos(1), System.nanoTime()) > 0);
    }
}
