package dev.ipckit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Every ipckit tunable: a system property name and its default, read when the object that uses it
 * is created (a {@code Connection}, a child process), so a property set before that takes effect.
 */
public final class Configuration
{
    /** Directory that holds every socket and mapped file ipckit creates. */
    public static final String DIR_PROP_NAME = "ipckit.dir";

    /** Largest message, in bytes, that a pipe or queue accepts. */
    public static final String MAX_MESSAGE_SIZE_PROP_NAME = "ipckit.maxMessageSize";

    /** Default {@link #MAX_MESSAGE_SIZE_PROP_NAME}: 256 MiB. */
    public static final int MAX_MESSAGE_SIZE_DEFAULT = 256 * 1024 * 1024;

    /**
     * How long, in nanoseconds, a receive busy-polls before it blocks in the kernel.
     * 0 blocks at once.
     */
    public static final String SPIN_NANOS_PROP_NAME = "ipckit.pipe.spinNanos";

    /**
     * Default {@link #SPIN_NANOS_PROP_NAME}: 50 µs. A blocked receive costs a kernel wake-up of
     * 12–80 µs (machine dependent) on top of the data's arrival; a reply that comes back within
     * the budget costs a busy-polled 4–5 µs round trip instead. Spinning for about one wake-up's
     * cost is at worst twice the optimal CPU spend, and an idle receiver blocks after 50 µs, so it
     * burns no core.
     */
    public static final long SPIN_NANOS_DEFAULT = 50_000;

    /**
     * Window, in nanoseconds, within which a sender that is streaming (sending again without
     * receiving in between) lets messages gather into one write. 0 writes every message at once.
     */
    public static final String COALESCE_NANOS_PROP_NAME = "ipckit.pipe.coalesceNanos";

    /**
     * Default {@link #COALESCE_NANOS_PROP_NAME}: 20 µs. A write system call costs about 1 µs; a
     * stream of small messages is sent in batches instead, at the price of at most this window
     * (plus the flusher's wake-up) of added delay for a message in the middle of a stream. A
     * message sent after a receive, or after a pause longer than the window, is written at once.
     */
    public static final long COALESCE_NANOS_DEFAULT = 20_000;

    /**
     * How long, in milliseconds, closing a connection waits for its peer to take what a sender
     * left buffered, while the peer reads nothing: a peer that keeps reading gets everything.
     */
    public static final String CLOSE_TIMEOUT_MILLIS_PROP_NAME = "ipckit.pipe.closeTimeoutMillis";

    /** Default {@link #CLOSE_TIMEOUT_MILLIS_PROP_NAME}: 10 s. */
    public static final long CLOSE_TIMEOUT_MILLIS_DEFAULT = 10_000;

    /** Size in bytes of each connection's read buffer and write buffer (both off-heap). */
    public static final String BUFFER_SIZE_PROP_NAME = "ipckit.pipe.bufferSize";

    /** Default {@link #BUFFER_SIZE_PROP_NAME}: 64 KiB. */
    public static final int BUFFER_SIZE_DEFAULT = 64 * 1024;

    /**
     * An {@link java.io.ObjectInputFilter} pattern (the JDK's syntax, e.g.
     * {@code "java.base/*;com.example.**;!*"}) that decoded classes must pass. Unset: every class
     * on the class path is allowed, within the depth and size limits.
     */
    public static final String SERIAL_FILTER_PROP_NAME = "ipckit.serialFilter";

    /**
     * Deepest object graph that decoding accepts. Nested collections cost time exponential in
     * their depth to decode (a set of sets of sets whose hash codes are computed again at each
     * level), so the default is low: deep enough for an exception with 20 causes or a
     * {@code Map<String, List<Map<...>>>} ten levels deep.
     */
    public static final String SERIAL_MAX_DEPTH_PROP_NAME = "ipckit.serialMaxDepth";

    /** Default {@link #SERIAL_MAX_DEPTH_PROP_NAME}. */
    public static final long SERIAL_MAX_DEPTH_DEFAULT = 24;

    /**
     * Most object references (objects, classes, back-references) one decoded message may hold:
     * bounds the heap a message of a given size can make decoding take.
     */
    public static final String SERIAL_MAX_REFS_PROP_NAME = "ipckit.serialMaxRefs";

    /** Default {@link #SERIAL_MAX_REFS_PROP_NAME}. */
    public static final long SERIAL_MAX_REFS_DEFAULT = 10_000_000;

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
     * Whether child JVMs use a class-data-sharing archive of ipckit's start-up classes (JDK CDS),
     * made once per class path in {@link #CACHE_DIR_PROP_NAME} by a background run. Only when the
     * class path is all jar files; the JDK cannot archive classes from directories.
     */
    public static final String CDS_PROP_NAME = "ipckit.process.cds";

    /** Where ipckit keeps caches that outlive a process, such as CDS archives. */
    public static final String CACHE_DIR_PROP_NAME = "ipckit.cacheDir";

    /**
     * Default {@link #SPARE_JVMS_PROP_NAME}: 1. A JVM boots in 30–60 ms, most of it before the task
     * can run; a spare boots while the previous child runs, so a loop that starts and joins
     * children overlaps two boots, and a single start does not wait for one. The price is one idle
     * JVM (about 40 MB resident) per parent that has started a child, gone when the parent exits.
     */
    public static final int SPARE_JVMS_DEFAULT = 1;

    private Configuration()
    {
    }

    /**
     * @return the runtime directory: {@value #DIR_PROP_NAME} if set, else
     * {@code /dev/shm/ipckit-<user>}, or {@code <java.io.tmpdir>/ipckit-<user>} without
     * {@code /dev/shm}.
     */
    public static Path dir()
    {
        final String configured = System.getProperty(DIR_PROP_NAME);
        if (null != configured && !configured.isEmpty())
        {
            return Path.of(configured).toAbsolutePath();
        }

        final String leaf = "ipckit-" + System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        final Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) ? shm.resolve(leaf) : Path.of(System.getProperty("java.io.tmpdir")).resolve(leaf);
    }

