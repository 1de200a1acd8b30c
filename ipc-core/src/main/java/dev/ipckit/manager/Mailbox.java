package dev.ipckit.manager;

import dev.ipckit.IpcException;
import dev.ipckit.RuntimeDirectory;
import dev.ipckit.internal.SharedRegion;
import dev.ipckit.internal.Waiter;
import dev.ipckit.pipe.Connection;
import org.agrona.concurrent.AtomicBuffer;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;

import static dev.ipckit.manager.MailboxDescriptor.ASLEEP_OFFSET;
import static dev.ipckit.manager.MailboxDescriptor.DATA_CAPACITY;
import static dev.ipckit.manager.MailboxDescriptor.DATA_OFFSET;
import static dev.ipckit.manager.MailboxDescriptor.LENGTH_OFFSET;
import static dev.ipckit.manager.MailboxDescriptor.ON_SOCKET;
import static dev.ipckit.manager.MailboxDescriptor.REPLY_BOX;
import static dev.ipckit.manager.MailboxDescriptor.REQUEST_BOX;
import static dev.ipckit.manager.MailboxDescriptor.SEQUENCE_OFFSET;

/**
 * The messages of one manager connection. When client and server share a machine they travel
 * through shared memory ({@link MailboxDescriptor}): a receiver spins on the box for the
 * connection's {@link Connection#spinNanos()} (and no longer on its socket), then marks itself
 * asleep and blocks on the socket, and a sender that finds it asleep takes the mark back and sends
 * an empty frame to wake it (a message too long for the box is the frame itself). The mark is the
 * sequence the receiver waits for, so that a sender held up between publishing and looking never
 * wakes a receiver already waiting for the next message. A call answered within the spin costs no
 * system call on either side. Over TCP, or when the server cannot map the client's box, every
 * message is a frame of the connection.
 * <p>
 * The socket still carries the end of the stream: a peer that dies or closes wakes a sleeping
 * receiver with it, and a message is published by its sequence, written last, so a peer killed
 * while writing leaves nothing half-written to read.
 * <p>
 * <b>Note:</b> one thread sends and receives at a time; after any exception the mailbox must be
 * closed. {@link #close()} may be called from any thread.
 */
final class Mailbox implements AutoCloseable
{
    private static final byte[] DOORBELL = new byte[0];
    private static final byte[] ACCEPTED = { 1 };
    private static final byte[] REFUSED = { 0 };

    private final Connection connection;
    private final long spinNanos;
    private final int outBox;
    private final int inBox;
    private volatile SharedRegion region; // volatile: set to null by the owning thread, closed by any
    private AtomicBuffer box;
    private long sent;
    private long received;

    private Mailbox(final Connection connection, final SharedRegion region, final int outBox, final int inBox)
    {
        this.connection = connection;
        this.spinNanos = connection.spinNanos();
        if (null != region)
        {
            connection.spinNanos(0);
        }
        this.region = region;
        this.box = null == region ? null : region.payload();
        this.outBox = outBox;
        this.inBox = inBox;
    }

    /**
     * @param connection a connection to the server.
     * @return a mailbox that sends every message through the connection.
     */
    static Mailbox socketOnly(final Connection connection)
    {
        return new Mailbox(connection, null, 0, 0);
    }

    /**
     * Makes the shared memory a client offers the server; the client sends {@link #offeredId()} in
     * its hello, then {@link #awaitAnswer()}.
     *
     * @param connection a connection to a server on this machine.
     * @return the mailbox, which sends through the connection if no shared memory could be made.
     */
    static Mailbox offer(final Connection connection)
    {
        try
        {
            return new Mailbox(connection, SharedRegion.create(MailboxDescriptor.KIND, MailboxDescriptor.LENGTH),
                REQUEST_BOX, REPLY_BOX);
        }
        catch (final IpcException noSharedMemory)
        {
            return socketOnly(connection);
        }
    }

