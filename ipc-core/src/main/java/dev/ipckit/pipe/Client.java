package dev.ipckit.pipe;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * Connects to a {@link Listener}, on a Unix socket path or a TCP address: Python's
 * {@code multiprocessing.connection.Client}.
 * <p>
 * <b>Note:</b> stateless and thread-safe.
 */
public final class Client
{
    private Client()
    {
    }

    /**
     * Connects without authentication.
     *
     * @param address the listener's socket path.
     * @return a duplex connection to the listener.
     * @throws ConnectException        if nothing listens at {@code address}.
     * @throws AuthenticationException if the listener requires a key.
     * @throws IOException             on another I/O failure.
     */
    public static Connection connect(final Path address) throws IOException
    {
        return connect(address, null);
    }

    /**
     * Connects and proves to the listener that this side holds {@code authKey} (and makes the
     * listener prove it too).
     *
     * @param address the listener's socket path.
     * @param authKey the shared secret, or {@code null} for no authentication.
     * @return a duplex connection to the listener.
     * @throws IllegalArgumentException if {@code authKey} is empty.
     * @throws ConnectException         if nothing listens at {@code address}.
     * @throws AuthenticationException  if the keys differ, or one side has none.
     * @throws IOException              on another I/O failure.
     */
    public static Connection connect(final Path address, final byte[] authKey) throws IOException
    {
        final byte[] key = Handshake.checkKey(authKey);
        final Path path = address.toAbsolutePath();
        final String name = "client=" + path;
        final FrameChannel channel = FrameChannel.connect(
            name, path, Handshake.flags(key), FrameChannel.Options.fromConfiguration());
        if (null == channel)
        {
            throw new ConnectException("cannot connect to " + path + ": nothing listens there");
        }
        return Handshake.connection(channel, key, false, name);
    }

    /**
     * Connects over TCP and proves to the listener that this side holds {@code authKey} (and makes
     * the listener prove it too). Frames and handshake are those of Unix-socket connections.
     *
     * @param address the listener's host and port.
     * @param authKey the shared secret; required.
     * @return a duplex connection to the listener.
     * @throws IllegalArgumentException if {@code authKey} is null or empty.
     * @throws ConnectException         if nothing listens at {@code address}.
     * @throws AuthenticationException  if the keys differ.
     * @throws IOException              on another I/O failure.
     */
    public static Connection connect(final InetSocketAddress address, final byte[] authKey) throws IOException
    {
        final byte[] key = Handshake.checkNetworkKey(authKey);
        final String name = "client=" + address;
        final SocketChannel socket = SocketChannel.open();
        try
        {
            socket.connect(address);
            noDelay(socket);
        }
        catch (final IOException | RuntimeException ex)
        {
            socket.close();
            throw ex;
        }
        final FrameChannel channel = FrameChannel.wrap(name, socket, Handshake.flags(key),
            FrameChannel.Options.fromConfiguration());
        return Handshake.connection(channel, key, false, name);
    }

    static void noDelay(final SocketChannel socket) throws IOException
    {
        socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
    }
}
