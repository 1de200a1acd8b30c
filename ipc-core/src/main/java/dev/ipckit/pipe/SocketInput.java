package dev.ipckit.pipe;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;

/**
 * The input side of a {@link FrameChannel}'s socket: an off-heap buffer that {@link #fill} tops up
 * from the socket, busy-polling for {@code spinNanos} before it blocks in a selector. It marks the
 * end of the stream on a close, a reset, or a listening end's peer that died before connecting.
 * The {@link FrameReader} parses what it holds.
 * <p>
 * <b>Note:</b> used under the reader's lock; the spin budget may be set, and the selector woken,
 * by any thread.
 */
final class SocketInput
{
    private final FrameChannel owner;
    private final Rendezvous rendezvous;
    private final ByteBuffer in; // guarded by the reader's lock

    private volatile long spinNanos; // volatile: set by any thread, read under the reader's lock
    private volatile Selector selector; // volatile: made under the reader's lock, woken by the closing thread
    private boolean eof; // guarded by the reader's lock

    SocketInput(final FrameChannel owner, final Rendezvous rendezvous, final FrameChannel.Options options)
    {
        this.owner = owner;
        this.rendezvous = rendezvous;
        this.spinNanos = options.spinNanos;
        this.in = ByteBuffer.allocateDirect(options.bufferSize);
        this.in.limit(0);
    }

    /**
     * @return the buffer: its position to its limit is what has arrived and not been consumed.
     */
    ByteBuffer buffer()
    {
        return in;
    }

    /**
     * @return whether the stream has ended: nothing more will arrive after what is buffered.
     */
    boolean eof()
    {
        return eof;
    }

    long spinNanos()
    {
        return spinNanos;
    }

    void spinNanos(final long nanos)
    {
        spinNanos = nanos;
    }

    /**
     * Ends a wait for the peer to send in another thread; the caller has closed the channel.
     */
    void wakeup()
    {
        SelectorWait.wakeup(selector);
    }

    void closeSelector()
    {
        SelectorWait.quietClose(selector);
    }

    /**
     * Reads at least one more byte into the buffer, or sees the end of the stream; a listening end
     * first waits for its peer to connect.
     *
     * @param deadline      in {@link System#nanoTime()} terms, {@link SelectorWait#FOREVER} for none.
     * @param interruptible whether an interrupt ends the wait; if not, it is kept for the caller.
     * @return false if the deadline passed first.
     * @throws EOFException if a listening end's peer died before connecting.
     */
    boolean fill(final long deadline, final boolean interruptible) throws IOException
    {
        if (null == rendezvous.channel() && !awaitAccept(deadline, interruptible))
        {
            return false;
        }
        if (readOnce())
        {
            return true;
        }
        final long spinEnd = System.nanoTime() + Math.min(spinNanos, SelectorWait.remaining(deadline));
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
            if (!SelectorWait.awaitReady(owner, selector(), deadline, interruptible))
            {
                return readOnce();
            }
            if (readOnce())
            {
                return true;
            }
        }
    }

    /**
     * Waits for the peer of a listening end; one that died before connecting ends the stream.
     */
    private boolean awaitAccept(final long deadline, final boolean interruptible) throws IOException
    {
        try
        {
            return rendezvous.awaitAccept(deadline, interruptible);
        }
        catch (final EOFException peerDied)
        {
            eof = true;
            throw peerDied;
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
            read = rendezvous.channel().read(in);
        }
        catch (final ClosedChannelException ex)
        {
            in.limit(in.position()).position(start);
            throw SelectorWait.closedWhileWaiting(ex);
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

    private Selector selector() throws IOException
    {
        if (null == selector)
        {
            selector = SelectorWait.register(rendezvous.channel(), SelectionKey.OP_READ);
        }
        return selector;
    }
}