    /**
     * The server's side of a client's offer: maps the client's box and says yes through it, or
     * says no through the socket.
     *
     * @param connection the client's connection.
     * @param id         what the client offered; empty for nothing.
     * @return the mailbox.
     * @throws IOException if the answer cannot be sent.
     */
    static Mailbox accept(final Connection connection, final String id) throws IOException
    {
        if (id.isEmpty())
        {
            return socketOnly(connection);
        }
        SharedRegion region = null;
        try
        {
            region = SharedRegion.attach(MailboxDescriptor.KIND, RuntimeDirectory.validateName(id));
            if (MailboxDescriptor.LENGTH != region.payloadLength())
            {
                throw new IllegalArgumentException("mailbox of " + region.payloadLength() + " bytes");
            }
        }
        catch (final IpcException | IllegalArgumentException cannotMap)
        {
            if (null != region)
            {
                region.close();
            }
            connection.sendBytes(REFUSED);
            return socketOnly(connection);
        }
        final Mailbox mailbox = new Mailbox(connection, region, REPLY_BOX, REQUEST_BOX);
        try
        {
            mailbox.send(ACCEPTED, 0, ACCEPTED.length);
        }
        catch (final IOException | RuntimeException ex)
        {
            mailbox.close();
            throw ex;
        }
        return mailbox;
    }

    /**
     * @return the id of the shared memory this client offers, or empty if it offers none.
     */
    String offeredId()
    {
        return null == region ? "" : region.id();
    }

    /**
     * Takes the server's answer to {@link #offer}: a mailbox the server did not map sends through
     * the socket from now on. Blocks until the answer arrives.
     *
     * @throws IOException if the connection ends first.
     */
    void awaitAnswer() throws IOException
    {
        if (null != region && ACCEPTED[0] != receive(Waiter.FOREVER, false)[0])
        {
            dropSharedMemory();
        }
    }

    /**
     * @return the connection underneath, whose end of stream says the peer has gone.
     */
    Connection connection()
    {
        return connection;
    }

    boolean isClosed()
    {
        return connection.isClosed();
    }

    /**
     * Sends one message; never blocks for the peer (a frame too long for the socket's buffer waits
     * while the peer reads it).
     *
     * @throws IOException           if the connection has failed.
     * @throws IllegalStateException if the connection is closed.
     */
    void send(final byte[] buf, final int off, final int len) throws IOException
    {
        if (null == region)
        {
            connection.sendBytes(buf, off, len);
        }
        else if (len > DATA_CAPACITY)
        {
            box.putInt(outBox + LENGTH_OFFSET, ON_SOCKET);
            box.putLongVolatile(outBox + SEQUENCE_OFFSET, ++sent);
            connection.sendBytes(buf, off, len);
        }
        else
        {
            wake(publish(buf, off, len));
        }
    }

    /**
     * The first half of {@link #send} for a message that fits the box: a receiver that spins
     * takes it from now on.
     *
     * @return the message's sequence.
     */
    long publish(final byte[] buf, final int off, final int len)
    {
        final long sequence = ++sent;
        box.putBytes(outBox + DATA_OFFSET, buf, off, len);
        box.putInt(outBox + LENGTH_OFFSET, len);
        box.putLongVolatile(outBox + SEQUENCE_OFFSET, sequence);
        return sequence;
    }

    /**
     * The second half of {@link #send}: wakes the receiver if it sleeps waiting for the message
     * {@code sequence}, and not if it has taken that one and sleeps for a later one.
     *
     * @throws IOException if the doorbell cannot be sent.
     */
    void wake(final long sequence) throws IOException
    {
        if (box.compareAndSetLong(outBox + ASLEEP_OFFSET, sequence, 0))
        {
            connection.sendBytes(DOORBELL);
        }
    }

