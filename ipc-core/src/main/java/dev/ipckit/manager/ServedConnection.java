package dev.ipckit.manager;

import dev.ipckit.codec.Codec;
import dev.ipckit.codec.CodecException;
import dev.ipckit.internal.Waiter;
import dev.ipckit.pipe.Connection;

import java.io.IOException;
import java.io.Serializable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.AbstractMap;
import java.util.Map;

/**
 * One client connection of a {@link ManagerServer}, served by a thread of its own: reads a request,
 * runs it, writes the reply, through the connection's {@link Mailbox}. When the connection ends,
 * what its thread holds (locks) is released and its session's references go with the session's
 * last connection.
 * <p>
 * <b>Note:</b> runs in its own thread; {@link #close()} may be called from any.
 */
final class ServedConnection implements Runnable
{
    private static final System.Logger LOGGER = System.getLogger(ServedConnection.class.getName());

    private final ManagerServer server;
    private final Connection connection;
    private final Codec codec = Codec.standard();
    private final Wire in = new Wire();
    private final Wire out = new Wire();
    private Mailbox mailbox;
    private ObjectTable.Session session;
    private Thread thread;

    ServedConnection(final ManagerServer server, final Connection connection)
    {
        this.server = server;
        this.connection = connection;
    }

    void start()
    {
        thread = new Thread(this, "ipckit-manager " + connection);
        thread.setDaemon(true);
        thread.start();
    }

    void close()
    {
        connection.close();
        final Thread t = thread;
        if (null != t)
        {
            t.interrupt();
        }
    }

    @Override
    public void run()
    {
        try
        {
            final byte[] hello = connection.recvBytes();
            if (Wire.HELLO != in.read(hello).getByte())
            {
                throw new IOException("client did not start with a hello");
            }
            session = server.table.join(in.getLong());
            mailbox = Mailbox.accept(connection, in.getUtf());
            while (true)
            {
                if (!handle(mailbox.receive(Waiter.FOREVER, true)))
                {
                    return;
                }
            }
        }
        catch (final IOException | IllegalStateException ex)
        {
            LOGGER.log(System.Logger.Level.TRACE, "ipckit manager: connection ended: " + connection, ex);
        }
        catch (final RuntimeException ex)
        {
            LOGGER.log(System.Logger.Level.WARNING, "ipckit manager: dropping connection " + connection, ex);
        }
        finally
        {
            ServerOwned.releaseAllOfCurrentThread();
            if (null != session)
            {
                server.table.leave(session);
            }
            if (null != mailbox)
            {
                mailbox.close();
            }
            connection.close();
            server.ended(this);
        }
    }

    private boolean handle(final byte[] request) throws IOException
    {
        final byte kind = in.read(request).getByte();
        switch (kind)
        {
            case Wire.CALL:
                call();
                return true;
            case Wire.CREATE:
                create();
                return true;
            case Wire.INCREF:
                server.table.incref(session, in.getLong());
                reply(null);
                return true;
            case Wire.DECREF:
                server.table.decref(session, in.getLong());
                return true;
            case Wire.COUNT:
                reply(server.table.size());
                return true;
            case Wire.SHUTDOWN:
                reply(null);
                server.shutdown();
                return false;
            default:
                throw new IOException("unknown request kind=" + kind);
        }
    }

    private void call() throws IOException
    {
        final ObjectTable.Entry entry;
        final Method method;
        final Object[] args;
        try
        {
            entry = server.table.get(in.getLong());
            method = entry.methods.method(in.getInt());
            args = in.getArgs(codec);
        }
        catch (final RuntimeException ex)
        {
            fail(ex);
            return;
        }

        final Object result;
        try
        {
            result = invoke(entry, method, args);
        }
        catch (final InvocationTargetException ex)
        {
            fail(ex.getCause());
            return;
        }
        catch (final IllegalAccessException | RuntimeException ex)
        {
            fail(ex);
            return;
        }
        if (result instanceof Map.Entry && !(result instanceof Serializable))
        {
            final Map.Entry<?, ?> e = (Map.Entry<?, ?>)result;
            reply(new AbstractMap.SimpleImmutableEntry<>(e.getKey(), e.getValue()));
            return;
        }
        if (null != result && method.getReturnType().isInterface() && !(result instanceof Serializable))
        {
            handle(server.table.export(session, result, method.getReturnType(), entry.monitor));
            return;
        }
        reply(result);
    }

    private Object invoke(final ObjectTable.Entry entry, final Method method, final Object[] args)
        throws InvocationTargetException, IllegalAccessException
    {
        if (null != entry.monitor)
        {
            synchronized (entry.monitor)
            {
                return method.invoke(entry.target, args);
            }
        }
        final Watchdog.Call call = server.watchdog.begin(connection);
        try
        {
            return method.invoke(entry.target, args);
        }
        finally
        {
            server.watchdog.end(call);
        }
    }

    private void create() throws IOException
    {
        final ObjectTable.Entry entry;
        try
        {
            final String typeId = in.getUtf();
            final String ifaceName = in.getUtf();
            final Object[] args = in.getArgs(codec);
            final BuiltinTypes.Made made = BuiltinTypes.make(typeId, args);
            if (null != made)
            {
                entry = server.table.export(session, made.target, made.iface, made.serialised ? made.target : null);
            }
            else
            {
                final Registration registration = server.registration(typeId);
                if (null == registration)
                {
                    throw new IllegalArgumentException("no type registered as typeId=" + typeId + " at " +
                        server.endpoint());
                }
                final Class<?> iface = Class.forName(ifaceName, false, registration.iface.getClassLoader());
                if (!iface.isAssignableFrom(registration.iface))
                {
                    throw new IllegalArgumentException("typeId=" + typeId + " is registered with iface=" +
                        registration.iface.getName() + ", not " + ifaceName);
                }
                entry = server.table.export(session, registration.factory.get(), iface, null);
            }
        }
        catch (final ClassNotFoundException ex)
        {
            fail(new IllegalArgumentException("interface not on the server's class path: " + ex.getMessage(), ex));
            return;
        }
        catch (final RuntimeException ex)
        {
            fail(ex);
            return;
        }
        handle(entry);
    }

    private void handle(final ObjectTable.Entry entry) throws IOException
    {
        out.begin(Wire.HANDLE).putLong(entry.id).putUtf(entry.methods.iface().getName());
        mailbox.send(out.buffer(), 0, out.length());
    }

    private void reply(final Object result) throws IOException
    {
        byte[] encoded;
        try
        {
            encoded = codec.encode(result);
        }
        catch (final CodecException ex)
        {
            fail(ex);
            return;
        }
        out.begin(Wire.RETURN).putRaw(encoded);
        mailbox.send(out.buffer(), 0, out.length());
    }

    private void fail(final Throwable failure) throws IOException
    {
        byte[] encoded;
        try
        {
            encoded = codec.encode(failure);
        }
        catch (final CodecException ex)
        {
            final RemoteException stand = new RemoteException(failure.getClass().getName() + ": " + failure.getMessage() +
                " (the exception could not be sent: " + ex.getMessage() + ')', null);
            stand.setStackTrace(failure.getStackTrace());
            encoded = codec.encode(stand);
        }
        out.begin(Wire.ERROR).putRaw(encoded);
        mailbox.send(out.buffer(), 0, out.length());
    }
}
