package dev.ipckit.manager;

import dev.ipckit.IpcException;

/**
 * A managed object threw a checked exception that the proxy's method does not declare, or one
 * this JVM cannot decode: the original is the cause when it could be sent, else its class name,
 * message and the server's stack trace are kept here.
 */
public final class RemoteException extends IpcException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed.
     * @param cause   the original exception, or null.
     */
    public RemoteException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
