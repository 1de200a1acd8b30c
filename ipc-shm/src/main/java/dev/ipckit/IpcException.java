package dev.ipckit;

/**
 * Base of every ipckit-specific failure: something went wrong in inter-process communication
 * that is not a plain I/O error of a connection.
 * <p>
 * Unchecked, like the JDK's {@code UncheckedIOException}: IPC failures are rarely recoverable
 * at the call site. Messages state the facts as {@code key=value} pairs.
 */
public class IpcException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, with the facts that explain it.
     */
    public IpcException(final String message)
    {
        super(message);
    }

    /**
     * @param message what failed, with the facts that explain it.
     * @param cause   the underlying failure.
     */
    public IpcException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
