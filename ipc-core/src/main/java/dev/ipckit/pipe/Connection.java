package dev.ipckit.pipe;

import dev.ipckit.codec.Codec;
import dev.ipckit.codec.CodecConfiguration;
import dev.ipckit.internal.ExitHooks;

import java.io.EOFException;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;

/**
 * One end of a {@link Pipe}, or a connection made by {@link Listener#accept()} or
 * {@link Client#connect}: Python's {@code multiprocessing.connection.Connection}.
 * <p>
 * Messages are whole: each {@code send} is received by exactly one {@code recv}, in order.
 * {@link #send(Object)} encodes with the connection's {@link Codec} (Java serialization by
 * default); {@link #sendBytes(byte[])} sends raw bytes. A message may be up to
 * {@link CodecConfiguration#MAX_MESSAGE_SIZE_PROP_NAME} bytes (256 MiB by default).
 * <p>
 * A pipe end is {@code Serializable} as a small handle: pass it to a child process (inside the
 * task lambda) and it attaches there, lazily, on first use. An end is attached by one process at a
 * time; attaching an end that another live process holds throws {@link dev.ipckit.IpcException}.
 * As in CPython, close the copy of an end that this process does not use: an open, unattached copy
 * keeps the traces of a peer that died, so that the end can still report it; closing lets them go.
 * Connections from {@link Listener} and {@link Client} cannot be passed on.
 * <p>
 * A shared primitive (a queue, a {@code Shared*} value, a lock) sent in a message attaches where
 * the message is received; the sender keeps its own handle of it open until then, as the
 * receiver is not known when it is sent. (One captured by a child's task or a pool job needs no
 * such care: it stays alive for that child.)
 * <p>
 * A receive spins on the socket for {@link #spinNanos()} before it blocks. A sender that streams
 * (sends again without receiving in between) has its messages coalesced into fewer writes
 * ({@link PipeConfiguration#COALESCE_NANOS_PROP_NAME}); every message is still delivered, and
 * {@link #close()} delivers what is buffered before the socket closes, or says what it dropped.
 * <p>
 * <b>Note:</b> one thread may send while another receives; concurrent senders (or receivers) are
 * serialised. {@link #close()} may be called from any thread; a receive blocked in another thread
 * then fails with {@link java.nio.channels.AsynchronousCloseException}. Using a closed end throws
 * {@link IllegalStateException}.
 */
public final class Connection implements AutoCloseable, Serializable
{
    private static final long serialVersionUID = 1L;

    private final transient PipeEnd end;
    private final transient Object attachLock;
    private final transient String description;
    private final transient boolean readable;
    private final transient boolean writable;
    private transient volatile FrameChannel channel;
    private transient volatile boolean closed;
    private transient volatile boolean exported;
    private transient volatile long spinNanos = -1;
    private transient volatile Codec codec = Codec.standard();
    private transient Connection sibling;
    private transient boolean held;

    Connection(final PipeEnd end, final Object attachLock)
    {
        this.end = end;
        this.attachLock = null == attachLock ? new Object() : attachLock;
        this.description = end.toString();
        this.readable = end.readable();
        this.writable = end.writable();
        this.held = true;
        end.hold();
    }

    Connection(final FrameChannel channel, final String description)
    {
        this.end = null;
        this.attachLock = new Object();
        this.description = description;
        this.readable = true;
        this.writable = true;
        this.channel = channel;
        channel.onRelease(() -> ExitHooks.unregister(this));
        ExitHooks.register(this);
    }

    static void pair(final Connection left, final Connection right)
    {
        left.sibling = right;
        right.sibling = left;
    }

    /**
     * Sends an object, encoded by this connection's codec. Does not wait for the peer to receive.
     * A shared primitive in the object needs this process's handle of it open until the peer has
     * received it.
     *
     * @param obj any object the codec supports ({@code Serializable}, or {@code null}).
     * @throws IOException                      if the peer has gone.
     * @throws dev.ipckit.codec.CodecException   if the object cannot be encoded.
     * @throws dev.ipckit.IpcException           if the encoded message exceeds the maximum size.
     * @throws IllegalStateException            if this end is closed or cannot send.
     */
    public void send(final Object obj) throws IOException
    {
        checkWritable();
        final byte[] message = codec.encode(obj);
        channel().send(message, 0, message.length);
    }

