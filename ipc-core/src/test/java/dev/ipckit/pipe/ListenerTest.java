package dev.ipckit.pipe;

import dev.ipckit.IpcException;
import dev.ipckit.RuntimeDirectory;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.support.RuntimeDirectoryClean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.EOFException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
@ExtendWith(RuntimeDirectoryClean.class)
class ListenerTest
{
    private static final byte[] KEY = "correct horse battery staple".getBytes(StandardCharsets.UTF_8);

    private final Path address = RuntimeDirectory.path().resolve("listener-test.sock");

    @AfterEach
    void removeSocket() throws Exception
    {
        Files.deleteIfExists(address);
    }

    @Test
    void shouldServeAClientThatHoldsTheKey() throws Exception
    {
        try (Listener listener = Listener.bind(address, KEY))
        {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(address)));
            final String at = address.toString();
            final IpcProcess client = IpcProcess.start(() ->
            {
                try (Connection conn = Client.connect(Path.of(at), KEY))
                {
                    conn.send("ping");
                    if (!"pong".equals(conn.recv()))
                    {
                        System.exit(3);
                    }
                }
            });
            try (Connection conn = listener.accept())
            {
                assertEquals("ping", conn.recv());
                conn.send("pong");
                assertThrows(EOFException.class, conn::recv);
            }
            assertTrue(client.join(Duration.ofSeconds(20)));
            assertEquals(0, client.exitCode());
        }
        assertFalse(Files.exists(address), "close removes the socket file");
    }

    @Test
    void shouldRejectAWrongKeyOnBothSidesAndKeepListening() throws Exception
    {
        try (Listener listener = Listener.bind(address, KEY))
        {
            final String at = address.toString();
            final IpcProcess intruder = IpcProcess.start(() ->
            {
                try
                {
                    Client.connect(Path.of(at), "wrong".getBytes(StandardCharsets.UTF_8));
                    System.exit(2);
                }
                catch (final AuthenticationException expected)
                {
                    System.exit(42);
                }
            });
            final AuthenticationException rejected = assertThrows(AuthenticationException.class, listener::accept);
            assertTrue(rejected.getMessage().contains("digest received"), rejected.getMessage());
            assertTrue(intruder.join(Duration.ofSeconds(20)));
            assertEquals(42, intruder.exitCode());

            final IpcProcess friend = IpcProcess.start(() ->
            {
                try (Connection conn = Client.connect(Path.of(at), KEY))
                {
                    conn.send("friend");
                }
            });
            try (Connection conn = listener.accept())
            {
                assertEquals("friend", conn.recv());
            }
            assertTrue(friend.join(Duration.ofSeconds(20)));
            assertEquals(0, friend.exitCode());
        }
    }

    @Test
    void shouldRejectAMissingKeyOnEitherSide() throws Exception
    {
        try (Listener listener = Listener.bind(address, KEY))
        {
            final String at = address.toString();
            final IpcProcess keyless = IpcProcess.start(() ->
            {
                try (Connection conn = Client.connect(Path.of(at)))
                {
                    conn.recv();
                }
                catch (final AuthenticationException expected)
                {
                    System.exit(42);
                }
            });
            assertThrows(AuthenticationException.class, listener::accept);
            assertTrue(keyless.join(Duration.ofSeconds(20)));
            assertEquals(42, keyless.exitCode());
        }
        try (Listener open = Listener.bind(address))
        {
            final String at = address.toString();
            final IpcProcess keyed = IpcProcess.start(() ->
            {
                try
                {
                    Client.connect(Path.of(at), KEY);
                }
                catch (final AuthenticationException expected)
                {
                    System.exit(42);
                }
            });
            assertThrows(AuthenticationException.class, open::accept);
            assertTrue(keyed.join(Duration.ofSeconds(20)));
            assertEquals(42, keyed.exitCode());
        }
    }

    @Test
    void shouldConnectWithoutAuthenticationWhenNeitherSideHasAKey() throws Exception
    {
        try (Listener listener = Listener.bind(address))
        {
            try (Connection client = Client.connect(address); Connection server = listener.accept())
            {
                client.send("no key needed");
                assertEquals("no key needed", server.recv());
            }
        }
    }

    @Test
    void shouldRefuseCorruptFrameFromRawClientAndCloseTheConnection() throws Exception
    {
        try (Listener listener = Listener.bind(address);
             SocketChannel raw = SocketChannel.open(StandardProtocolFamily.UNIX))
        {
            raw.connect(UnixDomainSocketAddress.of(address));
            raw.write(hello().putInt(-5).flip());
            try (Connection conn = listener.accept())
            {
                final IpcException corrupt = assertThrows(IpcException.class, conn::recvBytes);
                assertTrue(corrupt.getMessage().contains("corrupt frame") && corrupt.getMessage().contains("length=-5"),
                    corrupt.getMessage());
                assertTrue(conn.isClosed());
            }
        }
    }

    @Test
    void shouldRefuseOversizedFrameBeforeAllocatingIt() throws Exception
    {
        try (Listener listener = Listener.bind(address);
             SocketChannel raw = SocketChannel.open(StandardProtocolFamily.UNIX))
        {
            raw.connect(UnixDomainSocketAddress.of(address));
            raw.write(hello().putInt(Integer.MAX_VALUE).flip());
            try (Connection conn = listener.accept())
            {
                final IpcException oversized = assertThrows(IpcException.class, conn::recv);
                assertTrue(oversized.getMessage().contains("length=" + Integer.MAX_VALUE), oversized.getMessage());
                assertTrue(conn.isClosed());
            }
        }
    }

    @Test
    void shouldRefuseAPeerThatIsNotIpckit() throws Exception
    {
        try (Listener listener = Listener.bind(address);
             SocketChannel raw = SocketChannel.open(StandardProtocolFamily.UNIX))
        {
            raw.connect(UnixDomainSocketAddress.of(address));
            raw.write(ByteBuffer.wrap("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            final IpcException notIpckit = assertThrows(IpcException.class, listener::accept);
            assertTrue(notIpckit.getMessage().contains("not an ipckit connection"), notIpckit.getMessage());
        }
    }

    @Test
    void shouldRefuseAnAddressInUseAndUseAfterClose() throws Exception
    {
        final Listener listener = Listener.bind(address);
        assertThrows(BindException.class, () -> Listener.bind(address));
        listener.close();
        listener.close();
        assertTrue(listener.isClosed());
        assertThrows(IllegalStateException.class, listener::accept);
        assertThrows(ConnectException.class, () -> Client.connect(address));
        assertThrows(IllegalArgumentException.class, () -> Listener.bind(address, new byte[0]));
    }

    @Test
    void shouldRefuseToPassAListenerConnectionToAnotherProcess() throws Exception
    {
        try (Listener listener = Listener.bind(address);
             Connection client = Client.connect(address);
             Connection server = listener.accept())
        {
            final java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(new java.io.ByteArrayOutputStream());
            assertThrows(java.io.NotSerializableException.class, () -> out.writeObject(client));
            assertFalse(server.isClosed());
        }
    }

    private static ByteBuffer hello()
    {
        return ByteBuffer.allocate(64)
            .putInt(Hello.MAGIC)
            .putShort(Hello.PROTOCOL_VERSION)
            .putShort((short)0)
            .putLong(ProcessHandle.current().pid());
    }
}
