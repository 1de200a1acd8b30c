package dev.ipckit.process;

import dev.ipckit.internal.PropertyValues;

import java.nio.file.Path;

/**
 * The process layer's tunables: how child JVMs are started (which {@code java}, which extra
 * arguments, how many spare JVMs wait, whether they use a class-data-sharing archive and where it
 * is kept). Each is a system property name and its default, read when a child is started, so a
 * property set before that takes effect; every {@code ipckit.*} property is passed on to children.
 * <p>
 * <b>Note:</b> thread-safe (stateless).
 */
public final class ProcessConfiguration
{
    /** The {@code java} executable of child processes; default: the parent's. */
    public static final String JAVA_PROP_NAME = "ipckit.process.java";

    /** Extra JVM arguments, separated by spaces, given to every child process. */
    public static final String CHILD_JVM_ARGS_PROP_NAME = "ipckit.process.jvmArgs";

    /**
     * How many child JVMs to keep started and warmed up, waiting for a task, so that starting a
     * process does not wait for a JVM to boot (CPython's {@code forkserver} idea). 0 starts each
     * child from scratch.
     */
    public static final String SPARE_JVMS_PROP_NAME = "ipckit.process.spares";

    /**
     * Default {@link #SPARE_JVMS_PROP_NAME}: 1. A JVM boots in 30–60 ms, most of it before the task
     * can run; a spare boots while the previous child runs, so a loop that starts and joins
     * children overlaps two boots, and a single start does not wait for one. The price is one idle
     * JVM (about 40 MB resident) per parent that has started a child, gone when the parent exits.
     */
    public static final int SPARE_JVMS_DEFAULT = 1;

    /**
     * Whether child JVMs use a class-data-sharing archive of ipckit's start-up classes (JDK CDS),
     * made once per class path in {@link #CACHE_DIR_PROP_NAME} by a background run. Only when the
     * class path is all jar files; the JDK cannot archive classes from directories.
     */
    public static final String CDS_PROP_NAME = "ipckit.process.cds";

    /**
     * How many child JVMs may boot at once: a start waits while this many children of this JVM
     * have not yet taken their task. 0: no limit. Booting is CPU-bound, so more at once than there
     * are cores only makes each take longer (and cost more CPU, see {@link IpcProcess#start()}).
     */
    public static final String MAX_STARTING_PROP_NAME = "ipckit.process.maxStarting";

    /** Where ipckit keeps caches that outlive a process, such as CDS archives. */
    public static final String CACHE_DIR_PROP_NAME = "ipckit.cacheDir";

    private ProcessConfiguration()
    {
    }

    /**
     * @return {@value #JAVA_PROP_NAME}, default {@code <java.home>/bin/java}.
     */
    public static String javaExecutable()
    {
        final String value = System.getProperty(JAVA_PROP_NAME);
        return null == value || value.isBlank() ?
            Path.of(System.getProperty("java.home"), "bin", "java").toString() : value;
    }

    /**
     * @return {@value #CHILD_JVM_ARGS_PROP_NAME} split on white space; empty when unset.
     */
    public static String[] childJvmArgs()
    {
        final String value = System.getProperty(CHILD_JVM_ARGS_PROP_NAME, "").trim();
        return value.isEmpty() ? new String[0] : value.split("\\s+");
    }

    /**
     * @return {@value #SPARE_JVMS_PROP_NAME}, default {@link #SPARE_JVMS_DEFAULT}.
     * @throws IllegalArgumentException if the property is not a whole number in {@code 0..64}.
     */
    public static int spareJvms()
    {
        return (int)PropertyValues.inRange(SPARE_JVMS_PROP_NAME, 0, 64,
            PropertyValues.longValue(SPARE_JVMS_PROP_NAME, SPARE_JVMS_DEFAULT));
    }

    /**
     * @return {@value #MAX_STARTING_PROP_NAME}, default the number of available processors.
     * @throws IllegalArgumentException if the property is not a whole number in {@code 0..4096}.
     */
    public static int maxStartingChildren()
    {
        return (int)PropertyValues.inRange(MAX_STARTING_PROP_NAME, 0, 4096,
            PropertyValues.longValue(MAX_STARTING_PROP_NAME, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * @return {@value #CDS_PROP_NAME}, default true.
     */
    public static boolean childCds()
    {
        return !"false".equalsIgnoreCase(System.getProperty(CDS_PROP_NAME, "true").trim());
    }

    /**
     * @return {@value #CACHE_DIR_PROP_NAME}, default {@code $XDG_CACHE_HOME/ipckit} or
     * {@code ~/.cache/ipckit}.
     */
    public static Path cacheDir()
    {
        final String configured = System.getProperty(CACHE_DIR_PROP_NAME);
        if (null != configured && !configured.isBlank())
        {
            return Path.of(configured).toAbsolutePath();
        }
        final String xdg = System.getenv("XDG_CACHE_HOME");
        return (null != xdg && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache"))
            .resolve("ipckit");
    }
}
