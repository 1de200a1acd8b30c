package dev.ipckit.pipe;

import dev.ipckit.IpcException;
import dev.ipckit.codec.CodecConfiguration;
import dev.ipckit.internal.ProcessIdentity;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Length-prefixed frames over a non-blocking Unix domain socket: the engine behind every
 * {@link Connection}.
 * <p>
 * The stream starts with a 16-byte hello in each direction, then carries frames:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                     Magic "IPK1" (hello)                      |
 *  +-------------------------------+-------------------------------+
 *  |       Protocol version        |            Flags              |
 *  +-------------------------------+-------------------------------+
 *  |                     Sender pid (64 bits)                      |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Payload length (frame header)                 |
 *  +---------------------------------------------------------------+
 *  |                        Payload ...                           ...
 *  +---------------------------------------------------------------+
 * </pre>
 * All integers are big-endian.
 * <p>
 * Reading busy-polls the socket for {@code spinNanos}, then blocks in a selector. Writing goes
 * through an off-heap buffer: a message is written at once unless the sender is streaming (it sent
 * within {@code coalesceNanos} and has not received since), in which case messages gather in the
 * buffer and the {@link Flusher} or the next receive writes them in one system call. A listening
 * end may buffer messages before its peer has connected; the flusher delivers them on accept.
 * <p>
 * <b>Note:</b> sending is serialised by one lock, receiving by another, so one thread may send
 * while another receives. Closing is safe from any thread.
 */
final class FrameChannel
{
    static final int HEADER_LENGTH = 4;
    static final int HELLO_MAGIC = 0x49504B31;
    static final short PROTOCOL_VERSION = 1;
    static final int HELLO_LENGTH = 16;
    static final short FLAG_AUTHENTICATE = 1;
    static final int DONE = 2;
    static final int PROGRESS = 1;
    static final int NO_PROGRESS = 0;

    private static final long WAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final String STOPPED_READING = "the peer stopped reading";
    private static final int FIRST_BODY_CHUNK = 1 << 20;
    private static final long FOREVER = Long.MAX_VALUE;

    /** Tells a listening end whether its peer died before connecting. */
    interface PeerWatch
    {
        /**
         * @return a description of the dead peer, or {@code null} while it may still connect.
         */
        String deadPeer();
    }

    static
    {
        Flusher.init();
    }

    /** Made on first use: loading the logging provider slows a child's start. */
    private static final class Lazy
    {
        static final System.Logger LOGGER = System.getLogger(FrameChannel.class.getName());
    }

    private final String name;
    private final int maxMessageSize;
    private final long coalesceNanos;
    private volatile long spinNanos;

    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Object acceptLock = new Object();
    private final ByteBuffer in;
    private final ByteBuffer out;

    private volatile SocketChannel channel;
    private ServerSocketChannel listener;
    private Path listenerPath;
    private Selector acceptSelector;
    private final PeerWatch peerWatch;
    private Selector readSelector;
    private Selector writeSelector;

    private boolean helloRead;
    private boolean refusePeerThatAuthenticates;
    private long peerPid = -1;
    private short peerFlags;
    private boolean eof;
    private volatile boolean closed;
    private volatile boolean released;
    private volatile boolean dirty;
    private boolean scheduled;
    private boolean helloOnly = true;
    private IOException writeFailure;
    private long lastSendNanos;
    private int sendsSinceReceive;
    private Runnable onRelease;