    /**
     * @return {@value #MAX_MESSAGE_SIZE_PROP_NAME}, default {@link #MAX_MESSAGE_SIZE_DEFAULT}.
     */
    public static int maxMessageSize()
    {
        final long value = longProperty(MAX_MESSAGE_SIZE_PROP_NAME, MAX_MESSAGE_SIZE_DEFAULT);
        if (value < 0 || value > Integer.MAX_VALUE - 8)
        {
            throw new IllegalArgumentException(
                MAX_MESSAGE_SIZE_PROP_NAME + " must be in 0.." + (Integer.MAX_VALUE - 8) + ", value=" + value);
        }
        return (int)value;
    }

    /**
     * @return {@value #SPIN_NANOS_PROP_NAME}, default {@link #SPIN_NANOS_DEFAULT}.
     */
    public static long spinNanos()
    {
        return nonNegative(SPIN_NANOS_PROP_NAME, longProperty(SPIN_NANOS_PROP_NAME, SPIN_NANOS_DEFAULT));
    }

    /**
     * @return {@value #COALESCE_NANOS_PROP_NAME}, default {@link #COALESCE_NANOS_DEFAULT}.
     */
    public static long coalesceNanos()
    {
        return nonNegative(COALESCE_NANOS_PROP_NAME, longProperty(COALESCE_NANOS_PROP_NAME, COALESCE_NANOS_DEFAULT));
    }

    /**
     * @return {@value #CLOSE_TIMEOUT_MILLIS_PROP_NAME}, default {@link #CLOSE_TIMEOUT_MILLIS_DEFAULT}.
     */
    public static long closeTimeoutMillis()
    {
        return nonNegative(CLOSE_TIMEOUT_MILLIS_PROP_NAME,
            longProperty(CLOSE_TIMEOUT_MILLIS_PROP_NAME, CLOSE_TIMEOUT_MILLIS_DEFAULT));
    }

    /**
     * @return {@value #BUFFER_SIZE_PROP_NAME}, default {@link #BUFFER_SIZE_DEFAULT}.
     */
    public static int bufferSize()
    {
        final long value = longProperty(BUFFER_SIZE_PROP_NAME, BUFFER_SIZE_DEFAULT);
        if (value < 4096 || value > 64 * 1024 * 1024)
        {
            throw new IllegalArgumentException(BUFFER_SIZE_PROP_NAME + " must be in 4096..67108864, value=" + value);
        }
        return (int)value;
    }

    /**
     * @return {@value #SERIAL_FILTER_PROP_NAME}, or {@code null} when unset.
     */
    public static String serialFilter()
    {
        final String value = System.getProperty(SERIAL_FILTER_PROP_NAME);
        return null == value || value.isBlank() ? null : value;
    }

    /**
     * @return {@value #SERIAL_MAX_DEPTH_PROP_NAME}, default {@link #SERIAL_MAX_DEPTH_DEFAULT}.
     */
    public static long serialMaxDepth()
    {
        return nonNegative(SERIAL_MAX_DEPTH_PROP_NAME, longProperty(SERIAL_MAX_DEPTH_PROP_NAME, SERIAL_MAX_DEPTH_DEFAULT));
    }

    /**
     * @return {@value #SERIAL_MAX_REFS_PROP_NAME}, default {@link #SERIAL_MAX_REFS_DEFAULT}.
     */
    public static long serialMaxRefs()
    {
        return nonNegative(SERIAL_MAX_REFS_PROP_NAME, longProperty(SERIAL_MAX_REFS_PROP_NAME, SERIAL_MAX_REFS_DEFAULT));
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
     */
    public static int spareJvms()
    {
        final long value = longProperty(SPARE_JVMS_PROP_NAME, SPARE_JVMS_DEFAULT);
        if (value < 0 || value > 64)
        {
            throw new IllegalArgumentException(SPARE_JVMS_PROP_NAME + " must be in 0..64, value=" + value);
        }
        return (int)value;
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

    private static long longProperty(final String name, final long defaultValue)
    {
        final String value = System.getProperty(name);
        if (null == value || value.isBlank())
        {
            return defaultValue;
        }
        try
        {
            return Long.parseLong(value.trim().replace("_", ""));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(name + " must be a whole number, value=" + value, ex);
        }
    }

    private static long nonNegative(final String name, final long value)
    {
        if (value < 0)
        {
            throw new IllegalArgumentException(name + " must not be negative, value=" + value);
        }
        return value;
    }
}
