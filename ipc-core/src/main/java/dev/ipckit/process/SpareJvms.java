package dev.ipckit.process;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * JVMs started ahead of need ({@link ProcessConfiguration#SPARE_JVMS_PROP_NAME}): after each
 * start, a replacement JVM with the same command line is started in the background and given a
 * warm-up block ({@link ControlBlocks}); it then blocks reading its standard input, and the next
 * start with that command line writes its control block there. A spare whose parent exits reads
 * end of file and exits quietly; {@link #killAll()} ends them at once.
 * <p>
 * <b>Note:</b> thread-safe.
 */
final class SpareJvms
{
    private static final Object LOCK = new Object();
    private static final Deque<Spare> SPARES = new ArrayDeque<>();
    private static int starting;

    private SpareJvms()
    {
    }

    /** A started JVM waiting for its task, and the command line it was started with. */
    private static final class Spare
    {
        final List<String> command;
        final Process process;

        Spare(final List<String> command, final Process process)
        {
            this.command = command;
            this.process = process;
        }
    }

    /**
     * @param command the command line a child needs.
     * @return a live spare started with exactly that command line, or null; spares started with
     * another one are ended.
     */
    static Process take(final List<String> command)
    {
        synchronized (LOCK)
        {
            Spare spare;
            while (null != (spare = SPARES.pollFirst()))
            {
                if (spare.command.equals(command) && spare.process.isAlive())
                {
                    return spare.process;
                }
                spare.process.destroy();
            }
            return null;
        }
    }

    /**
     * Starts spares in the background until {@code count} exist or are starting.
     *
     * @param command the command line of the spares.
     * @param count   how many to keep.
     */
    static void replenish(final List<String> command, final int count)
    {
        final byte[] warmUpBlock = ControlBlocks.warmUpBlock(ChildWarmUps.registered());
        synchronized (LOCK)
        {
            if (SPARES.size() + starting >= count)
            {
                return;
            }
            starting++;
        }
        final Thread starter = new Thread(() ->
        {
            Spare spare = null;
            try
            {
                final Process process = ChildLauncher.newJvm(command);
                final OutputStream in = process.getOutputStream();
                in.write(warmUpBlock);
                in.flush();
                spare = new Spare(command, process);
            }
            catch (final IOException ignore)
            {
                // no spare this time: the next start launches its own JVM and says why if that fails
            }
            synchronized (LOCK)
            {
                starting--;
                if (null != spare)
                {
                    SPARES.addLast(spare);
                }
            }
        }, "ipckit-spare-starter");
        starter.setDaemon(true);
        starter.start();
    }

    /**
     * Kills every spare, at this JVM's exit.
     *
     * @return the killed spares, for the caller to wait for: one killed while it warmed up may
     * have left a pipe's files, which a sweep removes once it is gone.
     */
    static List<Process> killAll()
    {
        synchronized (LOCK)
        {
            final List<Process> killed = new ArrayList<>();
            for (final Spare spare : SPARES)
            {
                spare.process.destroyForcibly();
                killed.add(spare.process);
            }
            SPARES.clear();
            return killed;
        }
    }
}
