package dev.ipckit.sync;

import dev.ipckit.support.ChildJvm;
import dev.ipckit.support.ProcessSlots;
import dev.ipckit.support.RuntimeDirectoryClean;
import org.agrona.concurrent.AtomicBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Locks whose owner died, or lives where this process cannot see it. */
@Timeout(90)
@ExtendWith({ RuntimeDirectoryClean.class, ChildJvm.Reaper.class })
class LockRecoveryTest
{
    private static final Duration BOUND = Duration.ofSeconds(30);

    @Test
    void shouldTakeOverAKilledOwnersLockByPollingTryLockAndByAShortTryLock() throws Exception
    {
        try (IpcLock lock = IpcLock.create())
        {
            killHolderOf(lock);
            assertTrue(pollTryLock(() -> lock.tryLock()), "tryLock() takes a dead owner's lock");
            assertTrue(lock.acquiredFromDeadOwner());
            lock.unlock();

            killHolderOf(lock);
            assertTrue(pollTryLock(() -> lock.tryLock(Duration.ofMillis(1))),
                "tryLock(1 ms), under the 10 ms check interval, takes a dead owner's lock");
            assertTrue(lock.acquiredFromDeadOwner());
            lock.unlock();
        }
    }

    @Test
    void shouldNeverTakeTheLockOfAProcessInAnotherPidNamespace() throws Exception
    {
        try (IpcLock lock = IpcLock.create())
        {
            final AtomicBuffer word = lock.region.payload();
            final long dead = ProcessSlots.deadToken();
            final long foreign = ProcessSlots.inOtherNamespace(dead);
            word.putLongVolatile(lock.offset, foreign);
            assertFalse(lock.tryLock());
            assertFalse(lock.tryLock(Duration.ofMillis(300)));
            assertEquals(foreign, word.getLongVolatile(lock.offset), "the lock is not stolen");
            word.putLongVolatile(lock.offset, dead);
            assertTrue(lock.tryLock(BOUND), "the same pid in this namespace is dead, and its lock is taken");
            lock.unlock();
        }
    }

    @Test
    void shouldReleaseOnlyItsOwnLock() throws Exception
    {
        try (IpcLock lock = IpcLock.create())
        {
            final AtomicBuffer word = lock.region.payload();
            lock.lock();
            final long other = ProcessSlots.liveOtherToken();
            word.putLongVolatile(lock.offset, other);
            final IllegalMonitorStateException takenOver =
                assertThrows(IllegalMonitorStateException.class, lock::unlock);
            assertTrue(takenOver.getMessage().contains("taken over"), takenOver.getMessage());
            assertEquals(other, word.getLongVolatile(lock.offset), "the new owner's lock stays held");
            word.putLongVolatile(lock.offset, 0);
            assertTrue(lock.tryLock());
            lock.unlock();
            assertFalse(lock.isLocked());
        }
    }

    private static void killHolderOf(final IpcLock lock) throws Exception
    {
        final ChildJvm holder = ChildJvm.start(LockHolder.class, ChildJvm.handle(lock));
        try
        {
            assertEquals("holding", holder.readLine());
            assertFalse(lock.tryLock(), "a live owner's lock is not taken");
        }
        finally
        {
            holder.kill();
            assertTrue(holder.join(BOUND));
        }
    }

    private static boolean pollTryLock(final Attempt attempt) throws Exception
    {
        final long deadline = System.nanoTime() + BOUND.toNanos();
        while (System.nanoTime() - deadline < 0)
        {
            if (attempt.tryIt())
            {
                return true;
            }
            Thread.onSpinWait();
        }
        return false;
    }

    @FunctionalInterface
    private interface Attempt
    {
        boolean tryIt() throws Exception;
    }
}
