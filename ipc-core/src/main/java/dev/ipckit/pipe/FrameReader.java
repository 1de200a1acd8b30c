package dev.ipckit.pipe;

import dev.ipckit.IpcException;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The receiving side of a {@link FrameChannel}: parses the peer's {@link Hello}, then frames, from
 * what its {@link SocketInput} has buffered. A body longer than {@link #FIRST_BODY_CHUNK} is read
 * into an array that grows as its bytes arrive, so that a header that lies about the length costs
 * no more memory than the bytes sent. A corrupt or oversized frame closes the channel.
 * <p>
 * <b>Note:</b> receivers are serialised by one lock, taken interruptibly; the peer's pid may be
 * read by any thread.
 */
final class FrameReader
{
    private static final int FIRST_BODY_CHUNK = 1 << 20;

    private final FrameChannel owner;
    private final FrameWriter writer;
    private final SocketInput input;
    private final ByteBuffer in; // the input's buffer, guarded by lock
    private final ReentrantLock lock = new ReentrantLock();

    private volatile Hello peer; // volatile: set once under lock, read by any thread
    private boolean refusePeerThatAuthenticates; // set before the channel is shared, read under lock

    FrameReader(final FrameChannel owner, final FrameWriter writer, final SocketInput input)
    {
        this.owner = owner;
        this.writer = writer;
        this.input = input;
        this.in = input.buffer();
    }

    /**
     * @return the peer's pid, or -1 before its hello has been read.
     */
    long peerPid()
    {
        final Hello hello = peer;
        return null == hello ? -1 : hello.pid();
    }

    /**
     * @return whether the peer's hello says it authenticates; false before it has been read.
     */
    boolean peerAuthenticates()
    {
        final Hello hello = peer;
        return null != hello && hello.authenticates();
    }

    String describePeer()
    {
        final long pid = peerPid();
        return pid > 0 ? " (peer pid=" + pid + ")" : "";
    }

    void refusePeerThatAuthenticates()
    {
        refusePeerThatAuthenticates = true;
    }

    /**
     * Receives one frame into a new array, blocking until it is whole.
     *
     * @throws IpcException if the frame is longer than {@code maxLength}; the channel is closed.
     */
    byte[] receiveBytes(final int maxLength) throws IOException
    {
        lockForReceive();
        try
        {
            return readBody(awaitFrame(maxLength));
        }
        finally
        {
            lock.unlock();
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
            final long deadline = SelectorWait.deadline(timeoutNanos);
            if (null == peer && !readHello(deadline))
            {
                return null;
            }
            if (!awaitBuffered(FrameChannel.HEADER_LENGTH, deadline))
            {
                return null;
            }
            final int length = checkFrameLength(in.getInt(in.position()), maxLength);
            if (FrameChannel.HEADER_LENGTH + length > in.capacity())
            {
                throw new IpcException("frame length=" + length + " exceeds this end's buffer on " + owner.name());
            }
            if (!awaitBuffered(FrameChannel.HEADER_LENGTH + length, deadline))
            {
                return null;
            }
            in.position(in.position() + FrameChannel.HEADER_LENGTH);
            final byte[] data = new byte[length];
            in.get(data);
            return data;
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Receives one frame into {@code dst} from {@code offset}.
     *
     * @throws BufferTooShortException if it does not fit; the exception carries the whole frame.
     */
    int receiveInto(final byte[] dst, final int offset, final int maxLength) throws IOException
    {
        lockForReceive();
        try
        {
            final int length = awaitFrame(maxLength);
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
            lock.unlock();
        }
    }

    /**
     * @return whether a frame, or the end of the stream, arrived within the timeout.
     */
    boolean poll(final long timeoutNanos) throws IOException
    {
        lockForReceive();
        try
        {
            final long deadline = SelectorWait.deadline(timeoutNanos);
            if (null == peer)
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
            if (in.hasRemaining() || input.eof())
            {
                return true;
            }
            input.fill(deadline, true);
            return in.hasRemaining() || input.eof();
        }
        finally
        {
            lock.unlock();
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
            return null != peer || readHello(SelectorWait.deadline(timeoutNanos));
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Takes the lock, interruptibly, for a receive on an open channel, and flushes what a streaming
     * sender left before the receive waits. Holds the lock only if it returns.
     */
    private void lockForReceive() throws IOException
    {
        try
        {
            lock.lockInterruptibly();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for another receiver on " + owner.name());
        }
        try
        {
            if (owner.isClosed())
            {
                throw new IllegalStateException("connection is closed: " + owner.name());
            }
            writer.flushBeforeReceive();
        }
        catch (final IOException | RuntimeException ex)
        {
            lock.unlock();
            throw ex;
        }
    }

    /**
     * Waits for the next frame's header, and its whole body when it fits the buffer; interruptible
     * until then. Consumes the header.
     */
    private int awaitFrame(final int maxLength) throws IOException
    {
        if (null == peer)
        {
            readHello(SelectorWait.FOREVER);
        }
        awaitBuffered(FrameChannel.HEADER_LENGTH, SelectorWait.FOREVER);
        final int length = checkFrameLength(in.getInt(in.position()), maxLength);
        final int frame = FrameChannel.HEADER_LENGTH + length;
        while (frame <= in.capacity() && in.remaining() < frame && !input.eof())
        {
            input.fill(SelectorWait.FOREVER, true);
        }
        in.position(in.position() + FrameChannel.HEADER_LENGTH);
        return length;
    }

    /**
     * Waits, interruptibly, until the buffer holds {@code needed} bytes.
     *
     * @return false if the deadline passed first.
     * @throws EOFException if the stream ended first.
     */
    private boolean awaitBuffered(final int needed, final long deadline) throws IOException
    {
        while (in.remaining() < needed)
        {
            if (input.eof())
            {
                throw endOfStream(needed);
            }
            if (!input.fill(deadline, true) && in.remaining() < needed)
            {
                return false;
            }
        }
        return true;
    }

    private int checkFrameLength(final int length, final int maxLength)
    {
        if (length < 0)
        {
            owner.closeAfterProtocolError();
            throw new IpcException("corrupt frame on " + owner.name() + describePeer() + ": length=" + length +
                "; connection closed");
        }
        if (length > maxLength)
        {
            owner.closeAfterProtocolError();
            throw new IpcException("message length=" + length + " exceeds maxLength=" + maxLength + " on " +
                owner.name() + describePeer() + "; connection closed");
        }
        return length;
    }

    /**
     * Reads a body into a new array, one longer than {@link #FIRST_BODY_CHUNK} in chunks that
     * double as they arrive.
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
                if (input.eof())
                {
                    throw new EOFException("peer closed " + owner.name() + describePeer() +
                        " in the middle of a message: got " + done + " of length=" + length + " bytes");
                }
                input.fill(SelectorWait.FOREVER, false);
                continue;
            }
            final int chunk = Math.min(in.remaining(), length - done);
            in.get(dst, offset + done, chunk);
            done += chunk;
        }
    }

    private boolean readHello(final long deadline) throws IOException
    {
        if (!awaitBuffered(Hello.LENGTH, deadline))
        {
            return false;
        }
        final Hello hello = Hello.read(in);
        if (!hello.isIpckit())
        {
            owner.closeAfterProtocolError();
            throw new IpcException("peer of " + owner.name() + " is not an ipckit connection (" + hello.mismatch() +
                "); connection closed");
        }
        peer = hello;
        if (refusePeerThatAuthenticates && hello.authenticates())
        {
            owner.closeAfterProtocolError();
            throw new AuthenticationException("peer of " + owner.name() + " requires an authKey, but none was given");
        }
        return true;
    }

    private EOFException endOfStream(final int needed)
    {
        if (in.hasRemaining())
        {
            return new EOFException("peer closed " + owner.name() + describePeer() +
                " in the middle of a message: got " + in.remaining() + " of at least " + needed + " bytes");
        }
        return new EOFException("peer closed " + owner.name() + describePeer());
    }
}
