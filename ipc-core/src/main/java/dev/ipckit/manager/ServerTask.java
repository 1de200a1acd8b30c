package dev.ipckit.manager;

import dev.ipckit.RuntimeDirectory;
import dev.ipckit.pipe.Connection;
import dev.ipckit.process.Task;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a manager's child JVM runs: claim the runtime-directory entry (if any), bind, report the
 * bound address (or the failure) to the parent over {@code ready}, then serve until shutdown.
 */
final class ServerTask implements Task
{
    private static final long serialVersionUID = 1L;
    private static final String KIND = "manager";

    private final Endpoint endpoint;
    private final byte[] key;
    private final String ownerLink;
    private final ArrayList<Registration> registrations;
    private final Connection ready;

    private ServerTask(
        final Endpoint endpoint,
        final byte[] key,
        final String ownerLink,
        final List<Registration> registrations,
        final Connection ready)
    {
        this.endpoint = endpoint;
        this.key = key;
        this.ownerLink = ownerLink;
        this.registrations = new ArrayList<>(registrations);
        this.ready = ready;
    }

    /**
     * @param endpoint      where to bind; null for a new socket in the runtime directory, with the
     *                      owner link that removes it once the serving process is gone.
     * @param key           the server's key, or null for none.
     * @param registrations the types it serves.
     * @param ready         where {@link #run()} reports the bound address; null for a server that
     *                      this JVM {@linkplain #open() opens} and serves itself.
     * @return the task.
     */
    static ServerTask of(
        final Endpoint endpoint, final byte[] key, final List<Registration> registrations, final Connection ready)
    {
        if (null != endpoint)
        {
            return new ServerTask(endpoint, key, null, registrations, ready);
        }
        final String id = RuntimeDirectory.newId();
        return new ServerTask(Endpoint.of(RuntimeDirectory.groupEntry(KIND, id, "sock")), key,
            RuntimeDirectory.groupEntry(KIND, id, "owner").toString(), registrations, ready);
    }

    /** @return where the server binds. */
    Endpoint endpoint()
    {
        return endpoint;
    }

    @Override
    public void run() throws Exception
    {
        final ManagerServer server;
        try (Connection report = ready)
        {
            try
            {
                server = open();
            }
            catch (final Exception ex)
            {
                report.send(ex);
                throw ex;
            }
            report.send(server.endpoint());
        }
        server.serve();
    }

    /**
     * Claims the runtime-directory entry (if any) and binds.
     *
     * @return the server, bound.
     * @throws Exception if it cannot bind (the claim is given up).
     */
    ManagerServer open() throws Exception
    {
        final Path link = null == ownerLink ? null : Path.of(ownerLink);
        if (null != link)
        {
            RuntimeDirectory.claim(link);
        }
        try
        {
            return ManagerServer.open(endpoint, key, link, registrations);
        }
        catch (final Exception ex)
        {
            if (null != link)
            {
                java.nio.file.Files.deleteIfExists(link);
            }
            throw ex;
        }
    }
}
