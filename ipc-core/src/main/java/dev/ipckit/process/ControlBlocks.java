package dev.ipckit.process;

import dev.ipckit.codec.Codec;
import dev.ipckit.codec.CodecConfiguration;
import dev.ipckit.codec.SerializationCodec;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * What a parent writes to a child JVM's standard input, which {@link ChildMain} reads. Every block
 * starts with a 32-bit magic number:
 * <pre>
 *   warm-up block: "IPKW" | task length (int) | encoded task     decoded and run, then the next block
 *   control block: "IPKP" | parent pid (long) | daemon (boolean) | name (modified UTF-8)
 *                         | exit record id (modified UTF-8, empty for none)
 *                         | announce start (boolean: write the record's start mark first)
 *                         | task length (int) | encoded task     the child's task
 * </pre>
 * A spare gets a warm-up block when it starts and its control block when it is used (a spare
 * taken before it has read its warm-up block skips it: its task is waiting); a child
 * started from scratch gets its control block only. End of file before a control block makes the
 * child exit quietly (an unused spare whose parent exited).
 */
final class ControlBlocks
{
    static final int CONTROL_MAGIC = 0x49504B50;
    static final int WARM_UP_MAGIC = 0x49504B57;
    static final Codec TASK_CODEC = SerializationCodec.create(null, CodecConfiguration.serialMaxDepth());

    private ControlBlocks()
    {
    }

    /**
     * Made on first use, in the parent: a child that initialises this class to decode its task
     * would otherwise make the lambda, and a serializable lambda's class is made afresh in each
     * JVM (class-data sharing leaves them out).
     */
    private static final class WarmUpTasks
    {
        static final Task PLAIN = warmUpTask("warm-up", 1, List.of());
    }

    /**
     * What a spare runs before its task comes: a task that captures values, like most do (plain
     * ones and an object), so that decoding one is ready; what the child's parent watcher needs;
     * then the warm-ups the layers above registered ({@link ChildWarmUps}), each in a lambda that
     * captures the one before it, so that the whole is sent as lambdas ({@link LambdaTasks}).
     */
    private static Task warmUpTask(final String label, final int count, final List<Task> registered)
    {
        final List<String> labels = List.of(label);
        Task task = () -> ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(labels.size() + (long)count);
        for (final Task warmUp : registered)
        {
            final Task before = task;
            task = () ->
            {
                before.run();
                warmUp.run();
            };
        }
        return task;
    }

    /**
     * @param warmUps the warm-ups registered by the layers above, run after the common one.
     * @return the block that makes a spare decode and run a warm-up task.
     */
    static byte[] warmUpBlock(final ChildWarmUps warmUps)
    {
        final Task warmUp = warmUps.tasks.isEmpty() ? WarmUpTasks.PLAIN : warmUpTask("warm-up", 1, warmUps.tasks);
        final byte[] task = LambdaTasks.encode(warmUp);
        return block(out ->
        {
            out.writeInt(WARM_UP_MAGIC);
            out.writeInt(task.length);
            out.write(task);
        }, task.length);
    }

    /**
     * @param daemon whether the child exits with its parent.
     * @param name   the child's name.
     * @param exitId   the id of the child's {@link ExitRecord}; empty for none.
     * @param announce whether the child marks in its record that it took its task.
     * @param task     the encoded task.
     * @return the block {@link ChildMain} reads to run the task.
     */
    static byte[] controlBlock(
        final boolean daemon, final String name, final String exitId, final boolean announce, final byte[] task)
    {
        return block(out ->
        {
            out.writeInt(CONTROL_MAGIC);
            out.writeLong(ProcessHandle.current().pid());
            out.writeBoolean(daemon);
            out.writeUTF(name);
            out.writeUTF(exitId);
            out.writeBoolean(announce);
            out.writeInt(task.length);
            out.write(task);
        }, task.length);
    }

    /** Writes a block with a {@link DataOutputStream}. */
    @FunctionalInterface
    private interface BlockWriter
    {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] block(final BlockWriter writer, final int size)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(size + 64);
        try (DataOutputStream out = new DataOutputStream(bytes))
        {
            writer.write(out);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return bytes.toByteArray();
    }

}