    /**
     * Receives the next object, blocking until one arrives.
     *
     * @param <T> the expected type; a mismatch shows as {@link ClassCastException} at the caller.
     * @return the object, which may be {@code null}.
     * @throws EOFException                    if the peer has closed and nothing is left to read.
     * @throws java.io.InterruptedIOException   if the thread is interrupted while waiting; the
     *                                         interrupt status stays set and nothing is consumed.
     * @throws IOException                     on another I/O failure.
     * @throws dev.ipckit.codec.CodecException  if the message cannot be decoded; it is consumed.
     * @throws IllegalStateException           if this end is closed or cannot receive.
     */
    @SuppressWarnings("unchecked")
    public <T> T recv() throws IOException
    {
        checkReadable();
        final FrameChannel ch = channel();
        final byte[] message = ch.receiveBytes(ch.maxMessageSize());
        return (T)codec.decode(message, 0, message.length);
    }

    /**
     * Sends all of {@code buf} as one message.
     *
     * @param buf the bytes; may be empty.
     * @throws IOException           if the peer has gone.
     * @throws IllegalStateException if this end is closed or cannot send.
     */
    public void sendBytes(final byte[] buf) throws IOException
    {
        sendBytes(buf, 0, buf.length);
    }

    /**
     * Sends {@code len} bytes of {@code buf} from {@code off} as one message.
     *
     * @param buf the bytes.
     * @param off where the message starts.
     * @param len how many bytes; may be 0.
     * @throws IndexOutOfBoundsException if the slice is not inside {@code buf}.
     * @throws IOException               if the peer has gone.
     * @throws IllegalStateException     if this end is closed or cannot send.
     */
    public void sendBytes(final byte[] buf, final int off, final int len) throws IOException
    {
        Objects.checkFromIndexSize(off, len, buf.length);
        checkWritable();
        channel().send(buf, off, len);
    }

    /**
     * Sends the remaining bytes of {@code buf} as one message and advances its position to its limit.
     *
     * @param buf the bytes between position and limit.
     * @throws IOException           if the peer has gone.
     * @throws IllegalStateException if this end is closed or cannot send.
     */
    public void sendBytes(final ByteBuffer buf) throws IOException
    {
        checkWritable();
        channel().send(buf);
    }

    /**
     * Receives the next message as bytes, blocking until one arrives.
     *
     * @return the message.
     * @throws EOFException  if the peer has closed and nothing is left to read.
     * @throws IOException   on another I/O failure, or interrupt (as for {@link #recv()}).
     * @throws dev.ipckit.IpcException if the message exceeds the maximum message size; the
     *                      connection is then closed.
     */
    public byte[] recvBytes() throws IOException
    {
        checkReadable();
        final FrameChannel ch = channel();
        return ch.receiveBytes(ch.maxMessageSize());
    }

    /**
     * Receives the next message as bytes, refusing one longer than {@code maxLength}.
     *
     * @param maxLength the longest message accepted.
     * @return the message.
     * @throws dev.ipckit.IpcException   if the message is longer; the connection is then closed,
     *                                  as Python's {@code recv_bytes(maxlength)} does.
     * @throws IllegalArgumentException if {@code maxLength} is negative.
     * @throws EOFException             if the peer has closed and nothing is left to read.
     * @throws IOException              on another I/O failure.
     */
    public byte[] recvBytes(final int maxLength) throws IOException
    {
        if (maxLength < 0)
        {
            throw new IllegalArgumentException("maxLength must not be negative, maxLength=" + maxLength);
        }
        checkReadable();
        return channel().receiveBytes(maxLength);
    }

