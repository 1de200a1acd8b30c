package dev.ipckit.queue;

import dev.ipckit.IpcException;

/**
 * No item came within the time a get allowed ({@code get(Duration)}, {@code getNowait()}):
 * Python's {@code queue.Empty}.
 */
public final class QueueEmptyException extends IpcException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message which queue, and how long it waited.
     */
    public QueueEmptyException(final String message)
    {
        super(message);
    }
}
