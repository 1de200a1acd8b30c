package dev.ipckit.pipe;

import dev.ipckit.IpcException;

import java.io.EOFException;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a {@link FrameChannel} meets its peer: a socket connected from the start, or a listening
 * socket whose first connection becomes the peer. Accepting closes the listener and deletes its
 * socket path, as does {@link #close()} when no peer came.
 * <p>
 * <b>Note:</b> thread-safe; accepting and closing are serialised by one lock, and the connected
 * socket, once there, is read without it.
 */
final class Rendezvous
{
    /** Tells a listening end whether its peer died before connecting. */
    interface PeerWatch
    {
        /**
         * @return a description of the dead peer, or {@code null} while it may still connect.
         */
        String deadPeer();
    }

    private final FrameChannel owner;
    private final PeerWatch peerWatch;
    private final Object lock = new Object();

    private volatile SocketChannel channel; // volatile: set once under lock, read by any thread
    private ServerSocketChannel listener; // guarded by lock
    private Path listenerPath; // guarded by lock
    private Selector acceptSelector; // guarded by lock

    Rendezvous(
        final FrameChannel owner,
        final SocketChannel channel,
        final ServerSocketChannel listener,
        final Path listenerPath,
        final PeerWatch peerWatch)
    {
        this.owner = owner;
        this.channel = channel;
        this.listener = listener;
        this.listenerPath = listenerPath;
        this.peerWatch = peerWatch;
    }

    /**
     * Connects to a listening socket. A connect that fails while the path is missing is tried once
     * more if the path exists when the failure is looked at: the peer bound it in between.
     *
     * @return the connected socket, still blocking, or {@code null} if nothing listens at
     * {@code socket} (missing or refused).
     * @throws IpcException if the path is unusable (too long, for one).
     */
    static SocketChannel connect(final Path socket) throws IOException
    {
        try
        {
            return connectOrRefused(socket);
        }
        catch (final SocketException ex)
        {
            if (Files.notExists(socket))
            {
                return null;
            }
        }
        try
        {
            return connectOrRefused(socket);
        }
        catch (final SocketException ex)
        {
            if (Files.notExists(socket))
            {
                return null;
            }
            throw socketFailure("connect to", socket, ex);
        }
    }

    private static SocketChannel connectOrRefused(final Path socket) throws IOException
    {
        final SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try
        {
            channel.connect(UnixDomainSocketAddress.of(socket));
            return channel;
        }
        catch (final ConnectException ex)
        {
            channel.close();
            return null;
        }
        catch (final IOException | RuntimeException ex)
        {
            channel.close();
            throw ex;
        }
    }

    /**
     * Binds a listening socket for one peer, readable and writable by this user only.
     *
     * @return the listener, not blocking, or {@code null} if {@code socket} exists already.
     * @throws IpcException if the path is unusable (too long, for one).
     */
    static ServerSocketChannel bind(final Path socket) throws IOException
    {
        final ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try
        {
            listener.bind(UnixDomainSocketAddress.of(socket), 1);
            dev.ipckit.RuntimeDirectory.restrictToOwner(socket);
            listener.configureBlocking(false);
            return listener;
        }
        catch (final BindException ex)
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

    /**
     * @return the connected socket, or {@code null} while a listening end's peer has not connected.
     */
    SocketChannel channel()
    {
        return channel;
    }

    /**
     * @return a description of the dead peer of a listening end, or {@code null} while it may
     * still connect.
     */
    String deadPeer()
    {
        return peerWatch.deadPeer();
    }

    /**
     * Accepts the peer if it has connected, without waiting.
     *
     * @return true if the peer is connected (now or before).
     * @throws java.nio.channels.AsynchronousCloseException if the end was released unconnected.
     */
    boolean tryAccept() throws IOException
    {
        if (null != channel)
        {
            return true;
        }
        synchronized (lock)
        {
            if (null != channel)
            {
                return true;
            }
            if (null == listener)
            {
                throw SelectorWait.closedWhileWaiting(null);
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
     * @throws EOFException if the peer died before connecting.
     */
    boolean awaitAccept(final long deadline, final boolean interruptible) throws IOException
    {
        while (!tryAccept())
        {
            final String dead = peerWatch.deadPeer();
            if (null != dead)
            {
                throw new EOFException(dead);
            }
            final Selector selector;
            synchronized (lock)
            {
                if (null == acceptSelector && null != listener)
                {
                    acceptSelector = SelectorWait.register(listener, SelectionKey.OP_ACCEPT);
                }
                selector = acceptSelector;
            }
            if (null == selector)
            {
                continue;
            }
            final long slice = System.nanoTime() + SelectorWait.WAIT_SLICE_NANOS;
            if (!SelectorWait.awaitReady(owner, selector, deadline - slice < 0 ? deadline : slice, interruptible) &&
                SelectorWait.remaining(deadline) <= 0)
            {
                return tryAccept();
            }
        }
        return true;
    }

    /**
     * Ends a wait for the peer in another thread.
     */
    void wakeup()
    {
        synchronized (lock)
        {
            SelectorWait.wakeup(acceptSelector);
        }
    }

    /**
     * Closes the socket, and the listener with its path if no peer came.
     */
    void close()
    {
        SelectorWait.quietClose(channel);
        synchronized (lock)
        {
            closeListener();
        }
    }

    private void closeListener()
    {
        SelectorWait.quietClose(listener);
        listener = null;
        SelectorWait.quietClose(acceptSelector);
        acceptSelector = null;
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
}