    /**
     * Receives the next message into {@code buf}.
     *
     * @param buf where to put it.
     * @return the message length.
     * @throws BufferTooShortException if it does not fit; the exception carries the whole message.
     * @throws EOFException            if the peer has closed and nothing is left to read.
     * @throws IOException             on another I/O failure.
     */
    public int recvBytesInto(final byte[] buf) throws IOException
    {
        return recvBytesInto(buf, 0);
    }

    /**
     * Receives the next message into {@code buf} from {@code off}.
     *
     * @param buf where to put it.
     * @param off where in {@code buf} it starts.
     * @return the message length.
     * @throws IndexOutOfBoundsException if {@code off} is outside {@code 0..buf.length}.
     * @throws BufferTooShortException   if it does not fit; the exception carries the whole message.
     * @throws EOFException              if the peer has closed and nothing is left to read.
     * @throws IOException               on another I/O failure.
     */
    public int recvBytesInto(final byte[] buf, final int off) throws IOException
    {
        Objects.checkIndex(off, buf.length + 1);
        checkReadable();
        return channel().receiveInto(buf, off);
    }

    /**
     * @return whether a message (or the end of the stream) can be received without waiting.
     * @throws IOException           on an I/O failure.
     * @throws IllegalStateException if this end is closed or cannot receive.
     */
    public boolean poll() throws IOException
    {
        return poll(Duration.ZERO);
    }

    /**
     * Waits up to {@code timeout} for data (or the end of the stream) to arrive.
     *
     * @param timeout how long to wait; zero or negative does not wait.
     * @return whether data can be received, or the peer has closed.
     * @throws java.io.InterruptedIOException if the thread is interrupted while waiting.
     * @throws IOException                    on another I/O failure.
     * @throws IllegalStateException          if this end is closed or cannot receive.
     */
    public boolean poll(final Duration timeout) throws IOException
    {
        checkReadable();
        final long nanos = timeout.isNegative() ? 0 : saturatedNanos(timeout);
        return channel().poll(nanos);
    }

    /**
     * Closes this end. What was sent is delivered first, then the peer sees the end of the stream:
     * a message {@code send} left buffered is written as the peer takes it, waiting for as long as
     * the peer keeps reading, and up to {@link PipeConfiguration#CLOSE_TIMEOUT_MILLIS_PROP_NAME}
     * (10 s) while it reads nothing. Bytes that cannot be delivered, because the peer has gone or
     * stopped reading, are dropped and logged as a {@code WARNING} on the
     * {@code dev.ipckit.pipe.FrameChannel} logger. Idempotent. Closing an end this process never
     * used only marks this object closed. At JVM exit, open ends are closed the same way.
     *
     * @throws dev.ipckit.IpcException if the peer stopped reading before it took what was
     *                                 buffered; the end is closed all the same.
     */
    @Override
    public void close()
    {
        final FrameChannel attached;
        synchronized (attachLock)
        {
            if (closed)
            {
                return;
            }
            closed = true;
            attached = channel;
            releaseHold();
        }
        try
        {
            if (null != attached)
            {
                attached.close();
            }
        }
        finally
        {
            ExitHooks.unregister(this);
        }
    }

    /**
     * @return whether {@link #close()} was called, or a protocol error (such as a message over
     * {@code maxLength}) closed the connection.
     */
    public boolean isClosed()
    {
        final FrameChannel ch = channel;
        return closed || (null != ch && ch.isClosed());
    }

    /**
     * @return whether this end can receive (false for the send-only end of a half-duplex pipe).
     */
    public boolean isReadable()
    {
        return readable;
    }

    /**
     * @return whether this end can send (false for the receive-only end of a half-duplex pipe).
     */
    public boolean isWritable()
    {
        return writable;
    }

    /**
     * @return how long, in nanoseconds, a receive busy-polls before it blocks.
     */
    public long spinNanos()
    {
        final FrameChannel ch = channel;
        if (null != ch)
        {
            return ch.spinNanos();
        }
        final long configured = spinNanos;
        return configured >= 0 ? configured : PipeConfiguration.spinNanos();
    }

