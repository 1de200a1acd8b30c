package dev.ipckit.pipe;

import dev.ipckit.process.IpcProcess;
import dev.ipckit.support.RuntimeDirectoryClean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
@ExtendWith(RuntimeDirectoryClean.class)
class TcpListenerTest
{
    private static final byte[] KEY = "abc".getBytes(StandardCharsets.US_ASCII);
    private static final InetSocketAddress ANY_LOOPBACK_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @Test
    void shouldServeAClientInAnotherProcessOverTcpOnAPickedPort() throws Exception
    {
        try (Listener listener = Listener.bind(ANY_LOOPBACK_PORT, KEY))
        {
            final InetSocketAddress bound = (InetSocketAddress)listener.address();
            assertNotEquals(0, bound.getPort());
            final IpcProcess client = IpcProcess.start(() ->
            {
                try (Connection conn = Client.connect(bound, KEY))
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
    }

    @Test
    void shouldRejectAWrongKeyOnBothSidesAndKeepListening() throws Exception
    {
        try (Listener listener = Listener.bind(ANY_LOOPBACK_PORT, KEY))
        {
            final InetSocketAddress bound = (InetSocketAddress)listener.address();
            final IpcProcess intruder = IpcProcess.start(() ->
            {
                try
                {
                    Client.connect(bound, "xyz".getBytes(StandardCharsets.US_ASCII)).close();
                    System.exit(3);
                }
                catch (final AuthenticationException expected)
                {
                    System.exit(0);
                }
            });
            assertThrows(AuthenticationException.class, listener::accept);
            assertTrue(intruder.join(Duration.ofSeconds(20)));
            assertEquals(0, intruder.exitCode());

            final IpcProcess friend = IpcProcess.start(() ->
            {
                try (Connection conn = Client.connect(bound, KEY))
                {
                    conn.send(42);
                }
            });
            try (Connection conn = listener.accept())
            {
                assertEquals(42, (int)conn.recv());
            }
            assertTrue(friend.join(Duration.ofSeconds(20)));
        }
    }

    @Test
    void shouldRefuseTcpWithoutAKey()
    {
        assertThrows(IllegalArgumentException.class, () -> Listener.bind(ANY_LOOPBACK_PORT, null));
        assertThrows(IllegalArgumentException.class, () -> Listener.bind(ANY_LOOPBACK_PORT, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> Client.connect(ANY_LOOPBACK_PORT, null));
        assertThrows(IllegalArgumentException.class, () -> Client.connect(ANY_LOOPBACK_PORT, new byte[0]));
    }

    @Test
    void shouldReportNothingListening() throws Exception
    {
        final InetSocketAddress closed;
        try (Listener listener = Listener.bind(ANY_LOOPBACK_PORT, KEY))
        {
            closed = (InetSocketAddress)listener.address();
        }
        assertThrows(ConnectException.class, () -> Client.connect(closed, KEY));
    }
}
