package dev.ipckit.durable;

import dev.ipckit.internal.Waiter;
import net.openhft.chronicle.wire.DocumentContext;

/** Leaves a durable queue as a producer killed in the middle of a put leaves it. */
final class Torn
{
    private Torn()
    {
    }

    /**
     * Takes the append lock, counts the item, and writes half an excerpt, never finishing it; the
     * caller then waits to be killed.
     */
    static void beginAppendWithoutFinishing(final DurableQueue<?> queue) throws InterruptedException
    {
        final DurableEngine engine = queue.engine;
        engine.appendLock.lock(Waiter.FOREVER);
        final long sequence = engine.state.getLong(StateDescriptor.PUT_COUNT_OFFSET);
        engine.state.putLongRelease(StateDescriptor.PUT_COUNT_OFFSET, sequence + 1);
        @SuppressWarnings("resource")
        final DocumentContext dc = engine.log.appender().writingDocument();
        dc.wire().bytes().writeLong(sequence);
        dc.wire().bytes().write(new byte[]{ 1, 2, 3 });
    }
}