    /**
     * Sets how long a receive on this end busy-polls before it blocks in the kernel; 0 blocks at
     * once. Applies to this process's use of the end only.
     *
     * @param nanos the spin budget in nanoseconds.
     * @return this connection.
     * @throws IllegalArgumentException if {@code nanos} is negative.
     */
    public Connection spinNanos(final long nanos)
    {
        if (nanos < 0)
        {
            throw new IllegalArgumentException("spinNanos must not be negative, spinNanos=" + nanos);
        }
        synchronized (attachLock)
        {
            spinNanos = nanos;
            final FrameChannel ch = channel;
            if (null != ch)
            {
                ch.spinNanos(nanos);
            }
        }
        return this;
    }

    /**
     * @return the codec of {@link #send(Object)} and {@link #recv()} in this process.
     */
    public Codec codec()
    {
        return codec;
    }

    /**
     * Sets the codec of {@link #send(Object)} and {@link #recv()} in this process; both ends must
     * use codecs that understand each other.
     *
     * @param codec the codec.
     * @return this connection.
     */
    public Connection codec(final Codec codec)
    {
        this.codec = Objects.requireNonNull(codec, "codec");
        return this;
    }

    @Override
    public String toString()
    {
        final FrameChannel ch = channel;
        final String state = closed ? "closed" : null == ch ? "not attached" : "attached";
        final long peer = null == ch ? -1 : ch.peerPid();
        return "Connection{" + description + ", " + state + (peer > 0 ? ", peerPid=" + peer : "") + '}';
    }

    void attachAsSibling() throws IOException
    {
        synchronized (attachLock)
        {
            if (!closed && !exported && null == channel)
            {
                channel = attachNow(null);
                releaseHold();
            }
        }
    }

    private FrameChannel channel() throws IOException
    {
        final FrameChannel ch = channel;
        if (null != ch)
        {
            return ch;
        }
        synchronized (attachLock)
        {
            checkOpen();
            if (null == channel)
            {
                final Connection local = sibling;
                channel = attachNow(null != local && !local.exported ? local : null);
            releaseHold();
            }
            return channel;
        }
    }

    private FrameChannel attachNow(final Connection localSibling) throws IOException
    {
        final FrameChannel.Options options = FrameChannel.Options.fromConfiguration();
        final FrameChannel attached = end.attach(localSibling, options);
        if (spinNanos >= 0)
        {
            attached.spinNanos(spinNanos);
        }
        attached.onRelease(() -> ExitHooks.unregister(this));
        ExitHooks.register(this);
        return attached;
    }

    /**
     * While an end object is open in this JVM and has not attached, it may still attach here and
     * then needs its peer's traces (the peer's claim shows whether the peer died), so this JVM's
     * sweeps keep them; closing the object lets them go, as closing an unused copy of a pipe end
     * does in CPython.
     */
    private void releaseHold()
    {
        if (held)
        {
            held = false;
            end.release();
        }
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("connection is closed: " + description);
        }
    }

    private void checkReadable()
    {
        checkOpen();
        if (!readable)
        {
            throw new IllegalStateException("connection is send-only: " + description);
        }
    }

    private void checkWritable()
    {
        checkOpen();
        if (!writable)
        {
            throw new IllegalStateException("connection is receive-only: " + description);
        }
    }

    private static long saturatedNanos(final Duration timeout)
    {
        try
        {
            return timeout.toNanos();
        }
        catch (final ArithmeticException ex)
        {
            return Long.MAX_VALUE;
        }
    }

    /**
     * @return the end's handle, which attaches to the same end in the process that reads it.
     * @throws ObjectStreamException if this connection was made by a {@link Listener} or {@link Client}.
     */
    private Object writeReplace() throws ObjectStreamException
    {
        if (null == end)
        {
            throw new NotSerializableException(
                "a connection made by Listener or Client cannot be passed to another process; pass a Pipe end: " +
                description);
        }
        exported = true;
        return end;
    }
}
