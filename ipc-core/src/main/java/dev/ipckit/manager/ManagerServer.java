package dev.ipckit.manager;

import dev.ipckit.pipe.AuthenticationException;
import dev.ipckit.pipe.Connection;
import dev.ipckit.pipe.Listener;

import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A manager's server: accepts authenticated connections and serves each on a thread of its own,
 * so that a blocking call holds up only its own caller, as CPython's {@code Server} does.
 * <p>
 * <b>Note:</b> {@link #serve()} runs in one thread; {@link #shutdown()} may be called from any.
 */
final class ManagerServer
{
    private static final Map<Endpoint, ManagerServer> RUNNING = new ConcurrentHashMap<>();
    private static final int ACCEPTORS = 4;

    /**
     * Made on first use: every client JVM loads this class (to look for a server of its own), and
     * loading the logging provider is a large part of a child's start.
     */
    private static final class Lazy
    {
        static final System.Logger LOGGER = System.getLogger(ManagerServer.class.getName());
    }

    final ObjectTable table = new ObjectTable();
    final ObjectTable.Session local;
    final Watchdog watchdog;
    private final Listener listener;
    private final Endpoint endpoint;
    private final byte[] key;
    private final Path ownerLink;
    private final Map<String, Registration> registrations = new HashMap<>();
    private final Set<ServedConnection> served = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final CountDownLatch done = new CountDownLatch(1);

    private ManagerServer(
        final Listener listener, final byte[] key, final Path ownerLink, final List<Registration> registrations)
    {
        this.listener = listener;
        this.endpoint = Endpoint.of(listener.address());
        this.key = key;
        this.ownerLink = ownerLink;
        for (final Registration r : registrations)
        {
            this.registrations.put(r.typeId, r);
        }
        this.local = table.join(0);
        this.watchdog = new Watchdog("ipckit-manager-watchdog " + endpoint);
        RUNNING.put(endpoint, this);
    }

    /**
     * Binds the server's socket.
     *
     * @param ownerLink a link in the runtime directory to remove at shutdown, or null.
     */
    static ManagerServer open(
        final Endpoint endpoint, final byte[] key, final Path ownerLink, final List<Registration> registrations)
        throws IOException
    {
        return new ManagerServer(endpoint.listen(key), key, ownerLink, registrations);
    }

    /**
     * @return the server running in this JVM at {@code endpoint}, or null.
     */
    static ManagerServer running(final Endpoint endpoint)
    {
        return RUNNING.get(endpoint);
    }

    Endpoint endpoint()
    {
        return endpoint;
    }

    byte[] key()
    {
        return key;
    }

    Registration registration(final String typeId)
    {
        return registrations.get(typeId);
    }

    /**
     * Accepts and serves connections until {@link #shutdown()}. Several threads accept, so that a
     * client slow to answer the authentication handshake does not hold up the others.
     */
    void serve()
    {
        final Thread[] acceptors = new Thread[ACCEPTORS - 1];
        for (int i = 0; i < acceptors.length; i++)
        {
            acceptors[i] = new Thread(this::acceptLoop, "ipckit-manager-accept " + endpoint);
            acceptors[i].setDaemon(true);
            acceptors[i].start();
        }
        try
        {
            acceptLoop();
        }
        finally
        {
            shutdown();
            try
            {
                done.await();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void acceptLoop()
    {
        while (!stopped.get())
        {
            final Connection connection;
            try
            {
                connection = listener.accept();
            }
            catch (final AuthenticationException ex)
            {
                Lazy.LOGGER.log(System.Logger.Level.WARNING, "ipckit manager at " + endpoint + ": refused a client: " +
                    ex.getMessage());
                continue;
            }
            catch (final AsynchronousCloseException | IllegalStateException ex)
            {
                break;
            }
            catch (final IOException ex)
            {
                if (stopped.get())
                {
                    break;
                }
                Lazy.LOGGER.log(System.Logger.Level.DEBUG, "ipckit manager at " + endpoint +
                    ": a client went away during the handshake", ex);
                continue;
            }
            final ServedConnection client = new ServedConnection(this, connection);
            served.add(client);
            if (stopped.get())
            {
                client.close();
            }
            else
            {
                client.start();
            }
        }
    }

    void ended(final ServedConnection client)
    {
        served.remove(client);
    }

    /**
     * Stops accepting, drops every connection (calls in flight get {@link ManagerUnavailableException})
     * and lets go of every object. Idempotent.
     */
    void shutdown()
    {
        if (!stopped.compareAndSet(false, true))
        {
            return;
        }
        RUNNING.remove(endpoint, this);
        listener.close();
        watchdog.stop();
        for (final ServedConnection client : served)
        {
            client.close();
        }
        table.clear();
        if (null != ownerLink)
        {
            try
            {
                Files.deleteIfExists(ownerLink);
            }
            catch (final IOException ex)
            {
                Lazy.LOGGER.log(System.Logger.Level.DEBUG, "ipckit manager: cannot remove " + ownerLink, ex);
            }
        }
        done.countDown();
    }
}
