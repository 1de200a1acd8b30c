package dev.ipckit.pipe;

import dev.ipckit.IpcException;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The sending side of a {@link FrameChannel}: an off-heap buffer that starts with this end's
 * {@link Hello}. A frame is written at once unless the sender is streaming (it sent within
 * {@code coalesceNanos} and has not received since), in which case frames gather in the buffer and
 * the {@link Flusher} or the next receive writes them in one system call. A listening end may
 * buffer frames before its peer has connected; the flusher delivers them on accept.
 * <p>
 * Closing delivers what is buffered while the peer takes it, and gives up after
 * {@link PipeConfiguration#CLOSE_TIMEOUT_MILLIS_PROP_NAME} without progress. Bytes dropped are
 * never dropped silently: they are logged as a {@code WARNING}, and a peer that stopped reading
 * makes the close throw.
 * <p>
 * <b>Note:</b> senders, the flusher and the closing thread are serialised by one lock; a receiver
 * only tries it, never waits for it.
 */
final class FrameWriter
{
    static final int DONE = 2;
    static final int PROGRESS = 1;
    static final int NO_PROGRESS = 0;

    private static final String STOPPED_READING = "the peer stopped reading";

    /** Made on first use: loading the logging provider slows a child's start. */
    private static final class Lazy
    {
        static final System.Logger LOGGER = System.getLogger(FrameChannel.class.getName());
    }

    private final FrameChannel owner;
    private final Rendezvous rendezvous;
    private final long coalesceNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final ByteBuffer out; // guarded by lock

    private volatile boolean dirty; // volatile: written under lock, read by a receiver without it
    private volatile Selector selector; // volatile: made under lock, woken by the closing thread
    private boolean scheduled; // guarded by lock
    private boolean helloOnly = true; // guarded by lock
    private IOException failure; // guarded by lock
    private long lastSendNanos; // guarded by lock
    private int sendsSinceReceive; // guarded by lock; a receiver resets it without: a lost reset only delays a write

    FrameWriter(
        final FrameChannel owner, final Rendezvous rendezvous, final short flags, final FrameChannel.Options options)
    {
        this.owner = owner;
        this.rendezvous = rendezvous;
        this.coalesceNanos = options.coalesceNanos;
        this.out = ByteBuffer.allocateDirect(options.bufferSize);
        Hello.write(out, flags);
    }

    /**
     * Sends the hello at once, so that a peer waiting for it in a handshake gets it. A peer that
     * has already sent everything and closed makes this write fail; that is no reason to refuse
     * the connection, since what it sent is still there to read: the failure is kept for the next
     * send.
     */
    void sayHello()
    {
        lock.lock();
        try
        {
            try
            {
                flushOnce();
            }
            catch (final IOException peerGone)
            {
                return;
            }
            if (out.position() > 0)
            {
                dirty = true;
                schedule();
            }
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Sends the remaining bytes of {@code src} as one frame, blocking while the buffer is full and
     * the peer does not take it.
     *
     * @throws IOException           if an earlier or this write failed: the peer has gone.
     * @throws IllegalStateException if the channel is closed.
     */
    void send(final ByteBuffer src) throws IOException
    {
        final int length = src.remaining();
        lock.lock();
        try
        {
            beginSend();
            if (out.remaining() < FrameChannel.HEADER_LENGTH + length)
            {
                flushFully();
                if (out.capacity() < FrameChannel.HEADER_LENGTH + length)
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
            lock.unlock();
        }
    }

    private void beginSend() throws IOException
    {
        if (owner.isClosed())
        {
            throw new IllegalStateException("connection is closed: " + owner.name());
        }
        if (null != failure)
        {
            throw sendFailure(failure);
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
        if (!streaming && rendezvous.tryAccept())
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

    /** Writes what the socket takes now. Caller holds the lock. */
    private void flushOnce() throws IOException
    {
        out.flip();
        try
        {
            rendezvous.channel().write(out);
        }
        catch (final IOException ex)
        {
            out.clear();
            dirty = false;
            failure = ex;
            throw sendFailure(ex);
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
            if (!rendezvous.tryAccept())
            {
                rendezvous.awaitAccept(SelectorWait.FOREVER, false);
                continue;
            }
            flushOnce();
            if (out.position() > 0)
            {
                SelectorWait.awaitReady(owner, selector(), SelectorWait.FOREVER, false);
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
        if (!lock.tryLock())
        {
            return NO_PROGRESS;
        }
        try
        {
            if (owner.isClosed())
            {
                scheduled = false;
                return DONE;
            }
            final int before = out.position();
            if (before > 0 && null == failure)
            {
                try
                {
                    if (rendezvous.tryAccept())
                    {
                        flushOnce();
                    }
                    else
                    {
                        final String dead = rendezvous.deadPeer();
                        if (null != dead)
                        {
                            failure = new EOFException(dead);
                        }
                    }
                }
                catch (final IOException ex)
                {
                    failure = ex;
                }
            }

            if (0 == out.position() || null != failure)
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
            lock.unlock();
        }
    }

    /**
     * Flushes what a streaming sender left, before the calling thread waits to receive; skipped if
     * a sender holds the lock. Failures are left for the receive and the next send to report.
     */
    void flushBeforeReceive() throws IOException
    {
        sendsSinceReceive = 0;
        if (dirty && lock.tryLock())
        {
            try
            {
                if (out.position() > 0 && null == failure && !owner.isClosed() && rendezvous.tryAccept())
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
                lock.unlock();
            }
        }
    }

    private IOException sendFailure(final IOException cause)
    {
        final IOException ex = new IOException(
            "cannot send on " + owner.name() + owner.describePeer() + ": " + cause.getMessage());
        ex.initCause(cause);
        return ex;
    }

    private Selector selector() throws IOException
    {
        if (null == selector)
        {
            selector = SelectorWait.register(rendezvous.channel(), SelectionKey.OP_WRITE);
        }
        return selector;
    }

    /**
     * Ends a wait for the peer to read in another thread; the caller has closed the channel.
     */
    void wakeup()
    {
        SelectorWait.wakeup(selector);
    }

    /**
     * Closes the selector; the caller holds the lock.
     */
    void closeSelector()
    {
        SelectorWait.quietClose(selector);
    }

    /**
     * Delivers what is buffered as the peer takes it, then releases the channel under the lock;
     * the caller has closed the channel. What could not be delivered is logged.
     *
     * @throws IpcException if the peer stopped reading: buffered bytes were dropped.
     */
    void closeDelivering()
    {
        final String undelivered = closeUnderLock(true);
        if (null != undelivered)
        {
            final String message = "closed " + owner.name() + owner.describePeer() +
                " with bytes it could not deliver: " + undelivered;
            Lazy.LOGGER.log(System.Logger.Level.WARNING, "ipckit: " + message);
            if (undelivered.startsWith(STOPPED_READING))
            {
                throw new IpcException(message);
            }
        }
    }

    /**
     * Drops what is buffered, then releases the channel under the lock: the stream can no longer be
     * trusted. The caller has closed the channel.
     */
    void closeDropping()
    {
        closeUnderLock(false);
    }

    private String closeUnderLock(final boolean deliver)
    {
        lock.lock();
        try
        {
            final String undelivered = deliver && out.position() > 0 && !helloOnly && null == failure ?
                flushForClose() : null;
            out.clear();
            owner.release();
            return undelivered;
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Writes what is buffered as the peer takes it. Caller holds the lock; the end is closed, so
     * the waits here do not use {@link SelectorWait#awaitReady}, which gives up on a closed end.
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
                if (!rendezvous.tryAccept())
                {
                    final String dead = rendezvous.deadPeer();
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
                final long sliceMillis =
                    Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.min(remaining, SelectorWait.WAIT_SLICE_NANOS)));
                final Selector writable = null == rendezvous.channel() ? null : selector();
                if (null == writable)
                {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
                else
                {
                    writable.select(sliceMillis);
                    writable.selectedKeys().clear();
                }
            }
            return null;
        }
        catch (final IOException ex)
        {
            return out.position() + " bytes dropped, the peer is gone: " + ex.getMessage();
        }
    }
}
