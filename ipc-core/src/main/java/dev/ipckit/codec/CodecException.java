package dev.ipckit.codec;

import dev.ipckit.IpcException;

/**
 * A value could not be encoded into a message, or a message could not be decoded into a value.
 * The message itself was consumed whole: the connection or queue it came from stays usable.
 */
public final class CodecException extends IpcException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, with the facts that explain it.
     * @param cause   the underlying failure, or {@code null}.
     */
    public CodecException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
