package dev.ipckit.manager;

import dev.ipckit.IpcException;

/**
 * A manager's server cannot be reached, or went away while a call was in flight; whether that
 * call took effect is unknown.
 */
public final class ManagerUnavailableException extends IpcException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, with the server's address.
     * @param cause   the I/O failure, or null.
     */
    public ManagerUnavailableException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
