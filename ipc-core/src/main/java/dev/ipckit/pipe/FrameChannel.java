package dev.ipckit.pipe;

import dev.ipckit.IpcException;
import dev.ipckit.codec.CodecConfiguration;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * Length-prefixed frames over a non-blocking socket: the engine behind every {@link Connection}.
 * <p>
 * The stream starts with a {@link Hello} in each direction, then carries frames:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 Payload length (frame header)                 |
 *  +---------------------------------------------------------------+
 *  |                        Payload ...                           ...
 *  +---------------------------------------------------------------+
 * </pre>
 * All integers are big-endian.
 * <p>
 * This class owns the end's life and wires its parts: the {@link Rendezvous} that meets the peer,
 * the {@link FrameWriter} that buffers and coalesces frames (with the {@link Flusher}), the
 * {@link SocketInput} that buffers what arrives, and the {@link FrameReader} that parses the
 * peer's hello and frames from it.
 * <p>
 * <b>Note:</b> sending is serialised by one lock, receiving by another, so one thread may send
 * while another receives. Closing is safe from any thread.
 */
final class FrameChannel
{
    static final int HEADER_LENGTH = 4;

    static
    {
        Flusher.init();
    }

    private final String name;
    private final int maxMessageSize;
    private final Rendezvous rendezvous;
    private final FrameWriter writer;
    private final SocketInput input;
    private final FrameReader reader;

    private volatile boolean closed; // volatile: set by any thread, read by any thread
    private Runnable onRelease; // set before the channel is shared, then guarded by the writer's lock

    private FrameChannel(
        final String name,
        final SocketChannel channel,
        final ServerSocketChannel listener,
        final Path listenerPath,
        final Rendezvous.PeerWatch peerWatch,
        final short flags,
        final Options options)
    {
        this.name = name;
        this.maxMessageSize = options.maxMessageSize;
        this.rendezvous = new Rendezvous(this, channel, listener, listenerPath, peerWatch);
        this.writer = new FrameWriter(this, rendezvous, flags, options);
        this.input = new SocketInput(this, rendezvous, options);
        this.reader = new FrameReader(this, writer, input);
    }

    /** Sizes and budgets of a channel, fixed when it is made (the spin budget can change later). */
    static final class Options
    {
        final int maxMessageSize;
        final int bufferSize;
        final long spinNanos;
        final long coalesceNanos;

        Options(final int maxMessageSize, final int bufferSize, final long spinNanos, final long coalesceNanos)
        {
            this.maxMessageSize = maxMessageSize;
            this.bufferSize = bufferSize;
            this.spinNanos = spinNanos;
            this.coalesceNanos = coalesceNanos;
        }

        static Options fromConfiguration()
        {
            return new Options(
                CodecConfiguration.maxMessageSize(),
                PipeConfiguration.bufferSize(),
                PipeConfiguration.spinNanos(),
                PipeConfiguration.coalesceNanos());
        }
    }

    /**
     * Connects to a listening Unix socket.
     *
     * @return the channel, or {@code null} if nothing listens at {@code socket} (missing or refused).
     */
    static FrameChannel connect(final String name, final Path socket, final short flags, final Options options)
        throws IOException
    {
        final SocketChannel channel = Rendezvous.connect(socket);
        return null == channel ? null : wrap(name, channel, flags, options);
    }

    /**
     * Binds a listening Unix socket whose first connection becomes this channel's peer.
     *
     * @return the channel, or {@code null} if {@code socket} exists already.
     */
    static FrameChannel listen(
        final String name, final Path socket, final Rendezvous.PeerWatch peerWatch, final Options options)
        throws IOException
    {
        final ServerSocketChannel listener = Rendezvous.bind(socket);
        if (null == listener)
        {
            return null;
        }
        try
        {
            return new FrameChannel(name, null, listener, socket, peerWatch, (short)0, options);
        }
        catch (final RuntimeException ex)
        {
            listener.close();
            throw ex;
        }
    }

