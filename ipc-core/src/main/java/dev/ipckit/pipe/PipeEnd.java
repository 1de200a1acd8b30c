package dev.ipckit.pipe;

import dev.ipckit.IpcException;
import dev.ipckit.RuntimeDirectory;
import dev.ipckit.internal.ProcessIdentity;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What crosses a process boundary when a pipe end is sent: the pipe's id, which end, and whether
 * the pipe is duplex. It also knows how an end attaches.
 * <p>
 * Attaching end {@code E} of pipe {@code id} in the runtime directory:
 * <ol>
 * <li>claim the end: create the symbolic link {@code pipe@id.E} whose target is this process's
 * token; if it exists, another process holds the end and the attach fails;</li>
 * <li>connect to {@code pipe@id.sock}; if nothing listens there, bind and listen on it instead
 * (the first end used binds, the other connects); the listener is unlinked once the peer has
 * connected;</li>
 * <li>if the peer's claim names a process that has exited, the peer is gone: end of stream.</li>
 * </ol>
 */
final class PipeEnd implements Serializable
{
    private static final long serialVersionUID = 1L;
    private static final long STALE_SOCKET_PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(10);

    static final char LEFT = 'L';
    static final char RIGHT = 'R';

    private final String pipeId;
    private final char side;
    private final boolean duplex;

    PipeEnd(final String pipeId, final char side, final boolean duplex)
    {
        this.pipeId = pipeId;
        this.side = side;
        this.duplex = duplex;
    }

    /** Keeps this JVM's sweeps off the pipe's files while this end may still attach here. */
    void hold()
    {
        RuntimeDirectory.hold("pipe", pipeId);
    }

    void release()
    {
        RuntimeDirectory.release("pipe", pipeId);
    }

    boolean readable()
    {
        return duplex || LEFT == side;
    }

    boolean writable()
    {
        return duplex || RIGHT == side;
    }

    String sideName()
    {
        return LEFT == side ? "left" : "right";
    }

    private Path claimPath()
    {
        return RuntimeDirectory.groupEntry("pipe", pipeId, String.valueOf(side));
    }

    private Path peerClaimPath()
    {
        return RuntimeDirectory.groupEntry("pipe", pipeId, String.valueOf(LEFT == side ? RIGHT : LEFT));
    }

    private Path socketPath()
    {
        return RuntimeDirectory.groupEntry("pipe", pipeId, "sock");
    }

    /**
     * Claims this end and connects it to its peer (or listens for the peer).
     *
     * @param sibling the other end, if it was made in this JVM and never left it: it is attached
     *                here at once, so that one thread can use both ends.
     * @return the attached channel; its release removes the claim.
     * @throws IpcException if another process holds this end.
     * @throws EOFException if the peer attached and has exited.
     */
    FrameChannel attach(final Connection sibling, final FrameChannel.Options options) throws IOException
    {
        final Path claim = claimPath();
        try
        {
            RuntimeDirectory.claim(claim);
        }
        catch (final FileAlreadyExistsException ex)
        {
            final String owner = RuntimeDirectory.ownerOf(claim);
            throw new IpcException(this + " is already attached by pid=" + ProcessIdentity.pidOf(owner) +
                (ProcessIdentity.isAlive(owner) ? "" : " (exited)") +
                ": a pipe end is used by one process at a time, and a closed end cannot be attached again");
        }

        boolean attached = false;
        try
        {
            final FrameChannel channel = rendezvous(sibling, options);
            channel.onRelease(() -> releaseClaim(claim));
            attached = true;
            return channel;
        }
        finally
        {
            if (!attached)
            {
                releaseClaim(claim);
            }
        }
    }

    private FrameChannel rendezvous(final Connection sibling, final FrameChannel.Options options) throws IOException
    {
        final Path socket = socketPath();
        final Path peerClaim = peerClaimPath();
        final String name = toString();
        final long giveUp = System.nanoTime() + STALE_SOCKET_PATIENCE_NANOS;
        while (true)
        {
            final String dead = deadPeerOrNull(peerClaim);
            if (null != dead)
            {
                throw new EOFException(dead);
            }

            final FrameChannel connected = FrameChannel.connect(name, socket, (short)0, options);
            if (null != connected)
            {
                return connected;
            }

            final FrameChannel listening = FrameChannel.listen(name, socket, () -> deadPeerOrNull(peerClaim), options);
            if (null != listening)
            {
                if (null != sibling)
                {
                    sibling.attachAsSibling();
                }
                return listening;
            }

            final String peerNow = RuntimeDirectory.ownerOf(peerClaim);
            if (null == peerNow || !ProcessIdentity.isAlive(peerNow))
            {
                Files.deleteIfExists(socket);
            }
            else if (System.nanoTime() - giveUp > 0)
            {
                throw new IpcException("cannot attach " + this + ": socket=" + socket +
                    " exists but refuses connections, peer pid=" + ProcessIdentity.pidOf(peerNow));
            }
            else
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                if (Thread.interrupted())
                {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while attaching " + this);
                }
            }
        }
    }

    private String deadPeerOrNull(final Path peerClaim)
    {
        final String peer = RuntimeDirectory.ownerOf(peerClaim);
        return null != peer && !ProcessIdentity.isAlive(peer) ? deadPeer(peer) : null;
    }

    private String deadPeer(final String peerToken)
    {
        return "peer of " + this + " was attached by pid=" + ProcessIdentity.pidOf(peerToken) + ", which has exited";
    }

    private static void releaseClaim(final Path claim)
    {
        if (ProcessIdentity.currentToken().equals(RuntimeDirectory.ownerOf(claim)))
        {
            try
            {
                Files.deleteIfExists(claim);
            }
            catch (final IOException ignore)
            {
                // swept once this process has exited
            }
        }
    }

    private Object readResolve() throws ObjectStreamException
    {
        return new Connection(this, null);
    }

    @Override
    public String toString()
    {
        return "pipe=" + pipeId + " end=" + sideName() + (duplex ? "" : (readable() ? " (receive-only)" : " (send-only)"));
    }
}
