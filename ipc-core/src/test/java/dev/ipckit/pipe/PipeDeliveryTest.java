package dev.ipckit.pipe;

import dev.ipckit.IpcException;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.support.Await;
import dev.ipckit.support.RuntimeDirectoryClean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a send accepted reaches the peer, or its loss is reported; a peer cannot stall or bloat a receiver. */
@Timeout(120)
@ExtendWith(RuntimeDirectoryClean.class)
class PipeDeliveryTest
{
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final int MESSAGES = 20_000;

    @Test
    void shouldDeliverEverythingSentBeforeCloseToASlowReader() throws Exception
    {
        final Pipe pipe = Pipe.open(false);
        final IpcProcess child = IpcProcess.start(() ->
        {
            final Connection out = pipe.right();
            final byte[] message = new byte[1024];
            for (int i = 0; i < MESSAGES; i++)
            {
                Arrays.fill(message, (byte)i);
                out.sendBytes(message);
            }
            out.close();
        });
        pipe.right().close();
        try (Connection in = pipe.left())
        {
            for (int i = 0; i < MESSAGES; i++)
            {
                final byte[] message = in.recvBytes();
                assertEquals(1024, message.length);
                assertEquals((byte)i, message[1023], "message " + i);
                if (0 == i % 2_000)
                {
                    TimeUnit.MILLISECONDS.sleep(200);
                }
            }
            assertThrows(EOFException.class, in::recvBytes);
        }
        assertTrue(child.join(BOUND));
        assertEquals(0, child.exitCode());
    }

    @Test
    void shouldThrowFromCloseWhenThePeerStopsReading() throws Exception
    {
        final Pipe pipe = Pipe.open(false);
        final Connection in = pipe.left();
        assertTrue(!in.poll(Duration.ofMillis(1)) || in.poll(Duration.ZERO));
        final IpcProcess child = IpcProcess.builder().jvmArgs("-Dipckit.pipe.closeTimeoutMillis=2000").target(() ->
        {
            final Connection out = pipe.right();
            final AtomicLong sent = new AtomicLong();
            final Thread sender = new Thread(() ->
            {
                try
                {
                    while (true)
                    {
                        out.sendBytes(new byte[1024]);
                        sent.incrementAndGet();
                    }
                }
                catch (final IOException | RuntimeException closed)
                {
                    // the close below woke the blocked send
                }
            });
            sender.start();
            while (0 == sent.get() || !waitsForThePeer(sender))
            {
                TimeUnit.MILLISECONDS.sleep(10);
            }
            final long start = System.nanoTime();
            try
            {
                out.close();
                System.exit(3);
            }
            catch (final IpcException expected)
            {
                final long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                System.exit(expected.getMessage().contains("stopped reading") && millis >= 1_900 ? 0 : 4);
            }
        }).start();
        pipe.right().close();
        assertTrue(child.join(BOUND));
        assertEquals(0, child.exitCode());
        in.close();
    }

    @Test
    void shouldCutOffAHandshakeThatTricklesAtItsDeadline(@TempDir final Path dir) throws Exception
    {
        final Path address = dir.resolve("listener.sock");
        final byte[] key = "secret".getBytes(StandardCharsets.US_ASCII);
        try (Listener listener = Listener.bind(address, key))
        {
            final Thread trickler = new Thread(() -> trickle(address));
            trickler.setDaemon(true);
            trickler.start();
            final long start = System.nanoTime();
            final AuthenticationException ex = assertThrows(AuthenticationException.class, listener::accept);
            final long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            assertTrue(seconds < 30, "cut off after " + seconds + " s");
            assertTrue(ex.getMessage().contains("did not complete within 10 s"), ex.getMessage());
            trickler.interrupt();
            trickler.join(TimeUnit.SECONDS.toMillis(30));
        }
    }

    @Test
    void shouldNotAllocateWhatAFrameHeaderClaimsBeforeItsBytesCome(@TempDir final Path dir) throws Exception
    {
        final Path address = dir.resolve("small-heap.sock");
        final String where = address.toString();
        final IpcProcess child = IpcProcess.builder().jvmArgs("-Xmx48m").target(() ->
        {
            try (Listener listener = Listener.bind(Path.of(where)); Connection in = listener.accept())
            {
                in.recvBytes();
                System.exit(3);
            }
            catch (final EOFException expected)
            {
                System.exit(expected.getMessage().contains("in the middle of a message") ? 0 : 4);
            }
        }).start();
        Await.until("the child listens at " + address, BOUND, () -> Files.exists(address));
        try (SocketChannel raw = connect(address))
        {
            final ByteBuffer bytes = hello((short)0).putInt(200 << 20).put(new byte[10]).flip();
            while (bytes.hasRemaining())
            {
                raw.write(bytes);
            }
        }
        assertTrue(child.join(BOUND));
        assertEquals(0, child.exitCode());
    }

    /** A sender blocked until the peer reads: its stack is in the channel's wait for room. */
    private static boolean waitsForThePeer(final Thread sender)
    {
        for (final StackTraceElement frame : sender.getStackTrace())
        {
            if ("awaitReady".equals(frame.getMethodName()) || "awaitAccept".equals(frame.getMethodName()))
            {
                return true;
            }
        }
        return false;
    }

    /** Connects to a socket whose file exists, retrying while it is bound but not listening yet. */
    private static SocketChannel connect(final Path address) throws IOException, InterruptedException
    {
        final long deadline = System.nanoTime() + BOUND.toNanos();
        while (true)
        {
            final SocketChannel raw = SocketChannel.open(StandardProtocolFamily.UNIX);
            try
            {
                raw.connect(UnixDomainSocketAddress.of(address));
                return raw;
            }
            catch (final IOException refused)
            {
                raw.close();
                if (System.nanoTime() - deadline > 0)
                {
                    throw refused;
                }
                TimeUnit.MILLISECONDS.sleep(10);
            }
        }
    }

    /** A client that says hello as one that authenticates, then sends its answer a byte at a time. */
    private static void trickle(final Path address)
    {
        try (SocketChannel raw = connect(address))
        {
            final ByteBuffer hello = hello(Hello.FLAG_AUTHENTICATE).putInt(32).flip();
            while (hello.hasRemaining())
            {
                raw.write(hello);
            }
            for (int i = 0; i < 32; i++)
            {
                TimeUnit.SECONDS.sleep(1);
                raw.write(ByteBuffer.wrap(new byte[]{ (byte)i }));
            }
        }
        catch (final IOException | InterruptedException ended)
        {
            // the listener gave up and closed, or the test is over
        }
    }

    private static ByteBuffer hello(final short flags)
    {
        return ByteBuffer.allocate(Hello.LENGTH + 64).putInt(Hello.MAGIC)
            .putShort(Hello.PROTOCOL_VERSION).putShort(flags).putLong(ProcessHandle.current().pid());
    }
}
