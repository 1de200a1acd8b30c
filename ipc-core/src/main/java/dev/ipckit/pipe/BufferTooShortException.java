package dev.ipckit.pipe;

import dev.ipckit.IpcException;

/**
 * The buffer given to {@link Connection#recvBytesInto(byte[], int)} was too small for the message.
 * The message was consumed whole and is carried here, so nothing is lost and the connection stays
 * in step.
 */
public final class BufferTooShortException extends IpcException
{
    private static final long serialVersionUID = 1L;

    /** The whole message. */
    private final byte[] data;

    /**
     * @param data      the whole message.
     * @param available how many bytes the caller's buffer had room for.
     */
    public BufferTooShortException(final byte[] data, final int available)
    {
        super("buffer too short: message length=" + data.length + ", room=" + available);
        this.data = data;
    }

    /**
     * @return the whole message that did not fit (not a copy).
     */
    public byte[] data()
    {
        return data;
    }
}
