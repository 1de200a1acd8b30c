package dev.ipckit.pipe;

import dev.ipckit.IpcException;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.support.RuntimeDirectoryClean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.EOFException;
import java.io.InterruptedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
@ExtendWith(RuntimeDirectoryClean.class)
class PipeTest
{
    @Test
    void shouldSendBetweenBothEndsInOneThread() throws Exception
    {
        final Pipe pipe = Pipe.open();
        try (Connection left = pipe.left(); Connection right = pipe.right())
        {
            left.send("hello");
            left.send(null);
            left.send(List.of(1, 2, 3));
            assertEquals("hello", right.recv());
            assertNull(right.recv());
            assertEquals(List.of(1, 2, 3), right.recv());
            right.sendBytes(new byte[0]);
            assertArrayEquals(new byte[0], left.recvBytes());
        }
    }

    @Test
    void shouldRoundTripObjectsWithChild() throws Exception
    {
        final Pipe pipe = Pipe.open();
        final IpcProcess child = IpcProcess.start(() -> echoObjects(pipe.right()));
        try (Connection conn = pipe.left())
        {
            final List<Object> values = Arrays.asList(
                42, 7L, 3.5, 2.5f, (short)3, (byte)-1, 'x', true, "héllo wörld", null,
                new byte[]{ 1, 2, 3 }, List.of("a", "b"), Map.of("k", 1), new int[]{ 4, 5 }, new Point(1, 2));
            for (final Object value : values)
            {
                conn.send(value);
                final Object back = conn.recv();
                if (value instanceof byte[])
                {
                    assertArrayEquals((byte[])value, (byte[])back);
                }
                else if (value instanceof int[])
                {
                    assertArrayEquals((int[])value, (int[])back);
                }
                else
                {
                    assertEquals(value, back);
                }
            }
        }
        assertTrue(child.join(Duration.ofSeconds(20)));
        assertEquals(0, child.exitCode());
    }

    @Test
    void shouldRoundTripBytesInAllForms() throws Exception
    {
        final Pipe pipe = Pipe.open();
        final IpcProcess child = IpcProcess.start(() -> echoBytes(pipe.right()));
        try (Connection conn = pipe.left())
        {
            conn.sendBytes(new byte[]{ 1, 2, 3 });
            assertArrayEquals(new byte[]{ 1, 2, 3 }, conn.recvBytes());

            conn.sendBytes(new byte[]{ 9, 8, 7, 6, 5 }, 1, 3);
            assertArrayEquals(new byte[]{ 8, 7, 6 }, conn.recvBytes());

            final ByteBuffer direct = ByteBuffer.allocateDirect(16).put(new byte[]{ 4, 5, 6 });
            direct.flip();
            conn.sendBytes(direct);
            assertEquals(3, direct.position());
            assertArrayEquals(new byte[]{ 4, 5, 6 }, conn.recvBytes());

            conn.sendBytes(new byte[0]);
            assertArrayEquals(new byte[0], conn.recvBytes());

            conn.sendBytes(new byte[]{ 1, 2 });
            final byte[] into = new byte[6];
            assertEquals(2, conn.recvBytesInto(into, 3));
            assertArrayEquals(new byte[]{ 0, 0, 0, 1, 2, 0 }, into);
        }
        assertTrue(child.join(Duration.ofSeconds(20)));
        assertEquals(0, child.exitCode());
    }

    @Test
    void shouldCarryLargeMessagesBothWays() throws Exception
    {
        final Pipe pipe = Pipe.open();
        final IpcProcess child = IpcProcess.start(() -> echoBytes(pipe.right()));
        try (Connection conn = pipe.left())
        {
            for (final int size : new int[]{ 65_531, 65_532, 65_536, 1 << 20, 8 << 20 })
            {
                final byte[] message = new byte[size];
                Arrays.fill(message, (byte)size);
                message[size - 1] = 77;
                conn.sendBytes(message);
                assertArrayEquals(message, conn.recvBytes(), "size=" + size);
            }
            final byte[] big = new byte[3 << 20];
            big[12345] = 5;
            conn.send(big);
            assertArrayEquals(big, (byte[])conn.recv());
        }
        assertTrue(child.join(Duration.ofSeconds(20)));
    }

