package dev.ipckit.bench;

import dev.ipckit.pipe.Connection;
import dev.ipckit.pipe.Pipe;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * One-way pipe throughput between two JVMs, as py_mp_bench {@code pipe_oneway_*}: the parent
 * sends a batch of messages without waiting, the child receives them all and then sends one
 * acknowledgement, which the parent waits for. Measures messages per second, for raw bytes
 * ({@code sendBytes}, received with {@code recvBytesInto} into a reused buffer) and for a small
 * serialized object per message ({@code send}/{@code recv}, py_mp_bench {@code pipe_oneway_objects}).
 * <p>
 * Not final: JMH subclasses benchmark and state classes.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = { "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED" })
public class PipeOneWay
{
    /** Messages per batch (per acknowledgement) of 64-byte messages: about 50 ms at 20 M msg/s. */
    static final int BATCH_64B = 1_000_000;
    /** Messages per batch of 4 KiB messages: about 70 ms at 3 M msg/s. */
    static final int BATCH_4KIB = 200_000;
    /** Messages per batch of objects: about 30 ms at 700 k msg/s (300 ms while cold). */
    static final int BATCH_OBJECTS = 20_000;

    /**
     * A child that receives batches of bytes messages and acknowledges each batch; the batch is
     * the benchmark's operations per invocation.
     */
    public abstract static class BytesSink
    {
        Connection conn;
        byte[] payload;
        final byte[] ack = new byte[Peer.ACK.length];
        private Peer peer;

        abstract int size();

        @Setup(Level.Trial)
        public void start(final BenchmarkParams params) throws IOException
        {
            final Pipe pipe = Pipe.open();
            final Connection remote = pipe.right();
            final int length = size();
            final int batch = params.getOpsPerInvocation();
            peer = Peer.start("sink-bytes-" + length, pipe.left(), () -> sinkBytes(remote, length, batch));
            conn = peer.connection();
            payload = new byte[length];
            Arrays.fill(payload, (byte)'x');
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException
        {
            peer.stop();
        }
    }

    /** Sink of 64-byte messages. */
    @State(Scope.Benchmark)
    public static class Sink64B extends BytesSink
    {
        @Override
        int size()
        {
            return 64;
        }
    }

    /** Sink of 4 KiB messages. */
    @State(Scope.Benchmark)
    public static class Sink4KiB extends BytesSink
    {
        @Override
        int size()
        {
            return 4096;
        }
    }

    /** A child that receives batches of objects and acknowledges each batch. */
    @State(Scope.Benchmark)
    public static class ObjectSink
    {
        Connection conn;
        private Peer peer;

        @Setup(Level.Trial)
        public void start(final BenchmarkParams params) throws IOException
        {
            final Pipe pipe = Pipe.open();
            final Connection remote = pipe.right();
            final int batch = params.getOpsPerInvocation();
            peer = Peer.start("sink-objects", pipe.left(), () -> sinkObjects(remote, batch));
            conn = peer.connection();
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException
        {
            peer.stop();
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH_64B)
    public int bytes64B(final Sink64B sink) throws IOException
    {
        return sendBatch(sink, BATCH_64B);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH_4KIB)
    public int bytes4KiB(final Sink4KiB sink) throws IOException
    {
        return sendBatch(sink, BATCH_4KIB);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH_OBJECTS)
    public Object objects(final ObjectSink sink) throws IOException
    {
        final Connection conn = sink.conn;
        for (int i = 0; i < BATCH_OBJECTS; i++)
        {
            conn.send(new Job("task", i));
        }
        return conn.recv();
    }

    private static int sendBatch(final BytesSink sink, final int batch) throws IOException
    {
        final Connection conn = sink.conn;
        final byte[] payload = sink.payload;
        for (int i = 0; i < batch; i++)
        {
            conn.sendBytes(payload);
        }
        return conn.recvBytesInto(sink.ack);
    }

    private static void sinkBytes(final Connection end, final int size, final int batch) throws IOException
    {
        try (end)
        {
            final byte[] buf = new byte[size];
            end.sendBytes(Peer.READY);
            while (true)
            {
                try
                {
                    end.recvBytesInto(buf);
                }
                catch (final EOFException ex)
                {
                    return;
                }
                for (int i = 1; i < batch; i++)
                {
                    end.recvBytesInto(buf);
                }
                end.sendBytes(Peer.ACK);
            }
        }
    }

    private static void sinkObjects(final Connection end, final int batch) throws IOException
    {
        try (end)
        {
            end.sendBytes(Peer.READY);
            while (true)
            {
                try
                {
                    end.recv();
                }
                catch (final EOFException ex)
                {
                    return;
                }
                for (int i = 1; i < batch; i++)
                {
                    end.recv();
                }
                end.send("done");
            }
        }
    }
}
