package dev.ipckit.bench;

import dev.ipckit.pipe.Connection;
import dev.ipckit.pipe.Pipe;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Pipe round trip between two JVMs: the parent sends one message and waits for the child's echo.
 * Measures microseconds per round trip for raw bytes ({@code sendBytes}/{@code recvBytesInto} with
 * reused buffers; py_mp_bench {@code pipe_rtt_*_bytes}) and for a small serialized object
 * ({@code send}/{@code recv}, which the child decodes and encodes again).
 * <p>
 * Not final: JMH subclasses benchmark and state classes.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = { "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED" })
public class PipeRoundTrip
{
    /** A child that echoes each bytes message back. */
    @State(Scope.Benchmark)
    public static class BytesEcho
    {
        /** Message size in bytes. */
        @Param({ "8", "4096" })
        public int size;

        Connection conn;
        byte[] payload;
        byte[] reply;
        private Peer peer;

        @Setup(Level.Trial)
        public void start() throws IOException
        {
            final Pipe pipe = Pipe.open();
            final Connection remote = pipe.right();
            final int length = size;
            peer = Peer.start("echo-bytes-" + size, pipe.left(), () -> echoBytes(remote, length));
            conn = peer.connection();
            payload = new byte[size];
            Arrays.fill(payload, (byte)'x');
            reply = new byte[size];
            conn.sendBytes(payload);
            if (size != conn.recvBytesInto(reply) || !Arrays.equals(payload, reply))
            {
                throw new IllegalStateException("echo returned other bytes");
            }
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException
        {
            peer.stop();
        }
    }

    /** A child that echoes each object back, decoding and encoding it again. */
    @State(Scope.Benchmark)
    public static class ObjectEcho
    {
        Connection conn;
        int seq;
        private Peer peer;

        @Setup(Level.Trial)
        public void start() throws IOException
        {
            final Pipe pipe = Pipe.open();
            final Connection remote = pipe.right();
            peer = Peer.start("echo-objects", pipe.left(), () -> echoObjects(remote));
            conn = peer.connection();
            final Job job = new Job("task", -1);
            conn.send(job);
            if (!job.equals(conn.recv()))
            {
                throw new IllegalStateException("echo returned another object");
            }
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException
        {
            peer.stop();
        }
    }

    @Benchmark
    public int bytes(final BytesEcho echo) throws IOException
    {
        echo.conn.sendBytes(echo.payload);
        return echo.conn.recvBytesInto(echo.reply);
    }

    @Benchmark
    public Object object(final ObjectEcho echo) throws IOException
    {
        echo.conn.send(new Job("task", echo.seq++));
        return echo.conn.recv();
    }

    private static void echoBytes(final Connection end, final int size) throws IOException
    {
        try (end)
        {
            final byte[] buf = new byte[size];
            end.sendBytes(Peer.READY);
            while (true)
            {
                final int length;
                try
                {
                    length = end.recvBytesInto(buf);
                }
                catch (final EOFException ex)
                {
                    return;
                }
                end.sendBytes(buf, 0, length);
            }
        }
    }

    private static void echoObjects(final Connection end) throws IOException
    {
        try (end)
        {
            end.sendBytes(Peer.READY);
            while (true)
            {
                final Object obj;
                try
                {
                    obj = end.recv();
                }
                catch (final EOFException ex)
                {
                    return;
                }
                end.send(obj);
            }
        }
    }
}
