package dev.ipckit.sync;

import dev.ipckit.IpcException;
import dev.ipckit.internal.ProcessIdentity;
import dev.ipckit.internal.ProcessTableDescriptor;
import dev.ipckit.support.ChildJvm;
import dev.ipckit.support.InChild;
import dev.ipckit.support.ProcessSlots;
import dev.ipckit.support.RuntimeDirectoryClean;
import org.agrona.concurrent.AtomicBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static dev.ipckit.sync.PermitCounterDescriptor.COUNT_OFFSET;
import static dev.ipckit.sync.PermitCounterDescriptor.TABLE_OFFSET;
import static dev.ipckit.sync.PermitCounterDescriptor.heldOffset;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A semaphore's process table: its limit, and what is given back to whom when processes die. */
@Timeout(90)
@ExtendWith({ RuntimeDirectoryClean.class, ChildJvm.Reaper.class })
class SemaphoreSlotsTest
{
    private static final Duration BOUND = Duration.ofSeconds(30);

    @Test
    void shouldServe1024ProcessesFreeASlotOnCloseRefuseTheNextBeforeTakingAPermitAndReclaimDeadSlots() throws Exception
    {
        try (IpcSemaphore semaphore = IpcSemaphore.create(1))
        {
            final AtomicBuffer buffer = semaphore.region.payload();
            final long other = ProcessSlots.liveOtherToken();
            ProcessSlots.fill(buffer, TABLE_OFFSET, other, 1);
            final String handle = ChildJvm.handle(semaphore);
            final ChildJvm attacher = ChildJvm.start(Attacher.class);
            try
            {
                attacher.send(handle);
                assertEquals("attached, took=true", attacher.readLine(), "the 1024th process is served");
                assertEquals(1, ProcessSlots.free(buffer, TABLE_OFFSET), "closing its handle freed its slot");
                ProcessSlots.fill(buffer, TABLE_OFFSET, other, 0);
                attacher.send(handle);
                final String refusal = attacher.readLine();
                assertTrue(refusal.startsWith("refused: more than " + ProcessTableDescriptor.SLOTS), refusal);
                assertEquals(1, semaphore.availablePermits(), "the refused process took nothing");
                final long dead = ProcessSlots.deadToken();
                ProcessSlots.clear(buffer, TABLE_OFFSET, other);
                ProcessSlots.fill(buffer, TABLE_OFFSET, dead, 0);
                attacher.send(handle);
                assertEquals("attached, took=true", attacher.readLine(), "a full table of dead processes is reclaimed");
                assertTrue(attacher.join(BOUND));
                assertEquals(0, attacher.exitCode());
                assertEquals(1, semaphore.availablePermits(), "the refused process took nothing");
                assertTrue(semaphore.tryAcquire());
                semaphore.release();
            }
            finally
            {
                attacher.close();
                ProcessSlots.clear(buffer, TABLE_OFFSET, other);
            }
        }
    }

    @Test
    void shouldReclaimADeadHoldersSlotOnlyFromItsOwnerAndTakeOverADeadReclaimer() throws Exception
    {
        try (IpcSemaphore semaphore = IpcSemaphore.create(0))
        {
            final AtomicBuffer buffer = semaphore.region.payload();
            final long beingReclaimed = ProcessSlots.liveOtherToken() | ProcessIdentity.RECLAIMING_BIT;
            final int live = ProcessSlots.claim(buffer, TABLE_OFFSET, beingReclaimed);
            buffer.putLongVolatile(heldOffset(live), 1);
            assertFalse(semaphore.tryAcquire(Duration.ofMillis(200)),
                "a slot a live process is reclaiming is left to it");
            assertEquals(1, buffer.getLongVolatile(heldOffset(live)));
            assertEquals(beingReclaimed, buffer.getLongVolatile(live));

            final long dead = ProcessSlots.deadToken();
            final int abandoned = ProcessSlots.claim(buffer, TABLE_OFFSET, dead | ProcessIdentity.RECLAIMING_BIT);
            buffer.putLongVolatile(heldOffset(abandoned), 1);
            assertTrue(semaphore.tryAcquire(BOUND), "the slot a dead reclaimer left is reclaimed");
            assertEquals(0, buffer.getLongVolatile(abandoned), "and freed");

            final ChildJvm holder = ChildJvm.start(
                SemaphoreEventBarrierTest.PermitHolder.class, ChildJvm.handle(semaphore), "release-acquire");
            try
            {
                assertEquals("holding", holder.readLine());
                holder.kill();
                assertTrue(holder.join(BOUND));
                assertTrue(semaphore.tryAcquire(BOUND), "a killed holder's permit comes back");
                assertEquals(0, buffer.getLongVolatile(COUNT_OFFSET), "once");
                assertFalse(semaphore.tryAcquire(Duration.ofMillis(100)));
            }
            finally
            {
                holder.close();
                ProcessSlots.clear(buffer, TABLE_OFFSET, beingReclaimed);
            }
        }
    }

    @Test
    void shouldNeverReclaimTheSlotOfAProcessInAnotherPidNamespace() throws Exception
    {
        try (IpcSemaphore semaphore = IpcSemaphore.create(0))
        {
            final AtomicBuffer buffer = semaphore.region.payload();
            final long dead = ProcessSlots.deadToken();
            final long foreign = ProcessSlots.inOtherNamespace(dead);
            final int at = ProcessSlots.claim(buffer, TABLE_OFFSET, foreign);
            buffer.putLongVolatile(heldOffset(at), 1);
            assertFalse(semaphore.tryAcquire(Duration.ofMillis(300)), "its permit is not taken back");
            assertEquals(foreign, buffer.getLongVolatile(at));
            assertEquals(1, buffer.getLongVolatile(heldOffset(at)));
            buffer.putLongVolatile(at, dead);
            assertTrue(semaphore.tryAcquire(BOUND), "the same pid in this namespace is dead, and its permit returns");
        }
    }

    /**
     * Three times: attaches the semaphore whose handle it reads, takes and gives back a permit, and
     * says so, or says why it was refused.
     */
    static final class Attacher
    {
        public static void main(final String[] args) throws Exception
        {
            for (int attempt = 0; attempt < 3; attempt++)
            {
                final String handle = InChild.hear();
                try
                {
                    final IpcSemaphore mine = InChild.attach(handle);
                    final boolean took = mine.tryAcquire(Duration.ofSeconds(20));
                    mine.release();
                    mine.close();
                    InChild.tell("attached, took=" + took);
                }
                catch (final IpcException ex)
                {
                    InChild.tell("refused: " + ex.getMessage());
                }
            }
        }
    }
}
