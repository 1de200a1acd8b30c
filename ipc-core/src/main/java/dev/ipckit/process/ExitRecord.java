package dev.ipckit.process;

import dev.ipckit.RuntimeDirectory;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Tells an exit code from a signal. The JDK folds a child's wait status into one number (a signal
 * {@code s} shows as {@code 128 + s}), so {@code System.exit(137)} and SIGKILL look alike. The
 * child says which it was: a JVM that exits through {@code System.exit} runs its shutdown hooks
 * outside any signal's handler thread, and there the child writes the file
 * {@code exit@<id>.exited}; a JVM ended by SIGKILL, or by a crash, runs no hook, and one ended by
 * SIGTERM, SIGINT or SIGHUP runs them from that signal's handler thread ({@code "SIGTERM handler"}),
 * so in both cases no file is written. The parent owns the group (its owner link
 * {@code exit@<id>.<pid>}, made before the child starts) and removes it once it has read the
 * child's exit; the sweep removes it if the parent dies first.
 * <p>
 * A child killed by a signal while it runs its shutdown hooks after {@code System.exit} is taken
 * to have exited; {@code Runtime.halt(n)} with {@code n} in 129..192 is taken as a signal.
 * <p>
 * <b>Note:</b> thread-safe.
 */
final class ExitRecord
{
    static final String KIND = "exit";
    private static final String EXITED = "exited";
    private static final String STARTED = "started";
    private static final long START_PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final Set<String> SIGNAL_HANDLER_THREADS =
        Set.of("SIGTERM handler", "SIGINT handler", "SIGHUP handler");
    private static volatile boolean statusIsPlain;

    private final String id;
    private Integer exitCode;

    private ExitRecord(final String id)
    {
        this.id = id;
    }

    /**
     * Makes the record of a child about to start, owned by this process.
     *
     * @return the record; one without an id (an exit status above 128 is then taken as a signal)
     * if the runtime directory cannot hold it.
     */
    static ExitRecord create()
    {
        final String id = RuntimeDirectory.newId();
        try
        {
            RuntimeDirectory.claim(RuntimeDirectory.groupEntry(KIND, id, Long.toString(ProcessHandle.current().pid())));
            return new ExitRecord(id);
        }
        catch (final IOException | RuntimeException ex)
        {
            return new ExitRecord("");
        }
    }

    /**
     * @return the id the child gets in its control block; empty for none.
     */
    String id()
    {
        return id;
    }

    /**
     * The child's exit code, following CPython: {@code -signal} when a signal ended it. Removes
     * the record the first time.
     *
     * @param status the JDK's exit value of the child, which has exited.
     * @return the exit code.
     */
    synchronized int exitCode(final int status)
    {
        if (null == exitCode)
        {
            final boolean signalRange = status > 128 && status <= 128 + 64;
            exitCode = signalRange && !exited() ? -(status - 128) : status;
            remove();
        }
        return exitCode;
    }

    /**
     * Waits until the child, whose control block asked it to announce its start, has taken its
     * task, or has exited without (up to 60 s).
     *
     * @param child the child.
     * @return false if it exited without taking its task; true if it took it (or cannot tell).
     */
    boolean awaitStarted(final Process child)
    {
        if (id.isEmpty())
        {
            return true;
        }
        final long deadline = System.nanoTime() + START_PATIENCE_NANOS;
        while (!started())
        {
            if (!child.isAlive())
            {
                return started();
            }
            if (System.nanoTime() - deadline > 0)
            {
                return true;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return true;
    }

    /**
     * @return whether the child has marked that it took its task (it does when its control block
     * asks it to); false without an id.
     */
    boolean started()
    {
        return !id.isEmpty() && Files.exists(RuntimeDirectory.groupEntry(KIND, id, STARTED));
    }

    /** Removes the record of a child that did not start. */
    synchronized void discard()
    {
        remove();
    }

    private boolean exited()
    {
        return !id.isEmpty() && Files.exists(RuntimeDirectory.groupEntry(KIND, id, EXITED));
    }

    private void remove()
    {
        if (id.isEmpty())
        {
            return;
        }
        try
        {
            Files.deleteIfExists(RuntimeDirectory.groupEntry(KIND, id, STARTED));
            Files.deleteIfExists(RuntimeDirectory.groupEntry(KIND, id, EXITED));
            Files.deleteIfExists(RuntimeDirectory.groupEntry(KIND, id, Long.toString(ProcessHandle.current().pid())));
        }
        catch (final IOException ignore)
        {
            // swept once this process has exited
        }
    }

    /**
     * In a child: writes the record when the JVM exits other than by a signal, unless
     * {@link #plainStatus()} was called.
     *
     * @param id the id from the control block; empty for none.
     */
    static void watchExit(final String id)
    {
        if (id.isEmpty())
        {
            return;
        }
        final Thread hook = new Thread(() ->
        {
            if (statusIsPlain || bySignal())
            {
                return;
            }
            try
            {
                Files.write(RuntimeDirectory.groupEntry(KIND, id, EXITED), new byte[0]);
            }
            catch (final IOException | RuntimeException ex)
            {
                System.err.println("ipckit: cannot record how this child exits (an exit status above 128 will be " +
                    "reported as a signal): " + ex);
            }
        }, "ipckit-exit-record");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * In a child that has read its control block: says that it took its task.
     *
     * @param id the id from the control block; empty for none.
     * @throws IOException if the record cannot be written: the task must not run, as the parent
     *                     would start it again.
     */
    static void announceStart(final String id) throws IOException
    {
        if (!id.isEmpty())
        {
            Files.write(RuntimeDirectory.groupEntry(KIND, id, STARTED), new byte[0]);
        }
    }

    /** In a child: the JVM exits with a status that needs no record (0, 1, or 143 when its parent died). */
    static void plainStatus()
    {
        statusIsPlain = true;
    }

    private static boolean bySignal()
    {
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (SIGNAL_HANDLER_THREADS.contains(thread.getName()) && thread.isAlive())
            {
                return true;
            }
        }
        return false;
    }
}
