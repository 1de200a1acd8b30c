package dev.ipckit.queue;

import dev.ipckit.internal.Handle;

import java.util.function.Function;

/**
 * The kinds of {@link Handle} of this package: the three queues, which share one layout and
 * differ in what they make of it.
 */
enum QueueKind implements Handle.Kind
{
    /** {@link IpcQueue}. */
    QUEUE(IpcQueue::new),
    /** {@link JoinableQueue}. */
    JOINABLE(JoinableQueue::new),
    /** {@link SimpleQueue}. */
    SIMPLE(SimpleQueue::new);

    private final Function<QueueEngine, Object> attach;

    QueueKind(final Function<QueueEngine, Object> attach)
    {
        this.attach = attach;
    }

    /**
     * @param engine the queue's engine.
     * @return its handle; the queue's region is noted for {@link dev.ipckit.internal.SentHandles}.
     */
    Handle handleOf(final QueueEngine engine)
    {
        return Handle.of(this, QueueEngine.KIND, engine.id(), 0, null);
    }

    @Override
    public Object resolve(final Handle handle)
    {
        return attach.apply(QueueEngine.attach(handle.name()));
    }
}
