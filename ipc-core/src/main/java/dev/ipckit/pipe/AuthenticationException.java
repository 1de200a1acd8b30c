package dev.ipckit.pipe;

import dev.ipckit.IpcException;

/**
 * The two sides of a {@link Listener} connection do not share the authentication key, or one side
 * gave a key and the other none. Thrown by {@link Listener#accept()} and {@link Client#connect};
 * the connection is closed, the listener stays usable.
 */
public final class AuthenticationException extends IpcException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what did not match.
     */
    public AuthenticationException(final String message)
    {
        super(message);
    }
}
