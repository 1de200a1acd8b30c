package dev.ipckit.process;

import dev.ipckit.IpcException;
import dev.ipckit.RuntimeDirectory;
import dev.ipckit.internal.AgronaAccess;
import dev.ipckit.internal.ExitHooks;
import dev.ipckit.internal.SentHandles;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.concurrent.locks.LockSupport;

/**
 * Builds a child JVM's command line, starts it (or hands the task to a spare JVM that was started
 * earlier with the same command line), and keeps track of it until it exits: the parent JVM stays
 * up while non-daemon children run (a non-daemon thread waits for them), and what a child that
 * died abnormally left in the runtime directory is swept.
 * <p>
 * The child gets: this JVM's {@code java} ({@link ProcessConfiguration#JAVA_PROP_NAME} overrides), the
 * export Agrona needs, this JVM's module and assertion flags, the flags modules registered with
 * {@link ChildJvmFlags}, every {@code ipckit.*} system
 * property, {@link ProcessConfiguration#CHILD_JVM_ARGS_PROP_NAME}, the builder's JVM arguments, and this
 * JVM's class path (and module path).
 * <p>
 * Starting prefers a spare ({@link SpareJvms}); the command line may carry a class-data-sharing
 * archive ({@link ClassDataSharing}).
 */
final class ChildLauncher
{
    static final String AGRONA_EXPORT = AgronaAccess.EXPORT;
    private static final String CHILD_MAIN = ChildMain.class.getName();
    /**
     * No {@code hsperfdata} file in the temp directory: a killed child would leave it behind, and
     * a new JVM that gets a recycled pid warns that the file is locked. A later
     * {@code -XX:+UsePerfData} in the JVM arguments takes it back (for {@code jps}).
     */
    private static final String NO_PERF_DATA = "-XX:-UsePerfData";

    private static final String[] INHERITED_FLAG_PREFIXES = {
        "--add-opens", "--add-exports", "--add-reads", "--add-modules", "--enable-preview",
        "--enable-native-access", "--limit-modules", "--patch-module", "--illegal-native-access",
        "-ea", "-da", "-esa", "-dsa", "-enableassertions", "-disableassertions",
        "-enablesystemassertions", "-disablesystemassertions", "-Dfile.encoding=", "-Djava.library.path=" };

    private static final Object NON_DAEMON_LOCK = new Object();
    private static int nonDaemonRunning;
    private static volatile List<String> inheritedFlags;