    /**
     * Wraps a connected socket, of {@link Listener}, {@link Client} or {@link #connect}, and sends
     * the hello.
     */
    static FrameChannel wrap(final String name, final SocketChannel channel, final short flags, final Options options)
        throws IOException
    {
        try
        {
            channel.configureBlocking(false);
            final FrameChannel wrapped = new FrameChannel(name, channel, null, null, null, flags, options);
            wrapped.writer.sayHello();
            return wrapped;
        }
        catch (final IOException | RuntimeException ex)
        {
            channel.close();
            throw ex;
        }
    }

    void onRelease(final Runnable action)
    {
        final Runnable before = onRelease;
        onRelease = null == before ? action : () ->
        {
            before.run();
            action.run();
        };
    }

    String name()
    {
        return name;
    }

    long peerPid()
    {
        return reader.peerPid();
    }

    boolean peerAuthenticates()
    {
        return reader.peerAuthenticates();
    }

    String describePeer()
    {
        return reader.describePeer();
    }

    /**
     * Makes the first receive fail with {@link AuthenticationException} if the peer's hello says
     * it authenticates: a client without a key does not wait for the hello in {@code connect}.
     */
    void refusePeerThatAuthenticates()
    {
        reader.refusePeerThatAuthenticates();
    }

    int maxMessageSize()
    {
        return maxMessageSize;
    }

    long spinNanos()
    {
        return input.spinNanos();
    }

    void spinNanos(final long nanos)
    {
        if (nanos < 0)
        {
            throw new IllegalArgumentException("spinNanos must not be negative, spinNanos=" + nanos);
        }
        input.spinNanos(nanos);
    }

    boolean isClosed()
    {
        return closed;
    }

    void send(final byte[] src, final int offset, final int length) throws IOException
    {
        send(ByteBuffer.wrap(src, offset, length));
    }

    void send(final ByteBuffer src) throws IOException
    {
        final int length = src.remaining();
        if (length > maxMessageSize)
        {
            throw new IpcException("message length=" + length + " exceeds maxMessageSize=" + maxMessageSize +
                " (" + CodecConfiguration.MAX_MESSAGE_SIZE_PROP_NAME + ") on " + name);
        }
        writer.send(src);
    }

    byte[] receiveBytes(final int maxLength) throws IOException
    {
        return reader.receiveBytes(maxLength);
    }

    /**
     * Receives one frame within a deadline that covers all of it.
     *
     * @return the frame, or {@code null} if it did not arrive whole in time (close the channel).
     */
    byte[] receiveBytesWithin(final int maxLength, final long timeoutNanos) throws IOException
    {
        return reader.receiveBytesWithin(maxLength, timeoutNanos);
    }

    int receiveInto(final byte[] dst, final int offset) throws IOException
    {
        return reader.receiveInto(dst, offset, maxMessageSize);
    }

    boolean poll(final long timeoutNanos) throws IOException
    {
        return reader.poll(timeoutNanos);
    }

    /**
     * Waits for the peer's hello, which carries its pid and flags.
     *
     * @return false if it did not come within the timeout.
     */
    boolean awaitHello(final long timeoutNanos) throws IOException
    {
        return reader.awaitHello(timeoutNanos);
    }

    /**
     * Closes this end. What a streaming sender buffered is delivered first: this waits while the
     * peer takes it (it may not have connected yet), for as long as the peer keeps reading, and up to
     * {@link PipeConfiguration#CLOSE_TIMEOUT_MILLIS_PROP_NAME} while it reads nothing. What
     * cannot be delivered, because the peer has gone or stopped reading, is dropped and logged
     * ({@code WARNING}); the socket is closed either way.
     *
     * @throws IpcException if the peer stopped reading: buffered bytes were dropped.
     */
    void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        input.wakeup();
        writer.wakeup();
        rendezvous.wakeup();
        writer.closeDelivering();
    }

    /** Closes at once, dropping anything buffered: the stream can no longer be trusted. */
    void closeAfterProtocolError()
    {
        closed = true;
        writer.closeDropping();
    }

    /**
     * Closes the sockets and selectors, and runs the release actions once; the writer calls it
     * under its lock, so that no send is half-way through a write.
     */
    void release()
    {
        rendezvous.close();
        input.closeSelector();
        writer.closeSelector();
        final Runnable action = onRelease;
        onRelease = null;
        if (null != action)
        {
            action.run();
        }
    }

    @Override
    public String toString()
    {
        return name;
    }
}
