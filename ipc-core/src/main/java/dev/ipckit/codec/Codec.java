package dev.ipckit.codec;

/**
 * Turns the objects that {@code send} and {@code put} take into the bytes of one message, and back.
 * <p>
 * <b>Note:</b> implementations must be thread-safe; one instance serves every connection and
 * queue of a JVM.
 */
public interface Codec
{
    /**
     * @param value any object the codec supports, {@code null} included.
     * @return the bytes of one message; the caller owns the array.
     * @throws CodecException if the value cannot be encoded (for Java serialization: it, or
     *                        something it refers to, is not {@code Serializable}).
     */
    byte[] encode(Object value);

    /**
     * @param data   bytes written by {@link #encode(Object)} of the same kind of codec.
     * @param offset where the message starts in {@code data}.
     * @param length how many bytes it has.
     * @return the object.
     * @throws CodecException if the bytes are corrupt, name a class this JVM does not have, or
     *                        are refused by the codec's limits.
     * @throws dev.ipckit.IpcException if the message holds a handle of a shared primitive that
     *                        cannot be attached here (every process that held it let go of it).
     */
    Object decode(byte[] data, int offset, int length);

    /**
     * @return the default codec: {@link SerializationCodec} configured from system properties.
     */
    static Codec standard()
    {
        return SerializationCodec.standard();
    }
}
