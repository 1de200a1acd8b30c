package dev.ipckit.queue;

import dev.ipckit.internal.SentHandles;

import java.io.ObjectStreamException;
import java.io.Serializable;

/**
 * A queue as it crosses a process boundary: its id, and which kind of queue it is; it attaches
 * the queue's shared memory where it is deserialised.
 */
final class QueueHandle implements Serializable
{
    private static final long serialVersionUID = 1L;
    static final int PLAIN = 0;
    static final int JOINABLE = 1;
    static final int SIMPLE = 2;

    private final String id;
    private final int kind;

    QueueHandle(final String id, final boolean joinable)
    {
        this(id, joinable ? JOINABLE : PLAIN);
    }

    QueueHandle(final String id, final int kind)
    {
        this.id = id;
        this.kind = kind;
        SentHandles.note(QueueEngine.KIND, id);
    }

    private Object readResolve() throws ObjectStreamException
    {
        final QueueEngine engine = QueueEngine.attach(id);
        switch (kind)
        {
            case JOINABLE:
                return new JoinableQueue<>(engine);
            case SIMPLE:
                return new SimpleQueue<>(engine);
            default:
                return new IpcQueue<>(engine);
        }
    }
}