    @Test
    void shouldDeliverEverythingFromAStreamingSenderInOrder() throws Exception
    {
        final Pipe pipe = Pipe.open();
        final int count = 200_000;
        final IpcProcess child = IpcProcess.start(() ->
        {
            try (Connection out = pipe.right())
            {
                final byte[] message = new byte[64];
                for (int i = 0; i < count; i++)
                {
                    message[0] = (byte)i;
                    message[63] = (byte)(i >>> 8);
                    out.sendBytes(message);
                }
            }
        });
        try (Connection in = pipe.left())
        {
            for (int i = 0; i < count; i++)
            {
                final byte[] message = in.recvBytes();
                assertEquals(64, message.length);
                assertEquals((byte)i, message[0]);
                assertEquals((byte)(i >>> 8), message[63]);
            }
            assertThrows(EOFException.class, in::recv);
        }
        assertTrue(child.join(Duration.ofSeconds(30)));
        assertEquals(0, child.exitCode());
    }

    @Test
    void shouldDeliverWhatWasSentBeforeThePeerAttached() throws Exception
    {
        final Pipe pipe = Pipe.open();
        final Pipe report = Pipe.open();
        final Connection early = pipe.left();
        final Connection late = pipe.right();
        final IpcProcess child = IpcProcess.start(() ->
        {
            final List<Object> got = new ArrayList<>();
            try (Connection in = late)
            {
                while (true)
                {
                    got.add(in.recv());
                }
            }
            catch (final EOFException expected)
            {
                report.right().send(got);
            }
        });
        early.send("early-1");
        early.send("early-2");
        early.close();
        assertEquals(List.of("early-1", "early-2"), report.left().recv());
        report.left().close();
        assertTrue(child.join(Duration.ofSeconds(20)));
    }

    @Test
    void shouldRefuseWrongDirectionOnHalfDuplexPipe() throws Exception
    {
        final Pipe pipe = Pipe.open(false);
        final Connection receiver = pipe.left();
        final Connection sender = pipe.right();
        assertFalse(pipe.isDuplex());
        assertTrue(receiver.isReadable());
        assertFalse(receiver.isWritable());
        assertTrue(sender.isWritable());
        assertFalse(sender.isReadable());
        assertThrows(IllegalStateException.class, () -> receiver.send("x"));
        assertThrows(IllegalStateException.class, () -> receiver.sendBytes(new byte[1]));
        assertThrows(IllegalStateException.class, sender::recv);
        assertThrows(IllegalStateException.class, sender::recvBytes);
        assertThrows(IllegalStateException.class, sender::poll);

        final IpcProcess child = IpcProcess.start(() ->
        {
            try (Connection out = sender)
            {
                out.send("one way");
            }
        });
        assertEquals("one way", receiver.recv());
        assertThrows(EOFException.class, receiver::recv);
        receiver.close();
        assertTrue(child.join(Duration.ofSeconds(20)));
    }

    @Test
    void shouldRaiseEofAgainAndAgainAfterPeerClosed() throws Exception
    {
        final Pipe pipe = Pipe.open();
        final IpcProcess child = IpcProcess.start(() ->
        {
            final Connection out = pipe.right();
            for (int i = 0; i < 3; i++)
            {
                out.send("greeting " + i);
            }
            out.close();
        });
        try (Connection in = pipe.left())
        {
            for (int i = 0; i < 3; i++)
            {
                assertEquals("greeting " + i, in.recv());
            }
            assertThrows(EOFException.class, in::recv);
            assertThrows(EOFException.class, in::recvBytes);
            assertTrue(in.poll(), "poll is true at end of stream, so that recv can report it");
        }
        assertTrue(child.join(Duration.ofSeconds(20)));
    }