    private FrameChannel(
        final String name,
        final SocketChannel channel,
        final ServerSocketChannel listener,
        final Path listenerPath,
        final PeerWatch peerWatch,
        final short flags,
        final Options options)
    {
        this.name = name;
        this.maxMessageSize = options.maxMessageSize;
        this.coalesceNanos = options.coalesceNanos;
        this.spinNanos = options.spinNanos;
        this.channel = channel;
        this.listener = listener;
        this.listenerPath = listenerPath;
        this.peerWatch = peerWatch;
        this.in = ByteBuffer.allocateDirect(options.bufferSize);
        this.in.limit(0);
        this.out = ByteBuffer.allocateDirect(options.bufferSize);
        this.out.putInt(HELLO_MAGIC).putShort(PROTOCOL_VERSION).putShort(flags).putLong(ProcessIdentity.currentPid());
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
     * Connects to a listening socket.
     *
     * @return the channel, or {@code null} if nothing listens at {@code socket} (missing or refused).
     */
    static FrameChannel connect(final String name, final Path socket, final short flags, final Options options)
        throws IOException
    {
        final SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try
        {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.configureBlocking(false);
            return new FrameChannel(name, channel, null, null, null, flags, options).sayHello();
        }
        catch (final ConnectException ex)
        {
            channel.close();
            return null;
        }
        catch (final SocketException ex)
        {
            channel.close();
            if (Files.notExists(socket))
            {
                return null;
            }
            throw socketFailure("connect to", socket, ex);
        }
        catch (final IOException | RuntimeException ex)
        {
            channel.close();
            throw ex;
        }
    }

    /**
     * Binds a listening socket whose first connection becomes this channel's peer.
     *
     * @return the channel, or {@code null} if {@code socket} exists already.
     */
    static FrameChannel listen(
        final String name, final Path socket, final PeerWatch peerWatch, final Options options) throws IOException
    {
        final ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try
        {
            listener.bind(UnixDomainSocketAddress.of(socket), 1);
            dev.ipckit.RuntimeDirectory.restrictToOwner(socket);
            listener.configureBlocking(false);
            return new FrameChannel(name, null, listener, socket, peerWatch, (short)0, options);
        }
        catch (final java.net.BindException ex)
        {
            listener.close();
            return null;
        }
        catch (final SocketException ex)
        {
            listener.close();
            throw socketFailure("bind", socket, ex);
        }
        catch (final IOException | RuntimeException ex)
        {
            listener.close();
            throw ex;
        }
    }

    /**
     * Wraps a socket accepted or connected by {@link Listener} or {@link Client}.
     */
    static FrameChannel wrap(final String name, final SocketChannel channel, final short flags, final Options options)
        throws IOException
    {
        try
        {
            channel.configureBlocking(false);
            return new FrameChannel(name, channel, null, null, null, flags, options).sayHello();
        }
        catch (final IOException | RuntimeException ex)
        {
            channel.close();
            throw ex;
        }
    }

    /**
     * Sends the hello at once, so that a peer waiting for it in a handshake gets it. A peer that
     * has already sent everything and closed makes this write fail; that is no reason to refuse
     * the connection, since what it sent is still there to read: the failure is kept for the next
     * send.
     */
    private FrameChannel sayHello()
    {
        writeLock.lock();
        try
        {
            try
            {
                flushOnce();
            }
            catch (final IOException peerGone)
            {
                return this;
            }
            if (out.position() > 0)
            {
                dirty = true;
                schedule();
            }
            return this;
        }
        finally
        {
            writeLock.unlock();
        }
    }

    static IpcException socketFailure(final String action, final Path socket, final SocketException ex)
    {
        final String reason = String.valueOf(ex.getMessage());
        if (reason.contains("too long"))
        {
            return new IpcException("cannot " + action + " socket path=" + socket + ": a Unix socket path has at most " +
                "107 bytes, length=" + socket.toString().length() +
                " (set -D" + dev.ipckit.Configuration.DIR_PROP_NAME + " to a shorter directory)", ex);
        }
        return new IpcException("cannot " + action + " socket path=" + socket + ": " + reason, ex);
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
        return peerPid;
    }

    short peerFlags()
    {
        return peerFlags;
    }

    /**
     * Makes the first receive fail with {@link AuthenticationException} if the peer's hello says
     * it authenticates: a client without a key does not wait for the hello in {@code connect}.
     */
    void refusePeerThatAuthenticates()
    {
        refusePeerThatAuthenticates = true;
    }

    int maxMessageSize()
    {
        return maxMessageSize;
    }

    long spinNanos()
    {
        return spinNanos;
    }

    void spinNanos(final long nanos)
    {
        if (nanos < 0)
        {
            throw new IllegalArgumentException("spinNanos must not be negative, spinNanos=" + nanos);
        }
        spinNanos = nanos;
    }

    boolean isClosed()
    {
        return closed;
    }

    // ---------------------------------------------------------------- sending

    void send(final byte[] src, final int offset, final int length) throws IOException
    {
        send(ByteBuffer.wrap(src, offset, length));
    }

    void send(final ByteBuffer src) throws IOException
    {
        final int length = src.remaining();
        checkMessageLength(length);
        writeLock.lock();
        try
        {
            beginSend();
            if (out.remaining() < HEADER_LENGTH + length)
            {
                flushFully();
                if (out.capacity() < HEADER_LENGTH + length)
                {
                    out.putInt(length);
                    final int limit = src.limit();
                    while (src.hasRemaining())
                    {
                        src.limit(src.position() + Math.min(out.remaining(), src.remaining()));
                        out.put(src);
                        src.limit(limit);
                        flushFully();
                    }
                    endSend(true);
                    return;
                }
            }
            out.putInt(length).put(src);
            endSend(false);
        }
        finally
        {
            writeLock.unlock();
        }
    }

    private void checkMessageLength(final int length)
    {
        if (length > maxMessageSize)
        {
            throw new IpcException("message length=" + length + " exceeds maxMessageSize=" + maxMessageSize +
                " (" + CodecConfiguration.MAX_MESSAGE_SIZE_PROP_NAME + ") on " + name);
        }
    }

    private void beginSend() throws IOException
    {
        if (closed)
        {
            throw new IllegalStateException("connection is closed: " + name);
        }
        if (null != writeFailure)
        {
            throw writeFailure(writeFailure);
        }
        helloOnly = false;
    }

    private void endSend(final boolean flushed) throws IOException
    {
        final long now = System.nanoTime();
        final boolean streaming = sendsSinceReceive++ > 0 && now - lastSendNanos < coalesceNanos;
        lastSendNanos = now;
        if (flushed && 0 == out.position())
        {
            dirty = false;
            return;
        }
        dirty = true;
        if (!streaming && (null != channel || tryAccept()))
        {
            flushOnce();
        }
        if (out.position() > 0)
        {
            schedule();
        }
    }

    private void schedule()
    {
        if (!scheduled)
        {
            scheduled = true;
            Flusher.schedule(this);
        }
    }

    /** Writes what the socket takes now. Caller holds the write lock. */
    private void flushOnce() throws IOException
    {
        out.flip();
        try
        {
            channel.write(out);
        }
        catch (final IOException ex)
        {
            out.clear();
            dirty = false;
            writeFailure = ex;
            throw writeFailure(ex);
        }
        if (!out.hasRemaining())
        {
            out.clear();
            dirty = false;
        }
        else if (0 == out.position())
        {
            out.position(out.limit()).limit(out.capacity());
        }
        else
        {
            out.compact();
        }
    }

    /** Writes everything buffered, waiting for the peer (to connect, or to read) as long as it takes. */
    private void flushFully() throws IOException
    {
        while (out.position() > 0)
        {
            if (null == channel && !tryAccept())
            {
                awaitAccept(FOREVER, false);
                continue;
            }
            flushOnce();
            if (out.position() > 0)
            {
                awaitReady(writeSelector(), FOREVER, false);
            }
        }
    }

    /**
     * Called by the flusher: writes what the socket takes now, accepting the peer first if needed.
     * A closed end is done: its close delivered what it could.
     *
     * @return {@link #DONE} when the channel needs no more flushing, {@link #PROGRESS} if bytes
     * moved, {@link #NO_PROGRESS} otherwise.
     */
    int flushFromFlusher()
    {
        if (!writeLock.tryLock())
        {
            return NO_PROGRESS;
        }
        try
        {
            if (released || closed)
            {
                scheduled = false;
                return DONE;
            }
            final int before = out.position();
            if (before > 0 && null == writeFailure)
            {
                try
                {
                    if (null != channel || tryAccept())
                    {
                        flushOnce();
                    }
                    else
                    {
                        final String dead = peerWatch.deadPeer();
                        if (null != dead)
                        {
                            writeFailure = new EOFException(dead);
                        }
                    }
                }
                catch (final IOException ex)
                {
                    writeFailure = ex;
                }
            }

            if (0 == out.position() || null != writeFailure)
            {
                out.clear();
                dirty = false;
                scheduled = false;
                return DONE;
            }
            return out.position() < before ? PROGRESS : NO_PROGRESS;
        }
        finally
        {
            writeLock.unlock();
        }
    }

    /** Flushes what a streaming sender left, before this thread waits to receive. */
    private void flushBeforeReceive() throws IOException
    {
        sendsSinceReceive = 0;
        if (dirty && writeLock.tryLock())
        {
            try
            {
                if (out.position() > 0 && null == writeFailure && !closed && (null != channel || tryAccept()))
                {
                    try
                    {
                        flushOnce();
                    }
                    catch (final IOException ignore)
                    {
                        // the receive reports the dead peer; the next send reports the failure
                    }
                }
            }
            finally
            {
                writeLock.unlock();
            }
        }
    }

    private IOException writeFailure(final IOException cause)
    {
        final IOException failure = new IOException("cannot send on " + name + describePeer() + ": " + cause.getMessage());
        failure.initCause(cause);
        return failure;
    }

    // ---------------------------------------------------------------- receiving

    byte[] receiveBytes(final int maxLength) throws IOException
    {
        lockForReceive();
        try
        {
            return readBody(awaitFrame(maxLength));
        }
        finally
        {
            readLock.unlock();
        }
    }

    /**
     * Receives one frame within a deadline that covers all of it: a peer that sends its bytes
     * slowly cannot hold a handshake for longer.
     *
     * @return the frame, or {@code null} if it did not arrive whole in time (the stream is then out
     * of step: close it).
     */
    byte[] receiveBytesWithin(final int maxLength, final long timeoutNanos) throws IOException
    {
        lockForReceive();
        try
        {
            beginReceive();
            final long deadline = deadline(timeoutNanos);
            if (!helloRead && !readHello(deadline))
            {
                return null;
            }
            while (in.remaining() < HEADER_LENGTH)
            {
                if (eof)
                {
                    throw endOfStream(HEADER_LENGTH);
                }
                if (!fill(deadline, true) && in.remaining() < HEADER_LENGTH)
                {
                    return null;
                }
            }
            final int length = checkFrameLength(in.getInt(in.position()), maxLength);
            if (HEADER_LENGTH + length > in.capacity())
            {
                throw new IpcException("frame length=" + length + " exceeds this end's buffer on " + name);
            }
            while (in.remaining() < HEADER_LENGTH + length)
            {
                if (eof)
                {
                    throw endOfStream(HEADER_LENGTH + length);
                }
                if (!fill(deadline, true) && in.remaining() < HEADER_LENGTH + length)
                {
                    return null;
                }
            }
            in.position(in.position() + HEADER_LENGTH);
            final byte[] data = new byte[length];
            in.get(data);
            return data;
        }
        finally
        {
            readLock.unlock();
        }
    }

    int receiveInto(final byte[] dst, final int offset) throws IOException
    {
        lockForReceive();
        try
        {
            final int length = awaitFrame(maxMessageSize);
            final int room = dst.length - offset;
            if (length > room)
            {
                throw new BufferTooShortException(readBody(length), room);
            }
            readBody(dst, offset, length);
            return length;
        }
        finally
        {
            readLock.unlock();
        }
    }

    boolean poll(final long timeoutNanos) throws IOException
    {
        lockForReceive();
        try
        {
            beginReceive();
            final long deadline = deadline(timeoutNanos);
            if (!helloRead)
            {
                try
                {
                    if (!readHello(deadline))
                    {
                        return false;
                    }
                }
                catch (final EOFException endBeforeHello)
                {
                    return true;
                }
            }
            if (in.hasRemaining() || eof)
            {
                return true;
            }
            fill(deadline, true);
            return in.hasRemaining() || eof;
        }
        finally
        {
            readLock.unlock();
        }
    }

    /**
     * Waits for the peer's hello, which carries its pid and flags.
     *
     * @return false if it did not come within the timeout.
     */
    boolean awaitHello(final long timeoutNanos) throws IOException
    {
        lockForReceive();
        try
        {
            beginReceive();
            return helloRead || readHello(deadline(timeoutNanos));
        }
        finally
        {
            readLock.unlock();
        }
    }

    private void lockForReceive() throws InterruptedIOException
    {
        try
        {
            readLock.lockInterruptibly();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for another receiver on " + name);
        }
    }

    private void beginReceive() throws IOException
    {
        if (closed)
        {
            throw new IllegalStateException("connection is closed: " + name);
        }
        flushBeforeReceive();
    }

    /**
     * Waits for the next frame's header, and its whole body when it fits the buffer; interruptible
     * until then. Consumes the header.
     */
    private int awaitFrame(final int maxLength) throws IOException
    {
        beginReceive();
        if (!helloRead)
        {
            readHello(FOREVER);
        }
        while (in.remaining() < HEADER_LENGTH)
        {
            if (eof)
            {
                throw endOfStream(HEADER_LENGTH);
            }
            fill(FOREVER, true);
        }
        final int length = checkFrameLength(in.getInt(in.position()), maxLength);
        final int frame = HEADER_LENGTH + length;
        while (frame <= in.capacity() && in.remaining() < frame && !eof)
        {
            fill(FOREVER, true);
        }
        in.position(in.position() + HEADER_LENGTH);
        return length;
    }

    private int checkFrameLength(final int length, final int maxLength)
    {
        if (length < 0)
        {
            closeAfterProtocolError();
            throw new IpcException("corrupt frame on " + name + describePeer() + ": length=" + length +
                "; connection closed");
        }
        if (length > maxLength)
        {
            closeAfterProtocolError();
            throw new IpcException("message length=" + length + " exceeds maxLength=" + maxLength + " on " + name +
                describePeer() + "; connection closed");
        }
        return length;
    }

    /**
     * Reads a body into a new array. One longer than {@link #FIRST_BODY_CHUNK} grows as its bytes
     * arrive, so that a header that lies about the length costs no more memory than the bytes sent.
     */
    private byte[] readBody(final int length) throws IOException
    {
        if (length <= FIRST_BODY_CHUNK)
        {
            final byte[] data = new byte[length];
            readBody(data, 0, length);
            return data;
        }
        byte[] data = new byte[FIRST_BODY_CHUNK];
        int done = 0;
        while (done < length)
        {
            if (done == data.length)
            {
                data = Arrays.copyOf(data, (int)Math.min(length, 2L * data.length));
            }
            final int chunk = data.length - done;
            readBody(data, done, chunk);
            done += chunk;
        }
        return data;
    }

    private void readBody(final byte[] dst, final int offset, final int length) throws IOException
    {
        int done = 0;
        while (done < length)
        {
            if (!in.hasRemaining())
            {
                if (eof)
                {
                    throw new EOFException("peer closed " + name + describePeer() + " in the middle of a message: got " +
                        done + " of length=" + length + " bytes");
                }
                fill(FOREVER, false);
                continue;
            }
            final int chunk = Math.min(in.remaining(), length - done);
            in.get(dst, offset + done, chunk);
            done += chunk;
        }
    }

    private boolean readHello(final long deadline) throws IOException
    {
        while (in.remaining() < HELLO_LENGTH)
        {
            if (eof)
            {
                throw endOfStream(HELLO_LENGTH);
            }
            if (!fill(deadline, true))
            {
                return false;
            }
        }
        final int magic = in.getInt();
        final short version = in.getShort();
        final short flags = in.getShort();
        final long pid = in.getLong();
        if (HELLO_MAGIC != magic || PROTOCOL_VERSION != version)
        {
            closeAfterProtocolError();
            throw new IpcException("peer of " + name + " is not an ipckit connection (magic=0x" +
                Integer.toHexString(magic) + ", version=" + version + ", expected magic=0x" +
                Integer.toHexString(HELLO_MAGIC) + ", version=" + PROTOCOL_VERSION + "); connection closed");
        }
        peerFlags = flags;
        peerPid = pid;
        helloRead = true;
        if (refusePeerThatAuthenticates && 0 != (flags & FLAG_AUTHENTICATE))
        {
            closeAfterProtocolError();
            throw new AuthenticationException("peer of " + name + " requires an authKey, but none was given");
        }
        return true;
    }

    private EOFException endOfStream(final int needed)
    {
        if (in.hasRemaining())
        {
            return new EOFException("peer closed " + name + describePeer() + " in the middle of a message: got " +
                in.remaining() + " of at least " + needed + " bytes");
        }
        return new EOFException("peer closed " + name + describePeer());
    }

    private String describePeer()
    {
        return peerPid > 0 ? " (peer pid=" + peerPid + ")" : "";
    }

    /**
     * Reads at least one more byte, or sees the end of the stream.
     *
     * @return false if the deadline passed first.
     */
    private boolean fill(final long deadline, final boolean interruptible) throws IOException
    {
        if (null == channel && !awaitAccept(deadline, interruptible))
        {
            return false;
        }
        if (readOnce())
        {
            return true;
        }
        final long spinEnd = System.nanoTime() + Math.min(spinNanos, remaining(deadline));
        while (System.nanoTime() - spinEnd < 0)
        {
            Thread.onSpinWait();
            if (readOnce())
            {
                return true;
            }
        }
        while (true)
        {
            if (!awaitReady(readSelector(), deadline, interruptible))
            {
                return readOnce();
            }
            if (readOnce())
            {
                return true;
            }
        }
    }

    /** @return true if bytes arrived or the stream ended. */
    private boolean readOnce() throws IOException
    {
        if (!in.hasRemaining())
        {
            in.clear().limit(0);
        }
        else if (in.limit() == in.capacity())
        {
            in.compact().flip();
        }
        final int start = in.position();
        final int end = in.limit();
        in.position(end).limit(in.capacity());
        int read;
        try
        {
            read = channel.read(in);
        }
        catch (final ClosedChannelException ex)
        {
            in.limit(in.position()).position(start);
            throw closedWhileWaiting(ex);
        }
        catch (final IOException ex)
        {
            in.limit(in.position()).position(start);
            if (String.valueOf(ex.getMessage()).contains("reset"))
            {
                eof = true;
                return true;
            }
            throw ex;
        }
        in.limit(in.position()).position(start);
        if (read < 0)
        {
            eof = true;
            return true;
        }
        return read > 0;
    }

    // ---------------------------------------------------------------- waiting

    private static long deadline(final long timeoutNanos)
    {
        if (timeoutNanos == FOREVER)
        {
            return FOREVER;
        }
        final long deadline = System.nanoTime() + timeoutNanos;
        return deadline == FOREVER ? FOREVER - 1 : deadline;
    }

    private static long remaining(final long deadline)
    {
        return deadline == FOREVER ? FOREVER : deadline - System.nanoTime();
    }

    /**
     * Blocks in {@code selector} until its channel is ready, the deadline passes, the end is
     * closed, or (when {@code interruptible}) the thread is interrupted. An interrupt that may not
     * end the wait is kept for the caller. A selector closed under the waiter (another thread
     * accepted the peer) counts as ready: the caller looks again.
     *
     * @return false if the deadline passed.
     */
    private boolean awaitReady(final Selector selector, final long deadline, final boolean interruptible)
        throws IOException
    {
        boolean deferredInterrupt = false;
        try
        {
            while (true)
            {
                checkClosedWhileWaiting();
                if (Thread.currentThread().isInterrupted())
                {
                    if (interruptible)
                    {
                        throw new InterruptedIOException("interrupted while waiting on " + name);
                    }
                    deferredInterrupt = Thread.interrupted();
                }
                final long remaining = remaining(deadline);
                if (remaining <= 0)
                {
                    return false;
                }
                final long slice = Math.min(remaining, WAIT_SLICE_NANOS);
                try
                {
                    final int ready = selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(slice + 999_999)));
                    selector.selectedKeys().clear();
                    if (ready > 0)
                    {
                        return true;
                    }
                }
                catch (final ClosedSelectorException ex)
                {
                    return true;
                }
            }
        }
        finally
        {
            if (deferredInterrupt)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void checkClosedWhileWaiting() throws IOException
    {
        if (closed)
        {
            throw closedWhileWaiting(null);
        }
    }

    private IOException closedWhileWaiting(final ClosedChannelException cause)
    {
        final AsynchronousCloseException ex = new AsynchronousCloseException();
        if (null != cause)
        {
            ex.initCause(cause);
        }
        return ex;
    }

    private Selector readSelector() throws IOException
    {
        if (null == readSelector)
        {
            readSelector = register(channel, SelectionKey.OP_READ);
        }
        return readSelector;
    }

    private Selector writeSelector() throws IOException
    {
        if (null == writeSelector)
        {
            writeSelector = register(channel, SelectionKey.OP_WRITE);
        }
        return writeSelector;
    }

    private static Selector register(final SelectableChannel channel, final int ops) throws IOException
    {
        final Selector selector = Selector.open();
        try
        {
            channel.register(selector, ops);
            return selector;
        }
        catch (final IOException | RuntimeException ex)
        {
            selector.close();
            throw ex;
        }
    }

    // ---------------------------------------------------------------- accepting

    /** @return true if the peer is connected (now or before). */
    private boolean tryAccept() throws IOException
    {
        if (null != channel)
        {
            return true;
        }
        synchronized (acceptLock)
        {
            if (null != channel)
            {
                return true;
            }
            if (null == listener)
            {
                throw closedWhileWaiting(null);
            }
            final SocketChannel accepted = listener.accept();
            if (null == accepted)
            {
                return false;
            }
            accepted.configureBlocking(false);
            channel = accepted;
            closeListener();
            return true;
        }
    }

    /**
     * Waits for the peer of a listening end to connect, checking now and then that it has not died.
     *
     * @return false if the deadline passed.
     */
    private boolean awaitAccept(final long deadline, final boolean interruptible) throws IOException
    {
        while (!tryAccept())
        {
            final String dead = peerWatch.deadPeer();
            if (null != dead)
            {
                eof = true;
                throw new EOFException(dead);
            }
            final Selector selector;
            synchronized (acceptLock)
            {
                if (null == acceptSelector && null != listener)
                {
                    acceptSelector = register(listener, SelectionKey.OP_ACCEPT);
                }
                selector = acceptSelector;
            }
            if (null == selector)
            {
                continue;
            }
            final long slice = System.nanoTime() + WAIT_SLICE_NANOS;
            if (!awaitReady(selector, deadline - slice < 0 ? deadline : slice, interruptible) &&
                remaining(deadline) <= 0)
            {
                return tryAccept();
            }
        }
        return true;
    }

    private void closeListener()
    {
        quietClose(listener);
        listener = null;
        quietClose(acceptSelector);
        acceptSelector = null;
        deleteListenerPath();
    }

    private void deleteListenerPath()
    {
        if (null != listenerPath)
        {
            try
            {
                Files.deleteIfExists(listenerPath);
            }
            catch (final IOException ignore)
            {
                // swept later
            }
            listenerPath = null;
        }
    }

    // ---------------------------------------------------------------- closing

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
        wakeup(readSelector);
        wakeup(writeSelector);
        synchronized (acceptLock)
        {
            wakeup(acceptSelector);
        }
        writeLock.lock();
        String undelivered = null;
        final int buffered = out.position();
        try
        {
            if (buffered > 0 && !helloOnly && null == writeFailure)
            {
                undelivered = flushForClose();
            }
            out.clear();
            release();
        }
        finally
        {
            writeLock.unlock();
        }
        if (null != undelivered)
        {
            final String message = "closed " + name + describePeer() + " with bytes it could not deliver: " +
                undelivered;
            Lazy.LOGGER.log(System.Logger.Level.WARNING, "ipckit: " + message);
            if (undelivered.startsWith(STOPPED_READING))
            {
                throw new IpcException(message);
            }
        }
    }

