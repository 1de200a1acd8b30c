package dev.ipckit.pipe;

import dev.ipckit.internal.PropertyValues;

/**
 * The pipe layer's tunables: how a receive waits, how a streaming sender batches, how large a
 * connection's buffers are. Each is a system property name and its default, read when a
 * {@link Connection} is created, so a property set before that takes effect. The largest message is
 * the codec layer's ({@link dev.ipckit.codec.CodecConfiguration}).
 * <p>
 * <b>Note:</b> thread-safe (stateless).
 */
public final class PipeConfiguration
{
    /**
     * How long, in nanoseconds, a receive busy-polls before it blocks in the kernel.
     * 0 blocks at once.
     */
    public static final String SPIN_NANOS_PROP_NAME = "ipckit.pipe.spinNanos";

    /**
     * Default {@link #SPIN_NANOS_PROP_NAME}: 50 µs. A blocked receive costs a kernel wake-up of
     * 12–80 µs (machine dependent) on top of the data's arrival; a reply that comes back within
     * the budget costs a busy-polled 4–5 µs round trip instead. Spinning for about one wake-up's
     * cost is at worst twice the optimal CPU spend, and an idle receiver blocks after 50 µs, so it
     * burns no core.
     */
    public static final long SPIN_NANOS_DEFAULT = 50_000;

    /**
     * Window, in nanoseconds, within which a sender that is streaming (sending again without
     * receiving in between) lets messages gather into one write. 0 writes every message at once.
     */
    public static final String COALESCE_NANOS_PROP_NAME = "ipckit.pipe.coalesceNanos";

    /**
     * Default {@link #COALESCE_NANOS_PROP_NAME}: 20 µs. A write system call costs about 1 µs; a
     * stream of small messages is sent in batches instead, at the price of at most this window
     * (plus the flusher's wake-up) of added delay for a message in the middle of a stream. A
     * message sent after a receive, or after a pause longer than the window, is written at once.
     */
    public static final long COALESCE_NANOS_DEFAULT = 20_000;

    /** Size in bytes of each connection's read buffer and write buffer (both off-heap). */
    public static final String BUFFER_SIZE_PROP_NAME = "ipckit.pipe.bufferSize";

    /**
     * How long, in milliseconds, closing a connection waits for its peer to take what a sender
     * left buffered, while the peer reads nothing: a peer that keeps reading gets everything.
     */
    public static final String CLOSE_TIMEOUT_MILLIS_PROP_NAME = "ipckit.pipe.closeTimeoutMillis";

    /** Default {@link #CLOSE_TIMEOUT_MILLIS_PROP_NAME}: 10 s. */
    public static final long CLOSE_TIMEOUT_MILLIS_DEFAULT = 10_000;

    /** Default {@link #BUFFER_SIZE_PROP_NAME}: 64 KiB. */
    public static final int BUFFER_SIZE_DEFAULT = 64 * 1024;

    private PipeConfiguration()
    {
    }

    /**
     * @return {@value #SPIN_NANOS_PROP_NAME}, default {@link #SPIN_NANOS_DEFAULT}.
     * @throws IllegalArgumentException if the property is not a whole number, or is negative.
     */
    public static long spinNanos()
    {
        return PropertyValues.nonNegativeLong(SPIN_NANOS_PROP_NAME, SPIN_NANOS_DEFAULT);
    }

    /**
     * @return {@value #COALESCE_NANOS_PROP_NAME}, default {@link #COALESCE_NANOS_DEFAULT}.
     * @throws IllegalArgumentException if the property is not a whole number, or is negative.
     */
    public static long coalesceNanos()
    {
        return PropertyValues.nonNegativeLong(COALESCE_NANOS_PROP_NAME, COALESCE_NANOS_DEFAULT);
    }

    /**
     * @return {@value #BUFFER_SIZE_PROP_NAME}, default {@link #BUFFER_SIZE_DEFAULT}.
     * @throws IllegalArgumentException if the property is not a whole number in {@code 4096..67108864}.
     */
    public static int bufferSize()
    {
        return (int)PropertyValues.inRange(BUFFER_SIZE_PROP_NAME, 4096, 64 * 1024 * 1024,
            PropertyValues.longValue(BUFFER_SIZE_PROP_NAME, BUFFER_SIZE_DEFAULT));
    }

    /**
     * @return {@value #CLOSE_TIMEOUT_MILLIS_PROP_NAME}, default {@link #CLOSE_TIMEOUT_MILLIS_DEFAULT}.
     * @throws IllegalArgumentException if the property is not a whole number, or is negative.
     */
    public static long closeTimeoutMillis()
    {
        return PropertyValues.nonNegativeLong(CLOSE_TIMEOUT_MILLIS_PROP_NAME, CLOSE_TIMEOUT_MILLIS_DEFAULT);
    }
}