    private static final Map<Process, IpcProcess> DAEMONS = new ConcurrentHashMap<>();
    private static final long EXIT_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);

    static
    {
        ExitHooks.register(ChildLauncher::endChildrenAtExit);
    }


    private ChildLauncher()
    {
    }

    static void checkLoadable(final Object task)
    {
        final ClassLoader loader = task.getClass().getClassLoader();
        if (null == loader)
        {
            return;
        }
        for (ClassLoader l = ClassLoader.getSystemClassLoader(); null != l; l = l.getParent())
        {
            if (l == loader)
            {
                return;
            }
        }
        throw new IllegalArgumentException("task class=" + task.getClass().getName() + " was loaded by " + loader +
            ", not from the class path, so a child JVM cannot load it; start the parent with java -cp (or -jar) " +
            "rather than through a custom class loader such as mvn exec:java");
    }

    /**
     * Starts a child JVM and hands it its control block (which carries the task). The first child
     * of this JVM that uses a class-data-sharing archive is watched until it has taken its task;
     * if it died before, it is started again without the archive, and the archive is discarded if
     * that works ({@link ClassDataSharing}).
     *
     * @param name      the child's name, for error messages.
     * @param jvmArgs   the builder's JVM arguments.
     * @param exit      the child's exit record.
     * @param taskClass the class whose code the task runs, for a class-data-sharing archive made now.
     * @param control   makes the bytes {@link ChildMain} reads from its standard input, given whether
     *                  the child must announce that it took its task.
     * @return the running child.
     */
    static Process start(
        final String name, final List<String> jvmArgs, final ExitRecord exit, final String taskClass,
        final Function<Boolean, byte[]> control)
    {
        final List<String> plain = command(jvmArgs);
        final List<String> command = ClassDataSharing.apply(plain, taskClass);
        final Path unproven = ClassDataSharing.unproven(command);
        final byte[] block = control.apply(null != unproven || StartingChildren.limited());
        final int spares = ProcessConfiguration.spareJvms();
        StartingChildren.awaitRoom();
        Process process = SpareJvms.take(command);
        if (null != process && !handOver(process, block))
        {
            process.destroyForcibly();
            process = null;
        }
        if (null == process)
        {
            process = launchAndHandOver(name, command, block);
        }
        if (null != unproven)
        {
            if (exit.awaitStarted(process))
            {
                ClassDataSharing.proven(unproven);
            }
            else
            {
                final Process without = launchAndHandOver(name, plain, block);
                if (exit.awaitStarted(without))
                {
                    ClassDataSharing.discard(unproven);
                }
                process = without;
            }
        }
        StartingChildren.launched(process, exit);
        if (spares > 0)
        {
            SpareJvms.replenish(ClassDataSharing.apply(plain, taskClass), spares);
        }
        return process;
    }

    private static Process launchAndHandOver(final String name, final List<String> command, final byte[] block)
    {
        final Process process = launch(name, command);
        if (!handOver(process, block))
        {
            process.destroyForcibly();
            throw new IpcException("child JVM " + name + " (pid=" + process.pid() +
                ") exited before it took its task; see its standard error above; command=" + command);
        }
        return process;
    }

    /**
     * @param keptAlive whether the child has owner links made for it ({@link SentHandles}): they
     *                  are swept once it has exited.
     * @return a future completed once the child has exited and what it left has been swept.
     */
    static CompletableFuture<Void> track(
        final IpcProcess child, final Process process, final boolean daemon, final boolean keptAlive)
    {
        if (daemon)
        {
            DAEMONS.put(process, child);
        }
        else
        {
            nonDaemonStarted();
        }
        return process.onExit().handle((p, failure) ->
        {
            final Integer code = child.exitCode();
            if (keptAlive || null != code && code < 0)
            {
                RuntimeDirectory.sweep();
            }
            if (daemon)
            {
                DAEMONS.remove(process);
            }
            else
            {
                nonDaemonExited();
            }
            return null;
        });
    }

    /**
     * Waits, up to 10 s, until the child has taken its task: its watcher thread shows in
     * {@code /proc/<pid>/task/*}{@code /comm} (thread names are cut to 15 characters there).
     * Without {@code /proc} it does not wait.
     */
    static void awaitTaskTaken(final Process process)
    {
        final Path tasks = Path.of("/proc", Long.toString(process.pid()), "task");
        final String name = ChildMain.WATCHER_THREAD_NAME.substring(0, 15);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (process.isAlive() && Files.isDirectory(tasks) && System.nanoTime() - deadline < 0)
        {
            try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks))
            {
                for (final Path thread : threads)
                {
                    if (name.equals(Files.readString(thread.resolve("comm")).trim()))
                    {
                        return;
                    }
                }
            }
            catch (final IOException ignore)
            {
                // the process is exiting, or a thread came and went: look again
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    private static boolean handOver(final Process process, final byte[] control)
    {
        try (OutputStream in = process.getOutputStream())
        {
            in.write(control);
            return true;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    /**
     * At this JVM's exit, as CPython does: unused spares are killed (and waited for), daemon children are
     * terminated and given two seconds before they are killed, their exit records are removed (the
     * JVM may halt before their exit futures run), and what dead children left in the runtime
     * directory is swept. Besides ending them promptly, this spares the exit HotSpot's 300 ms wait
     * for threads in native code (the JDK's process reapers).
     */
    private static void endChildrenAtExit()
    {
        final List<Process> spares = SpareJvms.killAll();
        for (final Process daemon : DAEMONS.keySet())
        {
            daemon.destroy();
        }
        final long deadline = System.nanoTime() + EXIT_GRACE_NANOS;
        for (final Process spare : spares)
        {
            try
            {
                spare.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (final Map.Entry<Process, IpcProcess> daemon : DAEMONS.entrySet())
        {
            final Process process = daemon.getKey();
            try
            {
                if (!process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS))
                {
                    process.destroyForcibly().waitFor(EXIT_GRACE_NANOS, TimeUnit.NANOSECONDS);
                }
            }
            catch (final InterruptedException ex)
            {
                process.destroyForcibly();
            }
            daemon.getValue().exitCode();
        }
        RuntimeDirectory.sweepAtExit();
    }

    private static Process launch(final String name, final List<String> command)
    {
        try
        {
            return newJvm(command);
        }
        catch (final IOException ex)
        {
            throw new IpcException("cannot start child JVM " + name + ": " + ex.getMessage() + "; command=" + command, ex);
        }
    }

    static Process newJvm(final List<String> command) throws IOException
    {
        return new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.PIPE)
            .redirectOutput(ProcessBuilder.Redirect.INHERIT)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    }

    private static List<String> command(final List<String> jvmArgs)
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessConfiguration.javaExecutable());
        command.add("--add-exports");
        command.add(AGRONA_EXPORT);
        command.add(NO_PERF_DATA);
        final List<String> inherited = inheritedFlags();
        command.addAll(inherited);
        for (final String flag : ChildJvmFlags.required())
        {
            if (!inherited.contains(flag))
            {
                command.add(flag);
            }
        }
        for (final String key : System.getProperties().stringPropertyNames())
        {
            if (key.startsWith("ipckit."))
            {
                command.add("-D" + key + "=" + System.getProperty(key));
            }
        }
        command.addAll(List.of(ProcessConfiguration.childJvmArgs()));
        command.addAll(jvmArgs);

        final String modulePath = System.getProperty("jdk.module.path");
        if (null != modulePath && !modulePath.isEmpty())
        {
            command.add("--module-path");
            command.add(modulePath);
            command.add("--add-modules");
            command.add("ALL-MODULE-PATH");
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(CHILD_MAIN);
        return List.copyOf(command);
    }

    private static List<String> inheritedFlags()
    {
        List<String> flags = inheritedFlags;
        if (null == flags)
        {
            flags = new ArrayList<>();
            for (final String arg : ManagementFactory.getRuntimeMXBean().getInputArguments())
            {
                for (final String prefix : INHERITED_FLAG_PREFIXES)
                {
                    if (arg.startsWith(prefix) && !arg.equals("--add-exports=" + AGRONA_EXPORT))
                    {
                        flags.add(arg);
                        break;
                    }
                }
            }
            flags = List.copyOf(flags);
            inheritedFlags = flags;
        }
        return flags;
    }

    private static void nonDaemonStarted()
    {
        synchronized (NON_DAEMON_LOCK)
        {
            if (0 == nonDaemonRunning++)
            {
                final Thread waiter = new Thread(ChildLauncher::awaitNonDaemonChildren, "ipckit-await-children");
                waiter.setDaemon(false);
                waiter.start();
            }
        }
    }

    private static void nonDaemonExited()
    {
        synchronized (NON_DAEMON_LOCK)
        {
            nonDaemonRunning--;
            NON_DAEMON_LOCK.notifyAll();
        }
    }

    private static void awaitNonDaemonChildren()
    {
        synchronized (NON_DAEMON_LOCK)
        {
            while (nonDaemonRunning > 0)
            {
                try
                {
                    NON_DAEMON_LOCK.wait();
                }
                catch (final InterruptedException ex)
                {
                    return;
                }
            }
        }
    }
}