    @Test
    void shouldRaiseEofWhenPeerChildIsKilled() throws Exception
    {
        final Pipe pipe = Pipe.open();
        final IpcProcess child = IpcProcess.start(() ->
        {
            final Connection conn = pipe.right();
            conn.send("ready");
            conn.recv();
        });
        pipe.right().close();
        try (Connection conn = pipe.left())
        {
            assertEquals("ready", conn.recv());
            child.kill();
            final EOFException eof = assertThrows(EOFException.class, conn::recv);
            assertTrue(eof.getMessage().contains("peer closed"), eof.getMessage());
        }
        assertTrue(child.join(Duration.ofSeconds(20)));
        assertEquals(-9, child.exitCode());
    }

    @Test
    void shouldRaiseEofWhenPeerDiedHoldingItsEndBeforeConnecting() throws Exception
    {
        final Pipe pipe = Pipe.open();
        final Pipe report = Pipe.open();
        final IpcProcess child = IpcProcess.start(() ->
        {
            final Connection end = pipe.right();
            end.poll();
            report.right().send("attached");
            report.right().recv();
        });
        pipe.right().close();
        report.right().close();
        assertEquals("attached", report.left().recv());
        child.kill();
        assertTrue(child.join(Duration.ofSeconds(20)));
        try (Connection conn = pipe.left())
        {
            assertThrows(EOFException.class, conn::recv);
        }
        report.left().close();
    }

    @Test
    void shouldCloseConnectionWhenMessageExceedsMaxLength() throws Exception
    {
        final Pipe pipe = Pipe.open();
        try (Connection left = pipe.left(); Connection right = pipe.right())
        {
            left.sendBytes(new byte[100]);
            final IpcException tooLong = assertThrows(IpcException.class, () -> right.recvBytes(10));
            assertTrue(tooLong.getMessage().contains("length=100") && tooLong.getMessage().contains("maxLength=10"),
                tooLong.getMessage());
            assertTrue(right.isClosed());
            assertThrows(IllegalStateException.class, right::recvBytes);
            assertThrows(IllegalArgumentException.class, () -> left.recvBytes(-1));
        }
    }

    @Test
    void shouldCarryTheWholeMessageWhenBufferIsTooShort() throws Exception
    {
        final Pipe pipe = Pipe.open();
        try (Connection left = pipe.left(); Connection right = pipe.right())
        {
            left.sendBytes(new byte[]{ 1, 2, 3, 4, 5 });
            left.sendBytes(new byte[]{ 6 });
            final BufferTooShortException shortBuffer =
                assertThrows(BufferTooShortException.class, () -> right.recvBytesInto(new byte[8], 4));
            assertArrayEquals(new byte[]{ 1, 2, 3, 4, 5 }, shortBuffer.data());
            final byte[] next = new byte[1];
            assertEquals(1, right.recvBytesInto(next));
            assertEquals(6, next[0]);
        }
    }

    @Test
    void shouldRejectSlicesOutsideTheArray() throws Exception
    {
        final Pipe pipe = Pipe.open();
        try (Connection left = pipe.left(); Connection right = pipe.right())
        {
            assertThrows(IndexOutOfBoundsException.class, () -> left.sendBytes(new byte[4], 3, 2));
            assertThrows(IndexOutOfBoundsException.class, () -> left.sendBytes(new byte[4], -1, 2));
            assertThrows(IndexOutOfBoundsException.class, () -> right.recvBytesInto(new byte[4], 5));
            left.send("still in step");
            assertEquals("still in step", right.recv());
        }
    }