    /**
     * Writes what is buffered as the peer takes it. Caller holds the write lock; the end is closed,
     * so the waits here do not use {@link #awaitReady}, which gives up on a closed end.
     *
     * @return {@code null} once everything is written, else why not.
     */
    private String flushForClose()
    {
        final long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(PipeConfiguration.closeTimeoutMillis());
        long deadline = System.nanoTime() + timeoutNanos;
        try
        {
            while (out.position() > 0)
            {
                final int before = out.position();
                if (null == channel && !tryAccept())
                {
                    final String dead = peerWatch.deadPeer();
                    if (null != dead)
                    {
                        return out.position() + " bytes dropped, the peer is gone: " + dead;
                    }
                }
                else
                {
                    flushOnce();
                }
                if (out.position() < before)
                {
                    deadline = System.nanoTime() + timeoutNanos;
                    continue;
                }
                final long remaining = deadline - System.nanoTime();
                if (remaining <= 0)
                {
                    return STOPPED_READING + " for " + PipeConfiguration.CLOSE_TIMEOUT_MILLIS_PROP_NAME + "=" +
                        PipeConfiguration.closeTimeoutMillis() + ": " + out.position() + " bytes dropped";
                }
                final long sliceMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.min(remaining, WAIT_SLICE_NANOS)));
                final Selector selector = null == channel ? null : writeSelector();
                if (null == selector)
                {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
                else
                {
                    selector.select(sliceMillis);
                    selector.selectedKeys().clear();
                }
            }
            return null;
        }
        catch (final IOException ex)
        {
            return out.position() + " bytes dropped, the peer is gone: " + ex.getMessage();
        }
    }

    /** Closes at once, dropping anything buffered: the stream can no longer be trusted. */
    private void closeAfterProtocolError()
    {
        closed = true;
        writeLock.lock();
        try
        {
            out.clear();
            release();
        }
        finally
        {
            writeLock.unlock();
        }
    }

    private void release()
    {
        if (released)
        {
            return;
        }
        released = true;
        quietClose(channel);
        synchronized (acceptLock)
        {
            closeListener();
        }
        quietClose(readSelector);
        quietClose(writeSelector);
        final Runnable action = onRelease;
        if (null != action)
        {
            action.run();
        }
    }

    private static void wakeup(final Selector selector)
    {
        if (null != selector)
        {
            selector.wakeup();
        }
    }

    private static void quietClose(final AutoCloseable closeable)
    {
        if (null != closeable)
        {
            try
            {
                closeable.close();
            }
            catch (final Exception ignore)
            {
                // closing anyway
            }
        }
    }

    @Override
    public String toString()
    {
        return name;
    }
}
