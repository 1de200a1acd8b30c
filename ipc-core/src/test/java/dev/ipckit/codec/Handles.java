package dev.ipckit.codec;

/** A second handle of a shared primitive in this JVM, as another process would get it. */
public final class Handles
{
    private Handles()
    {
    }

    @SuppressWarnings("unchecked")
    public static <T> T copy(final T handle)
    {
        final byte[] bytes = Codec.standard().encode(handle);
        return (T)Codec.standard().decode(bytes, 0, bytes.length);
    }
}