    @Test
    void shouldPollWithAndWithoutData() throws Exception
    {
        final Pipe pipe = Pipe.open();
        final IpcProcess child = IpcProcess.start(() ->
        {
            try (Connection conn = pipe.right())
            {
                conn.send(conn.recv());
            }
        });
        try (Connection conn = pipe.left())
        {
            assertFalse(conn.poll());
            final long start = System.nanoTime();
            assertFalse(conn.poll(Duration.ofMillis(200)));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(200));
            conn.send("ping");
            assertTrue(conn.poll(Duration.ofSeconds(20)));
            assertEquals("ping", conn.recv());
        }
        assertTrue(child.join(Duration.ofSeconds(20)));
    }

    @Test
    void shouldRefuseUseAfterClose() throws Exception
    {
        final Pipe pipe = Pipe.open();
        final Connection left = pipe.left();
        left.send("x");
        left.close();
        left.close();
        assertTrue(left.isClosed());
        assertThrows(IllegalStateException.class, () -> left.send("y"));
        assertThrows(IllegalStateException.class, () -> left.sendBytes(new byte[1]));
        assertThrows(IllegalStateException.class, left::recv);
        assertThrows(IllegalStateException.class, left::poll);
        try (Connection right = pipe.right())
        {
            assertEquals("x", right.recv());
            assertThrows(EOFException.class, right::recv);
        }
    }

    @Test
    void shouldRefuseToAttachAnEndHeldByAnotherProcess() throws Exception
    {
        final Pipe pipe = Pipe.open();
        final Pipe report = Pipe.open();
        final Connection held = pipe.left();
        held.poll();
        final IpcProcess child = IpcProcess.start(() ->
        {
            try
            {
                held.send("should not get through");
                report.right().send("attached?!");
            }
            catch (final IpcException ex)
            {
                report.right().send(ex.getMessage());
            }
        });
        final String message = report.left().recv();
        assertTrue(message.contains("already attached by pid=" + ProcessHandle.current().pid()), message);
        assertTrue(child.join(Duration.ofSeconds(20)));
        held.close();
        pipe.right().close();
        report.left().close();
    }

    @Test
    void shouldKeepConnectionInStepWhenReceiveIsInterrupted() throws Exception
    {
        final Pipe pipe = Pipe.open();
        try (Connection left = pipe.left(); Connection right = pipe.right())
        {
            right.poll();
            final AtomicReference<Thread> receiver = new AtomicReference<>();
            final CountDownLatch started = new CountDownLatch(1);
            final CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() ->
            {
                receiver.set(Thread.currentThread());
                started.countDown();
                try
                {
                    right.recv();
                    return null;
                }
                catch (final Throwable ex)
                {
                    return ex;
                }
            });
            started.await();
            Thread.sleep(100);
            receiver.get().interrupt();
            assertTrue(outcome.get(10, TimeUnit.SECONDS) instanceof InterruptedIOException);
            left.send("after interrupt");
            assertEquals("after interrupt", right.recv());
        }
    }

    @Test
    void shouldNotBurnACoreWhileBlockedInReceive() throws Exception
    {
        final Pipe pipe = Pipe.open();
        try (Connection left = pipe.left(); Connection right = pipe.right())
        {
            right.poll();
            final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            final AtomicReference<Long> cpuNanos = new AtomicReference<>();
            final Thread receiver = new Thread(() ->
            {
                final long before = threads.getCurrentThreadCpuTime();
                try
                {
                    right.recv();
                }
                catch (final Exception ignore)
                {
                    // measured either way
                }
                cpuNanos.set(threads.getCurrentThreadCpuTime() - before);
            });
            receiver.start();
            Thread.sleep(2_000);
            left.send("wake up");
            receiver.join(10_000);
            assertTrue(cpuNanos.get() < TimeUnit.MILLISECONDS.toNanos(100),
                "receiver used " + cpuNanos.get() / 1_000_000 + " ms of CPU in 2 s of waiting");
        }
    }

    private static void echoObjects(final Connection conn) throws Exception
    {
        try (conn)
        {
            while (true)
            {
                conn.send(conn.recv());
            }
        }
        catch (final EOFException done)
        {
            // parent closed
        }
    }

    private static void echoBytes(final Connection conn) throws Exception
    {
        try (conn)
        {
            while (true)
            {
                conn.sendBytes(conn.recvBytes());
            }
        }
        catch (final EOFException done)
        {
            // parent closed
        }
    }

    record Point(int x, int y) implements java.io.Serializable
    {
    }
}
