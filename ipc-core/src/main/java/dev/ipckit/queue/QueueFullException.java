package dev.ipckit.queue;

import dev.ipckit.IpcException;

/**
 * No room came within the time a put allowed ({@code put(e, Duration)}, {@code putNowait(e)}):
 * Python's {@code queue.Full}. The element was not put.
 */
public final class QueueFullException extends IpcException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message which queue, and how long it waited.
     */
    public QueueFullException(final String message)
    {
        super(message);
    }
}
