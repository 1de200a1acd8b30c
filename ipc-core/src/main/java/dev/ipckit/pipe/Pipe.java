package dev.ipckit.pipe;

import dev.ipckit.RuntimeDirectory;

import java.io.Serializable;

/**
 * A pair of connected {@link Connection} ends: Python's {@code multiprocessing.Pipe()}.
 * <pre>{@code
 * Pipe pipe = Pipe.open();
 * IpcProcess child = IpcProcess.start(() -> pipe.right().send("hello"));
 * String greeting = pipe.left().recv();
 * }</pre>
 * Opening a pipe creates nothing yet: it is a rendezvous name. Each end attaches, in whichever
 * process first uses it, over a Unix domain socket in the runtime directory; the first end used
 * listens and the other connects. Both ends used in the process that opened the pipe (before
 * either was passed on) are connected to each other at once, so one thread can send on one end
 * and then receive on the other.
 * <p>
 * The end of the stream ({@link java.io.EOFException}) reaches a receiver when its peer closes,
 * exits or is killed after having used its end. An end that no process ever uses is not noticed:
 * its peer's receive waits, as CPython's does when the parent keeps its copy of the child's end.
 * <p>
 * A duplex pipe sends both ways. In a half-duplex pipe ({@code open(false)}) the left end only
 * receives and the right end only sends.
 * <p>
 * <b>Note:</b> a {@code Pipe} is immutable and {@code Serializable}; see {@link Connection} for
 * the threading contract of each end.
 */
public final class Pipe implements Serializable
{
    private static final long serialVersionUID = 1L;

    /** The end that receives (half-duplex) or either end (duplex). */
    private final Connection left;
    /** The end that sends (half-duplex) or the other end (duplex). */
    private final Connection right;
    /** Whether both ends send and receive. */
    private final boolean duplex;

    private Pipe(final Connection left, final Connection right, final boolean duplex)
    {
        this.left = left;
        this.right = right;
        this.duplex = duplex;
    }

    /**
     * @return a new duplex pipe.
     */
    public static Pipe open()
    {
        return open(true);
    }

    /**
     * @param duplex true for a pipe that sends both ways; false for one whose left end receives and
     *               whose right end sends.
     * @return a new pipe.
     */
    public static Pipe open(final boolean duplex)
    {
        final String id = RuntimeDirectory.newId();
        final Object attachLock = new Object();
        final Connection left = new Connection(new PipeEnd(id, PipeEnd.LEFT, duplex), attachLock);
        final Connection right = new Connection(new PipeEnd(id, PipeEnd.RIGHT, duplex), attachLock);
        Connection.pair(left, right);
        return new Pipe(left, right, duplex);
    }

    /**
     * @return the left end (the receiving end of a half-duplex pipe).
     */
    public Connection left()
    {
        return left;
    }

    /**
     * @return the right end (the sending end of a half-duplex pipe).
     */
    public Connection right()
    {
        return right;
    }

    /**
     * @return whether both ends send and receive.
     */
    public boolean isDuplex()
    {
        return duplex;
    }

    @Override
    public String toString()
    {
        return "Pipe{" + left + ", " + right + '}';
    }
}
