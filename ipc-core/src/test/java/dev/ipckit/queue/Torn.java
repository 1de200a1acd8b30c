package dev.ipckit.queue;

import dev.ipckit.internal.ProcessIdentity;
import dev.ipckit.internal.ProcessTableDescriptor;
import dev.ipckit.internal.SharedRegion;
import dev.ipckit.sync.IpcLock;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;

/**
 * Puts a queue in the states a process killed at the wrong moment leaves behind, through its
 * layout ({@link QueueDescriptor}); the regions it attaches stay attached until the process dies.
 */
final class Torn
{
    private Torn()
    {
    }

    /** As a producer killed inside Agrona's claim: its slot says claiming, the ring has the claim. */
    static void claimWithoutCommit(final QueueEngine engine)
    {
        final AtomicBuffer header = SharedRegion.attach(QueueEngine.KIND, engine.id()).payload();
        header.putLongVolatile(QueueDescriptor.claimOffset(ownSlot(header), 0), QueueDescriptor.CLAIMING);
        new ManyToOneRingBuffer(new UnsafeBuffer(header, QueueDescriptor.RING_OFFSET,
            header.capacity() - QueueDescriptor.RING_OFFSET)).tryClaim(1, 16);
    }

    /** As a consumer in the middle of reading. */
    static void holdConsumerTurn(final QueueEngine engine)
    {
        IpcLock.embeddedIn(SharedRegion.attach(QueueEngine.KIND, engine.id()), QueueDescriptor.CONSUMER_LOCK_OFFSET)
            .lock();
    }

    /** @return the offset of this process's slot in the queue's process table. */
    static int ownSlot(final AtomicBuffer header)
    {
        for (int slot = 0; slot < ProcessTableDescriptor.SLOTS; slot++)
        {
            final int at = ProcessTableDescriptor.slotOffset(QueueDescriptor.TABLE_OFFSET, slot);
            if (header.getLongVolatile(at + ProcessTableDescriptor.TOKEN_OFFSET) == ProcessIdentity.currentLongToken())
            {
                return at;
            }
        }
        throw new IllegalStateException("this process has no slot in the queue");
    }
}
