package dev.ipckit.process;

import dev.ipckit.RuntimeDirectory;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@code main} of a child JVM. Reads its task from standard input, watches its parent (a
 * daemon child exits when the parent dies), runs the task, waits for the task's non-daemon threads
 * (as CPython does), and exits with 0, or 1 after printing the task's exception.
 * <p>
 * A spare JVM first gets warm-up blocks (a task that loads what most tasks need) so that it is
 * ready when its real task comes; it exits quietly if its parent exits before that.
 */
final class ChildMain
{
    private static final long HALT_AFTER_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long PARENT_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /** Started once the task is read, so its presence tells that the JVM has finished booting. */
    static final String WATCHER_THREAD_NAME = "ipckit-parent-watch";

    private ChildMain()
    {
    }

    /**
     * @param args none; everything comes over standard input.
     */
    public static void main(final String[] args)
    {
        RuntimeDirectory.skipSweepAtStart();
        final InputStream control = System.in;
        System.setIn(new ByteArrayInputStream(new byte[0]));

        final boolean daemon;
        final Task task;
        final String name;
        try
        {
            final DataInputStream in = new DataInputStream(control);
            int magic = readMagic(in);
            while (ControlBlocks.WARM_UP_MAGIC == magic)
            {
                final byte[] warmUp = new byte[in.readInt()];
                in.readFully(warmUp);
                if (0 == in.available())
                {
                    ((Task)LambdaTasks.decode(warmUp, 0, warmUp.length)).run();
                }
                magic = readMagic(in);
            }
            if (magic < 0)
            {
                System.exit(0);
                return;
            }
            if (ControlBlocks.CONTROL_MAGIC != magic)
            {
                System.err.println("ipckit: " + ChildMain.class.getName() + " is started by IpcProcess, not by hand");
                System.exit(2);
                return;
            }
            final long parentPid = in.readLong();
            daemon = in.readBoolean();
            name = in.readUTF();
            final String exitId = in.readUTF();
            final boolean announce = in.readBoolean();
            final byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            control.close();
            IpcProcess.currentName(name);
            if (announce)
            {
                ExitRecord.announceStart(exitId);
            }
            ExitRecord.watchExit(exitId);
            watchParent(parentPid, daemon);
            task = (Task)LambdaTasks.decode(bytes, 0, bytes.length);
        }
        catch (final Exception | LinkageError ex)
        {
            System.err.println("ipckit: a child process could not receive its task from its parent:");
            ex.printStackTrace();
            ExitRecord.plainStatus();
            System.exit(1);
            return;
        }

        int exitCode = 0;
        try
        {
            task.run();
        }
        catch (final Throwable ex)
        {
            if (!exiting())
            {
                final PrintStream err = System.err;
                err.println("Process " + name + " (pid " + ProcessHandle.current().pid() + "):");
                ex.printStackTrace(err);
                err.flush();
            }
            exitCode = 1;
        }
        awaitNonDaemonThreads();
        ExitRecord.plainStatus();
        System.exit(exitCode);
    }

    /** @return the next block's magic number, or -1 at end of file (an unused spare's parent exited). */
    private static int readMagic(final DataInputStream in) throws IOException
    {
        final int first = in.read();
        return first < 0 ? -1 : first << 24 | in.readUnsignedByte() << 16 | in.readUnsignedShort();
    }

    /**
     * Starts the watcher thread, whose presence tells the parent that the task was taken. A daemon
     * child's watcher polls its parent's pid (when the parent dies, the kernel gives this process
     * another parent) and exits with it: a sleeping thread, rather than one blocked reading a pipe,
     * because HotSpot delays its exit by 300 ms while any thread is blocked in native code. A
     * non-daemon child outlives its parent, so its watcher only parks: a poll costs CPU for as long
     * as the child lives, and a child lives longer the more children share the cores.
     */
    private static void watchParent(final long parentPid, final boolean daemon)
    {
        final Thread watcher = new Thread(daemon ? () -> exitWithParent(parentPid) : ChildMain::parkForever,
            WATCHER_THREAD_NAME);
        watcher.setDaemon(true);
        watcher.start();
    }

    private static void parkForever()
    {
        while (true)
        {
            LockSupport.park();
        }
    }

    private static void exitWithParent(final long parentPid)
    {
        try
        {
            while (parentPid == ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L))
            {
                TimeUnit.NANOSECONDS.sleep(PARENT_POLL_NANOS);
            }
        }
        catch (final InterruptedException ex)
        {
            return;
        }
        final Thread halter = new Thread(() ->
        {
            final long deadline = System.nanoTime() + HALT_AFTER_NANOS;
            while (System.nanoTime() - deadline < 0)
            {
                try
                {
                    TimeUnit.NANOSECONDS.sleep(deadline - System.nanoTime());
                }
                catch (final InterruptedException ignore)
                {
                    // keep waiting
                }
            }
            Runtime.getRuntime().halt(128 + 15);
        }, "ipckit-halt");
        halter.setDaemon(true);
        halter.start();
        ExitRecord.plainStatus();
        System.exit(128 + 15);
    }

    /**
     * Whether the JVM is already exiting (SIGTERM, or {@code System.exit} in another thread): a
     * task that then fails does so because the exit hooks closed what it was using, such as the
     * pipe a pool worker waits on. Its exit code is the exit's; like CPython on SIGTERM, print
     * nothing. Adding a shutdown hook fails once the JVM has begun to run them.
     */
    private static boolean exiting()
    {
        final Thread probe = new Thread("ipckit-exit-probe");
        try
        {
            Runtime.getRuntime().addShutdownHook(probe);
        }
        catch (final IllegalStateException shutdownInProgress)
        {
            return true;
        }
        Runtime.getRuntime().removeShutdownHook(probe);
        return false;
    }

    private static void awaitNonDaemonThreads()
    {
        final Thread self = Thread.currentThread();
        boolean waited = true;
        while (waited)
        {
            waited = false;
            for (final Thread thread : Thread.getAllStackTraces().keySet())
            {
                if (thread != self && !thread.isDaemon() && thread.isAlive() && !"DestroyJavaVM".equals(thread.getName()))
                {
                    try
                    {
                        thread.join();
                        waited = true;
                    }
                    catch (final InterruptedException ex)
                    {
                        return;
                    }
                }
            }
        }
    }
}
