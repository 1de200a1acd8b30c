package dev.ipckit.process;

import dev.ipckit.IpcException;

/**
 * A task run by a {@link ProcessPool} failed: {@link ProcessPool#apply}, {@link ProcessPool#map}
 * and the {@code imap} iterators throw it. Its cause is the task's own exception, as thrown in the
 * worker (with the worker's stack trace), or a {@link WorkerDiedException}.
 */
public final class TaskFailedException extends IpcException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed.
     * @param cause   the task's exception.
     */
    public TaskFailedException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
