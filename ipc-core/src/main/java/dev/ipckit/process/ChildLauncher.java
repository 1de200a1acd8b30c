package dev.ipckit.process;

import dev.ipckit.Configuration;
import dev.ipckit.IpcException;
import dev.ipckit.RuntimeDirectory;
import dev.ipckit.codec.Codec;
import dev.ipckit.codec.SerializationCodec;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds a child JVM's command line, starts it, and keeps track of it until it exits: the parent
 * JVM stays up while non-daemon children run (a non-daemon thread waits for them), and what a
 * child that died abnormally left in the runtime directory is swept.
 * <p>
 * The child gets: this JVM's {@code java} ({@link Configuration#JAVA_PROP_NAME} overrides), the
 * export Agrona needs, this JVM's module and assertion flags, every {@code ipckit.*} system
 * property, {@link Configuration#CHILD_JVM_ARGS_PROP_NAME}, the builder's JVM arguments, and this
 * JVM's class path (and module path).
 */
final class ChildLauncher
{
    static final Codec TASK_CODEC = SerializationCodec.create(null, Configuration.serialMaxDepth());
    static final String AGRONA_EXPORT = "java.base/jdk.internal.misc=ALL-UNNAMED";
    private static final String CHILD_MAIN = ChildMain.class.getName();
    private static final String[] INHERITED_FLAG_PREFIXES = {
        "--add-opens", "--add-exports", "--add-reads", "--add-modules", "--enable-preview",
        "--enable-native-access", "--limit-modules", "--patch-module", "--illegal-native-access",
        "-ea", "-da", "-esa", "-dsa", "-enableassertions", "-disableassertions",
        "-enablesystemassertions", "-disablesystemassertions", "-Dfile.encoding=", "-Djava.library.path=" };

    private static final Map<Long, Process> RUNNING = new ConcurrentHashMap<>();
    private static final Object NON_DAEMON_LOCK = new Object();
    private static int nonDaemonRunning;
    private static volatile List<String> inheritedFlags;

    private ChildLauncher()
    {
    }

    static void checkLoadable(final Task task)
    {
        final ClassLoader loader = task.getClass().getClassLoader();
        for (ClassLoader l = ClassLoader.getSystemClassLoader(); null != l; l = l.getParent())
        {
            if (l == loader)
            {
                return;
            }
        }
        if (null == loader)
        {
            return;
        }
        throw new IllegalArgumentException("task class=" + task.getClass().getName() + " was loaded by " + loader +
            ", not from the class path, so a child JVM cannot load it; start the parent with java -cp (or -jar) " +
            "rather than through a custom class loader such as mvn exec:java");
    }

    static Process launch(final String name, final List<String> jvmArgs)
    {
        final List<String> command = command(name, jvmArgs);
        final ProcessBuilder builder = new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.PIPE)
            .redirectOutput(ProcessBuilder.Redirect.INHERIT)
            .redirectError(ProcessBuilder.Redirect.INHERIT);
        try
        {
            return builder.start();
        }
        catch (final IOException ex)
        {
            throw new IpcException("cannot start child JVM " + name + ": " + ex.getMessage() + "; command=" + command, ex);
        }
    }

    static void track(final IpcProcess child, final Process process, final boolean daemon)
    {
        RUNNING.put(process.pid(), process);
        if (!daemon)
        {
            nonDaemonStarted();
        }
        process.onExit().whenComplete((p, failure) ->
        {
            RUNNING.remove(process.pid());
            if (!daemon)
            {
                nonDaemonExited();
            }
            final Integer code = child.exitCode();
            if (null != code && code < 0)
            {
                RuntimeDirectory.sweep();
            }
        });
    }

    private static List<String> command(final String name, final List<String> jvmArgs)
    {
        final List<String> command = new ArrayList<>();
        command.add(Configuration.javaExecutable());
        command.add("--add-exports");
        command.add(AGRONA_EXPORT);
        command.addAll(inheritedFlags());
        for (final String key : System.getProperties().stringPropertyNames())
        {
            if (key.startsWith("ipckit."))
            {
                command.add("-D" + key + "=" + System.getProperty(key));
            }
        }
        command.addAll(List.of(Configuration.childJvmArgs()));
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
        command.add(name);
        return command;
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
            inheritedFlags = List.copyOf(flags);
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
