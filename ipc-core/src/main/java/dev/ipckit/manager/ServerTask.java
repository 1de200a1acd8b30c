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

    private final Endpoint endpoint;
    private final byte[] key;
    private final String ownerLink;
    private final ArrayList<Registration> registrations;
    private final Connection ready;

    ServerTask(
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

    @Override
    public void run() throws Exception
    {
        final ManagerServer server;
        try (Connection report = ready)
        {
            try
            {
                server = open(endpoint, key, ownerLink, registrations);
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

    static ManagerServer open(
        final Endpoint endpoint, final byte[] key, final String ownerLink, final List<Registration> registrations)
        throws Exception
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
