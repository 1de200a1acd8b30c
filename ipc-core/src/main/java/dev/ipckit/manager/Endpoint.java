package dev.ipckit.manager;

import dev.ipckit.pipe.Client;
import dev.ipckit.pipe.Connection;
import dev.ipckit.pipe.Listener;

import java.io.IOException;
import java.io.Serializable;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a manager's server listens: a Unix socket path or a TCP host and port, in a form that
 * crosses process boundaries inside proxy handles.
 */
final class Endpoint implements Serializable
{
    private static final long serialVersionUID = 1L;

    private final String path;
    private final InetSocketAddress inet;

    private Endpoint(final String path, final InetSocketAddress inet)
    {
        this.path = path;
        this.inet = inet;
    }

    static Endpoint of(final Path path)
    {
        return new Endpoint(path.toAbsolutePath().toString(), null);
    }

    static Endpoint of(final InetSocketAddress address)
    {
        return new Endpoint(null, Objects.requireNonNull(address, "address"));
    }

    static Endpoint of(final SocketAddress bound)
    {
        return bound instanceof UnixDomainSocketAddress ?
            of(((UnixDomainSocketAddress)bound).getPath()) : of((InetSocketAddress)bound);
    }

    boolean isTcp()
    {
        return null != inet;
    }

    /**
     * @return the {@link Path} or {@link InetSocketAddress}.
     */
    Object address()
    {
        return null == inet ? Path.of(path) : inet;
    }

    Listener listen(final byte[] key) throws IOException
    {
        return null == inet ? Listener.bind(Path.of(path), key) : Listener.bind(inet, key);
    }

    Connection connect(final byte[] key) throws IOException
    {
        return null == inet ? Client.connect(Path.of(path), key) : Client.connect(inet, key);
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof Endpoint && Objects.equals(path, ((Endpoint)o).path) &&
            Objects.equals(inet, ((Endpoint)o).inet);
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(path, inet);
    }

    @Override
    public String toString()
    {
        return null == inet ? path : inet.getHostString() + ':' + inet.getPort();
    }
}
