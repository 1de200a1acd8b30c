package dev.ipckit.codec;

import dev.ipckit.internal.PropertyValues;

/**
 * The message layer's tunables: how large a message may be and what decoding accepts. Each is a
 * system property name and its default, read when the object that uses it is created (a
 * {@code Connection}, a queue, the first {@link SerializationCodec#standard()}).
 * <p>
 * <b>Note:</b> thread-safe (stateless).
 */
public final class CodecConfiguration
{
    /** Largest message, in bytes, that a pipe or queue accepts. */
    public static final String MAX_MESSAGE_SIZE_PROP_NAME = "ipckit.maxMessageSize";

    /** Default {@link #MAX_MESSAGE_SIZE_PROP_NAME}: 256 MiB. */
    public static final int MAX_MESSAGE_SIZE_DEFAULT = 256 * 1024 * 1024;

    /**
     * An {@link java.io.ObjectInputFilter} pattern (the JDK's syntax, e.g.
     * {@code "java.base/*;com.example.**;!*"}) that decoded classes must pass. Unset: every class
     * on the class path is allowed, within the depth and size limits.
     */
    public static final String SERIAL_FILTER_PROP_NAME = "ipckit.serialFilter";

    /**
     * Deepest object graph that decoding accepts. Nested collections cost time exponential in
     * their depth to decode (a set of sets of sets whose hash codes are computed again at each
     * level), so the default is low: deep enough for an exception with 20 causes or a
     * {@code Map<String, List<Map<...>>>} ten levels deep.
     */
    public static final String SERIAL_MAX_DEPTH_PROP_NAME = "ipckit.serialMaxDepth";

    /** Default {@link #SERIAL_MAX_DEPTH_PROP_NAME}. */
    public static final long SERIAL_MAX_DEPTH_DEFAULT = 24;

    /**
     * Most object references (objects, classes, back-references) one decoded message may hold:
     * bounds the heap a message of a given size can make decoding take.
     */
    public static final String SERIAL_MAX_REFS_PROP_NAME = "ipckit.serialMaxRefs";

    /** Default {@link #SERIAL_MAX_REFS_PROP_NAME}. */
    public static final long SERIAL_MAX_REFS_DEFAULT = 10_000_000;

    private CodecConfiguration()
    {
    }

    /**
     * @return {@value #MAX_MESSAGE_SIZE_PROP_NAME}, default {@link #MAX_MESSAGE_SIZE_DEFAULT}.
     * @throws IllegalArgumentException if the property is not a whole number in
     * {@code 0..Integer.MAX_VALUE - 8}.
     */
    public static int maxMessageSize()
    {
        return (int)PropertyValues.inRange(MAX_MESSAGE_SIZE_PROP_NAME, 0, Integer.MAX_VALUE - 8,
            PropertyValues.longValue(MAX_MESSAGE_SIZE_PROP_NAME, MAX_MESSAGE_SIZE_DEFAULT));
    }

    /**
     * @return {@value #SERIAL_FILTER_PROP_NAME}, or {@code null} when unset.
     */
    public static String serialFilter()
    {
        final String value = System.getProperty(SERIAL_FILTER_PROP_NAME);
        return null == value || value.isBlank() ? null : value;
    }

    /**
     * @return {@value #SERIAL_MAX_DEPTH_PROP_NAME}, default {@link #SERIAL_MAX_DEPTH_DEFAULT}.
     * @throws IllegalArgumentException if the property is not a whole number, or is negative.
     */
    public static long serialMaxDepth()
    {
        return PropertyValues.nonNegativeLong(SERIAL_MAX_DEPTH_PROP_NAME, SERIAL_MAX_DEPTH_DEFAULT);
    }

    /**
     * @return {@value #SERIAL_MAX_REFS_PROP_NAME}, default {@link #SERIAL_MAX_REFS_DEFAULT}.
     * @throws IllegalArgumentException if the property is not a whole number, or is negative.
     */
    public static long serialMaxRefs()
    {
        return PropertyValues.nonNegativeLong(SERIAL_MAX_REFS_PROP_NAME, SERIAL_MAX_REFS_DEFAULT);
    }
}
