package dev.ipckit.sync;

import dev.ipckit.IpcException;
import dev.ipckit.internal.ProcessIdentity;
import dev.ipckit.internal.ProcessTableDescriptor;
import dev.ipckit.pipe.Connection;
import dev.ipckit.pipe.Pipe;
import dev.ipckit.process.IpcProcess;
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
@ExtendWith(RuntimeDirectoryClean.class)
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
            final Pipe pipe = Pipe.open();
            final Connection child = pipe.right();
            final IpcProcess attacher = IpcProcess.start(() ->
            {
                for (int attempt = 0; attempt < 3; attempt++)
                {
                    try
                    {
                        final IpcSemaphore mine = child.recv();
                        final boolean took = mine.tryAcquire(Duration.ofSeconds(20));
                        mine.release();
                        mine.close();
                        child.send("attached, took=" + took);
                    }
                    catch (final IpcException ex)
                    {
                        child.send("refused: " + ex.getMessage());
                    }
                }
            });
            try
            {
                pipe.left().send(semaphore);
                assertEquals("attached, took=true", pipe.left().recv(), "the 1024th process is served");
                assertEquals(1, ProcessSlots.free(buffer, TABLE_OFFSET), "closing its handle freed its slot");
                ProcessSlots.fill(buffer, TABLE_OFFSET, other, 0);
                pipe.left().send(semaphore);
                final String refusal = pipe.left().recv();
                assertTrue(refusal.startsWith("refused: more than " + ProcessTableDescriptor.SLOTS), refusal);
                assertEquals(1, semaphore.availablePermits(), "the refused process took nothing");
                final long dead = ProcessSlots.deadToken();
                ProcessSlots.clear(buffer, TABLE_OFFSET, other);
                ProcessSlots.fill(buffer, TABLE_OFFSET, dead, 0);
                pipe.left().send(semaphore);
                assertEquals("attached, took=true", pipe.left().recv(), "a full table of dead processes is reclaimed");
                assertTrue(attacher.join(BOUND));
                assertEquals(0, attacher.exitCode());
                assertEquals(1, semaphore.availablePermits(), "the refused process took nothing");
                assertTrue(semaphore.tryAcquire());
                semaphore.release();
            }
            finally
            {
                attacher.kill();
                ProcessSlots.clear(buffer, TABLE_OFFSET, other);
                pipe.left().close();
                child.close();
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

            final Pipe pipe = Pipe.open();
            final IpcProcess holder = IpcProcess.start(() ->
            {
                semaphore.release();
                semaphore.acquire();
                pipe.right().send("holding");
                Thread.sleep(60_000);
            });
            try
            {
                assertEquals("holding", pipe.left().recv());
                holder.kill();
                assertTrue(holder.join(BOUND));
                assertTrue(semaphore.tryAcquire(BOUND), "a killed holder's permit comes back");
                assertEquals(0, buffer.getLongVolatile(COUNT_OFFSET), "once");
                assertFalse(semaphore.tryAcquire(Duration.ofMillis(100)));
            }
            finally
            {
                holder.kill();
                ProcessSlots.clear(buffer, TABLE_OFFSET, beingReclaimed);
                pipe.left().close();
                pipe.right().close();
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
}