    /**
     * Receives the next message.
     *
     * @param timeoutNanos  how long to wait; {@link Waiter#FOREVER} for ever.
     * @param interruptible whether an interrupt ends the wait; if not, it is kept for the caller.
     * @return the message, or null if the time ran out first.
     * @throws InterruptedIOException if interrupted while {@code interruptible}.
     * @throws IOException            if the connection ended or failed, or the peer wrote nonsense.
     * @throws IllegalStateException  if the connection is closed.
     */
    byte[] receive(final long timeoutNanos, final boolean interruptible) throws IOException
    {
        if (null == region)
        {
            return frame(timeoutNanos, interruptible);
        }
        final long expected = received + 1;
        final long start = System.nanoTime();
        final long spinEnd = start + Math.min(spinNanos, timeoutNanos);
        while (box.getLongVolatile(inBox + SEQUENCE_OFFSET) != expected)
        {
            if (System.nanoTime() - spinEnd >= 0)
            {
                return sleep(expected, Waiter.remaining(timeoutNanos, start), interruptible);
            }
            Thread.onSpinWait();
        }
        return take(expected, false);
    }

    /**
     * Closes the connection and lets go of the shared memory, for a peer killed while holding it
     * too; idempotent. A thread still in {@link #receive} reads memory that stays mapped until it
     * is garbage, and fails on the socket.
     */
    @Override
    public void close()
    {
        connection.close();
        final SharedRegion mapped = region;
        if (null != mapped)
        {
            mapped.removeDeadHolders();
            mapped.close();
        }
    }

    @Override
    public String toString()
    {
        return connection.toString();
    }

    private byte[] sleep(final long expected, final long timeoutNanos, final boolean interruptible) throws IOException
    {
        box.putLongVolatile(inBox + ASLEEP_OFFSET, expected);
        if (box.getLongVolatile(inBox + SEQUENCE_OFFSET) == expected)
        {
            return take(expected, !box.compareAndSetLong(inBox + ASLEEP_OFFSET, expected, 0));
        }
        byte[] frame = frame(timeoutNanos, interruptible);
        if (null == frame)
        {
            if (box.compareAndSetLong(inBox + ASLEEP_OFFSET, expected, 0))
            {
                return null;
            }
            frame = frame(Waiter.FOREVER, interruptible);
        }
        box.putLongOrdered(inBox + ASLEEP_OFFSET, 0);
        if (frame.length > 0)
        {
            received = expected;
            return frame;
        }
        if (box.getLongVolatile(inBox + SEQUENCE_OFFSET) != expected)
        {
            throw new IOException("corrupt mailbox: woken for message " + expected + " but the box holds message " +
                box.getLongVolatile(inBox + SEQUENCE_OFFSET) + ": " + this);
        }
        return take(expected, false);
    }

    /**
     * @param doorbellOwed whether the sender took this receiver's asleep mark, and so sends an
     *                     empty frame that must be read.
     */
    private byte[] take(final long expected, final boolean doorbellOwed) throws IOException
    {
        received = expected;
        final int length = box.getInt(inBox + LENGTH_OFFSET);
        if (ON_SOCKET == length)
        {
            return frame(Waiter.FOREVER, false);
        }
        if (length < 0 || length > DATA_CAPACITY)
        {
            throw new IOException("corrupt mailbox: message length=" + length + ": " + this);
        }
        final byte[] message = new byte[length];
        box.getBytes(inBox + DATA_OFFSET, message);
        if (doorbellOwed && 0 != frame(Waiter.FOREVER, false).length)
        {
            throw new IOException("corrupt mailbox: a message where a doorbell was due: " + this);
        }
        return message;
    }

    /**
     * @return the next frame of the connection, or null if the time ran out first.
     */
    private byte[] frame(final long timeoutNanos, final boolean interruptible) throws IOException
    {
        final long start = System.nanoTime();
        boolean interrupted = false;
        try
        {
            while (true)
            {
                try
                {
                    if (Waiter.FOREVER != timeoutNanos &&
                        !connection.poll(Duration.ofNanos(Waiter.remaining(timeoutNanos, start))))
                    {
                        return null;
                    }
                    return connection.recvBytes();
                }
                catch (final InterruptedIOException ex)
                {
                    if (interruptible)
                    {
                        throw ex;
                    }
                    Thread.interrupted();
                    interrupted = true;
                }
            }
        }
        finally
        {
            if (interrupted)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void dropSharedMemory()
    {
        final SharedRegion mapped = region;
        region = null;
        box = null;
        mapped.close();
        connection.spinNanos(spinNanos);
    }
}
