package dev.ipckit.manager;

import dev.ipckit.IpcException;
import dev.ipckit.codec.Codec;
import dev.ipckit.codec.CodecException;
import dev.ipckit.internal.Waiter;
import dev.ipckit.pipe.Connection;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.ref.Cleaner;
import java.lang.reflect.Method;
import java.nio.channels.ClosedByInterruptException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * This JVM's side of one manager server: a session (all this process's references to the server's
 * objects), an anchor connection that carries released references and keeps the session alive, and
 * one connection per calling thread, so that a blocking call holds up only its own thread and a
 * lock belongs to the thread that took it (CPython's per-thread connections). A thread's connection
 * to a server on a Unix socket carries its calls through a {@link Mailbox} in shared memory.
 * <p>
 * <b>Note:</b> thread-safe; one instance per server address in a JVM.
 */
final class ManagerClient
{
    private static final Map<String, ManagerClient> CLIENTS = new ConcurrentHashMap<>();
    private static final Cleaner CLEANER = Cleaner.create();
    private static final Duration REPLY_GRACE = Duration.ofSeconds(10);

    private final String name;
    private final Endpoint endpoint;
    private final byte[] key;
    /** Groups this JVM's connections in the server; not a secret (the socket or the key is). */
    private final long session = ThreadLocalRandom.current().nextLong() | 1L;
    private final Codec codec = Codec.standard();
    private final Connection anchor;
    private final Wire anchorWire = new Wire();
    private final ThreadLocal<Channel> channels = new ThreadLocal<>();
    private final Set<Channel> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** One thread's connection. */
    private static final class Channel
    {
        final Mailbox mailbox;
        final Thread owner = Thread.currentThread();
        final Wire wire = new Wire();

        Channel(final Mailbox mailbox)
        {
            this.mailbox = mailbox;
        }
    }

    private ManagerClient(final Endpoint endpoint, final byte[] key, final String name)
    {
        this.name = name;
        this.endpoint = endpoint;
        this.key = null == key ? null : key.clone();
        this.anchor = connect(false).connection();
    }

    /**
     * @return this JVM's client of the server at {@code endpoint}, connecting if there is none.
     * @throws ManagerUnavailableException if the server cannot be reached.
     * @throws dev.ipckit.pipe.AuthenticationException if the key is wrong.
     */
    static ManagerClient of(final Endpoint endpoint, final byte[] key)
    {
        final String name = endpoint + "#" + (null == key ? "" : java.util.Base64.getEncoder().encodeToString(key));
        final ManagerClient client = CLIENTS.get(name);
        if (null != client && !client.closed)
        {
            return client;
        }
        synchronized (CLIENTS)
        {
            ManagerClient current = CLIENTS.get(name);
            if (null == current || current.closed)
            {
                current = new ManagerClient(endpoint, key, name);
                CLIENTS.put(name, current);
            }
            return current;
        }
    }

    Endpoint endpoint()
    {
        return endpoint;
    }

    byte[] key()
    {
        return key;
    }

    /**
     * Creates an object in the server.
     */
    Object create(final String typeId, final Class<?> iface, final Object... args)
    {
        final Channel channel = channel();
        channel.wire.begin(Wire.CREATE).putUtf(typeId).putUtf(iface.getName()).putArgs(codec, args);
        final byte[] reply = roundTrip(channel);
        final Wire in = channel.wire.read(reply);
        final byte status = in.getByte();
        if (Wire.HANDLE == status)
        {
            final long id = in.getLong();
            in.getUtf();
            return Proxies.create(this, id, iface);
        }
        throw unchecked(failure(status, in));
    }

    /**
     * Calls a method of the object {@code id} in the server.
     *
     * @param interruptible whether the method declares {@link InterruptedException}.
     */
    Object call(final long id, final int index, final boolean interruptible, final Method method, final Object[] args)
        throws Throwable
    {
        if (interruptible && Thread.interrupted())
        {
            throw new InterruptedException("interrupted before calling " + method.getName() + " at " + endpoint);
        }
        final boolean interrupted = !interruptible && Thread.interrupted();
        final byte[] reply;
        final Channel channel;
        try
        {
            channel = interruptible ? interruptibleChannel() : channel();
            channel.wire.begin(Wire.CALL).putLong(id).putInt(index).putArgs(codec, args);
            reply = interruptible ? interruptibleRoundTrip(channel, replyBound(args)) : roundTrip(channel);
        }
        finally
        {
            if (interrupted)
            {
                Thread.currentThread().interrupt();
            }
        }
        final Wire in = channel.wire.read(reply);
        final byte status = in.getByte();
        if (Wire.RETURN == status)
        {
            return in.getRest(codec);
        }
        if (Wire.HANDLE == status)
        {
            return Proxies.create(this, in.getLong(), method.getReturnType());
        }
        final Throwable failure = failure(status, in);
        if (failure instanceof RuntimeException || failure instanceof Error)
        {
            throw failure;
        }
        for (final Class<?> declared : method.getExceptionTypes())
        {
            if (declared.isInstance(failure))
            {
                throw failure;
            }
        }
        throw new RemoteException(method.getName() + " at " + endpoint + " threw " + failure, failure);
    }

    /**
     * Asks the server for a simple answer (shutdown, object count).
     */
    Object control(final byte kind)
    {
        final Channel channel = channel();
        channel.wire.begin(kind);
        final Wire in = channel.wire.read(roundTrip(channel));
        final byte status = in.getByte();
        if (Wire.RETURN == status)
        {
            return in.getRest(codec);
        }
        throw unchecked(failure(status, in));
    }

    /**
     * Takes a reference for this process to an object whose proxy arrived from elsewhere, in a
     * round trip on the calling thread's connection (which decodes the proxy, and most likely uses
     * it next): its first call then finds the connection made and served, and the call path run
     * once; a child's task often makes that call under a lock the other children wait for.
     *
     * @throws ManagerUnavailableException if the server cannot be reached.
     */
    Object adopt(final long id, final Class<?> iface)
    {
        final ManagerServer local = ManagerServer.running(endpoint);
        if (null != local)
        {
            local.table.incref(local.local, id);
        }
        else
        {
            final Channel channel = channel();
            channel.wire.begin(Wire.INCREF).putLong(id);
            final Wire in = channel.wire.read(roundTrip(channel));
            final byte status = in.getByte();
            if (Wire.RETURN != status)
            {
                throw unchecked(failure(status, in));
            }
        }
        return Proxies.create(this, id, iface);
    }

    /**
     * Lets go of this process's reference when {@code handler}'s proxy is garbage.
     */
    void track(final Object handler, final long id)
    {
        CLEANER.register(handler, () -> release(id));
    }

    /**
     * Drops every connection: the server lets go of this process's references.
     */
    void close()
    {
        closed = true;
        CLIENTS.remove(name, this);
        anchor.close();
        for (final Channel channel : open)
        {
            channel.mailbox.close();
        }
        open.clear();
    }

    private void release(final long id)
    {
        final ManagerServer local = ManagerServer.running(endpoint);
        if (null != local)
        {
            local.table.decref(local.local, id);
        }
        else if (!closed)
        {
            synchronized (anchorWire)
            {
                anchorWire.begin(Wire.DECREF).putLong(id);
                try
                {
                    anchor.sendBytes(anchorWire.buffer(), 0, anchorWire.length());
                }
                catch (final IOException | IllegalStateException serverGone)
                {
                    // the server let go of every reference of this process when the anchor dropped
                }
            }
        }
    }

    private Channel channel()
    {
        if (closed)
        {
            throw new ManagerUnavailableException("manager client is closed: " + endpoint, null);
        }
        Channel channel = channels.get();
        if (null == channel || channel.mailbox.isClosed())
        {
            for (final Channel other : open)
            {
                if (!other.owner.isAlive() || other.mailbox.isClosed())
                {
                    open.remove(other);
                    other.mailbox.close();
                }
            }
            channel = new Channel(connect(!endpoint.isTcp()));
            channels.set(channel);
            open.add(channel);
        }
        return channel;
    }

    private Channel interruptibleChannel() throws InterruptedException
    {
        try
        {
            return channel();
        }
        catch (final ManagerUnavailableException ex)
        {
            if (Thread.interrupted())
            {
                final InterruptedException interrupted = new InterruptedException(
                    "interrupted while connecting to the manager at " + endpoint);
                interrupted.initCause(ex);
                throw interrupted;
            }
            throw ex;
        }
    }

    /**
     * @param sharedMemory whether to offer the server a mailbox in shared memory (it shares this
     *                     machine).
     */
    private Mailbox connect(final boolean sharedMemory)
    {
        final Connection connection;
        try
        {
            connection = endpoint.connect(key);
        }
        catch (final IOException ex)
        {
            throw unavailable("cannot connect to", ex);
        }
        final Mailbox mailbox = sharedMemory ? Mailbox.offer(connection) : Mailbox.socketOnly(connection);
        final Wire hello = new Wire().begin(Wire.HELLO).putLong(session).putUtf(mailbox.offeredId());
        try
        {
            connection.sendBytes(hello.buffer(), 0, hello.length());
            mailbox.awaitAnswer();
        }
        catch (final IOException | IllegalStateException ex)
        {
            mailbox.close();
            throw unavailable("cannot connect to", ex);
        }
        return mailbox;
    }

    private byte[] roundTrip(final Channel channel)
    {
        try
        {
            channel.mailbox.send(channel.wire.buffer(), 0, channel.wire.length());
            return channel.mailbox.receive(Waiter.FOREVER, false);
        }
        catch (final IOException | IllegalStateException ex)
        {
            throw lost(channel, ex);
        }
    }

    /**
     * @param bound how long to wait for the reply before giving the server up, or null for no bound.
     */
    private byte[] interruptibleRoundTrip(final Channel channel, final Duration bound) throws InterruptedException
    {
        try
        {
            channel.mailbox.send(channel.wire.buffer(), 0, channel.wire.length());
            final byte[] reply = channel.mailbox.receive(null == bound ? Waiter.FOREVER : Waiter.nanos(bound), true);
            if (null == reply)
            {
                discard(channel);
                throw new ManagerUnavailableException("no reply from the manager at " + endpoint + " within " + bound +
                    " (the call's own timeout and " + REPLY_GRACE + " more)", null);
            }
            return reply;
        }
        catch (final IOException | IllegalStateException ex)
        {
            if (ex instanceof InterruptedIOException || ex instanceof ClosedByInterruptException ||
                Thread.currentThread().isInterrupted())
            {
                discard(channel);
                Thread.interrupted();
                final InterruptedException interrupted = new InterruptedException(
                    "interrupted while waiting for the manager at " + endpoint);
                interrupted.initCause(ex);
                throw interrupted;
            }
            throw lost(channel, ex);
        }
    }

    private ManagerUnavailableException lost(final Channel channel, final Exception cause)
    {
        discard(channel);
        return unavailable("lost the connection to", cause);
    }

    private void discard(final Channel channel)
    {
        open.remove(channel);
        channel.mailbox.close();
        channels.remove();
    }

    private ManagerUnavailableException unavailable(final String what, final Exception cause)
    {
        return new ManagerUnavailableException(what + " the manager at " + endpoint + ": " + cause, cause);
    }

    private Throwable failure(final byte status, final Wire in)
    {
        if (Wire.ERROR != status)
        {
            return new IpcException("corrupt reply from the manager at " + endpoint + ": status=" + status);
        }
        try
        {
            return (Throwable)in.getRest(codec);
        }
        catch (final CodecException | ClassCastException ex)
        {
            return new RemoteException("the manager at " + endpoint + " sent an exception this JVM cannot decode: " +
                ex.getMessage(), null);
        }
    }

    private static RuntimeException unchecked(final Throwable failure)
    {
        if (failure instanceof RuntimeException)
        {
            return (RuntimeException)failure;
        }
        if (failure instanceof Error)
        {
            throw (Error)failure;
        }
        return new RemoteException(failure.toString(), failure);
    }

    /**
     * A call with a timeout gets its reply within that time (the server enforces it) and a grace
     * for the round trip; no reply by then means the server is stuck or gone.
     */
    private static Duration replyBound(final Object[] args)
    {
        if (null != args)
        {
            for (final Object arg : args)
            {
                if (arg instanceof Duration)
                {
                    final Duration timeout = (Duration)arg;
                    try
                    {
                        return timeout.isNegative() ? REPLY_GRACE : timeout.plus(REPLY_GRACE);
                    }
                    catch (final ArithmeticException forever)
                    {
                        return null;
                    }
                }
            }
        }
        return null;
    }
}
