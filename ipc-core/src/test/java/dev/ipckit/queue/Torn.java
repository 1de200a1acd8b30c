package dev.ipckit.queue;

import dev.ipckit.sync.IpcLock;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;

import java.lang.reflect.Field;
import java.lang.reflect.Method;

/** Puts a queue in the states a process killed at the wrong moment leaves behind. */
final class Torn
{
    private Torn()
    {
    }

    /** As a producer between claiming room in the ring and committing it. */
    static void claimWithoutCommit(final QueueEngine engine) throws Exception
    {
        final AtomicBuffer header = (AtomicBuffer)field(engine, "header");
        final Method slot = QueueEngine.class.getDeclaredMethod("slot");
        slot.setAccessible(true);
        final int own = (Integer)slot.invoke(engine);
        header.getAndAddLong(384 + own * 64 + 8, 1);
        ((ManyToOneRingBuffer)field(engine, "ring")).tryClaim(1, 16);
    }

    /** As a consumer in the middle of reading. */
    static void holdConsumerTurn(final QueueEngine engine) throws Exception
    {
        ((IpcLock)field(engine, "consumerLock")).lock();
    }

    private static Object field(final QueueEngine engine, final String name) throws Exception
    {
        final Field field = QueueEngine.class.getDeclaredField(name);
        field.setAccessible(true);
        return field.get(engine);
    }
}
