package dev.ipckit.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Names a process so that a recycled pid is never mistaken for the original, and a process of
 * another container is never mistaken for a dead one.
 * <p>
 * The string token is {@code "<pid>:<start time>:<pid namespace inode>:<boot id>"}, where the
 * start time is the kernel's (clock ticks since boot, from {@code /proc/<pid>/stat}) or, without
 * {@code /proc}, the JDK's start instant; the namespace is {@code /proc/self/ns/pid}'s inode and
 * the boot id {@code /proc/sys/kernel/random/boot_id}. The long token packs the same facts in one
 * word of shared memory:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-------------+-----------------------+-----------------------+
 *  |R|  Boot tag   |   Namespace tag       |     pid (22 bits)    ...
 *  +-+-------------+-----------------------+-----------------------+
 *  ...             |            Start time hash (22 bits)          |
 *  +---------------------------------------------------------------+
 * </pre>
 * (bit 63 first). R is free for a table to mark a slot being reclaimed ({@link #RECLAIMING_BIT});
 * liveness ignores it. A token of another boot names a dead process; a token of this boot and
 * another pid namespace names a process this one cannot see, taken as alive; a token of this
 * namespace is alive while its pid runs with the same start time. The tags are 7- and 12-bit
 * hashes: two namespaces whose tags collide (one chance in 4096) fall back to the pid check.
 * <p>
 * <b>Note:</b> internal to ipckit; all methods are thread-safe.
 */
public final class ProcessIdentity
{
    /** Bit 63 of a long token: free for a table's "being reclaimed by this process" mark. */
    public static final long RECLAIMING_BIT = 1L << 63;
    /** Shift of the 7-bit boot tag in a long token. */
    public static final int BOOT_SHIFT = 56;
    /** Shift of the 12-bit pid-namespace tag in a long token. */
    public static final int NAMESPACE_SHIFT = 44;
    /** Shift of the 22-bit pid in a long token. */
    public static final int PID_SHIFT = 22;
    private static final long BOOT_MASK = 0x7FL;
    private static final long NAMESPACE_MASK = 0xFFFL;
    private static final long PID_MASK = 0x3F_FFFFL;
    private static final long START_MASK = 0x3F_FFFFL;

    private static final boolean HAS_PROC = Files.isDirectory(Path.of("/proc/self"));
    private static final long CURRENT_PID = ProcessHandle.current().pid();
    private static final String CURRENT_START = startTime(CURRENT_PID);
    private static final String CURRENT_NAMESPACE = pidNamespace();
    private static final String CURRENT_BOOT = bootId();
    private static final String CURRENT_TOKEN =
        CURRENT_PID + ":" + CURRENT_START + ":" + CURRENT_NAMESPACE + ":" + CURRENT_BOOT;
    private static final long CURRENT_BOOT_TAG = mix(CURRENT_BOOT.hashCode()) & BOOT_MASK;
    private static final long CURRENT_NAMESPACE_TAG = mix(CURRENT_NAMESPACE.hashCode()) & NAMESPACE_MASK;
    private static final long CURRENT_LONG_TOKEN = longToken(CURRENT_PID, CURRENT_START);

    private ProcessIdentity()
    {
    }

    /**
     * @return the pid of this JVM.
     */
    public static long currentPid()
    {
        return CURRENT_PID;
    }

    /**
     * @return the inode of this JVM's pid namespace, in decimal ("0" without {@code /proc}): with the
     * pid, it names this process in a directory that processes of other pid namespaces share.
     */
    public static String currentPidNamespace()
    {
        return CURRENT_NAMESPACE;
    }

    /**
     * @return the token of this JVM.
     */
    public static String currentToken()
    {
        return CURRENT_TOKEN;
    }

    /**
     * @return this JVM's identity packed in a long, for a word of shared memory; never 0, and
     * {@link #RECLAIMING_BIT} clear.
     */
    public static long currentLongToken()
    {
        return CURRENT_LONG_TOKEN;
    }

    /**
     * @param pid a process of this pid namespace.
     * @return its long token while it runs, else 0.
     */
    public static long longTokenOf(final long pid)
    {
        if (pid == CURRENT_PID)
        {
            return CURRENT_LONG_TOKEN;
        }
        final String start = pid > 0 ? startTime(pid) : null;
        return null == start ? 0 : longToken(pid, start);
    }

    /**
     * @param token a token from {@link #currentLongToken()} of some process, {@link #RECLAIMING_BIT}
     *              set or not.
     * @return true while that process has not exited (a zombie counts as exited); a process of this
     * boot in another pid namespace counts as alive.
     */
    public static boolean isAliveToken(final long token)
    {
        final long plain = token & ~RECLAIMING_BIT;
        if (plain == CURRENT_LONG_TOKEN)
        {
            return true;
        }
        if ((plain >>> BOOT_SHIFT & BOOT_MASK) != CURRENT_BOOT_TAG)
        {
            return false;
        }
        if ((plain >>> NAMESPACE_SHIFT & NAMESPACE_MASK) != CURRENT_NAMESPACE_TAG)
        {
            return true;
        }
        final long pid = pidOfToken(plain);
        final String start = pid > 0 ? startTime(pid) : null;
        return null != start && (mix(start.hashCode()) & START_MASK) == (plain & START_MASK);
    }

    /**
     * @param token a token from {@link #currentLongToken()}.
     * @return the pid in it (of the namespace the token names).
     */
    public static long pidOfToken(final long token)
    {
        return token >>> PID_SHIFT & PID_MASK;
    }

    /**
     * @param token a token from {@link #currentToken()} of some process.
     * @return the pid in the token, or -1 when the token is malformed.
     */
    public static long pidOf(final String token)
    {
        final int colon = null == token ? -1 : token.indexOf(':');
        if (colon <= 0)
        {
            return -1;
        }
        try
        {
            return Long.parseLong(token.substring(0, colon));
        }
        catch (final NumberFormatException ex)
        {
            return -1;
        }
    }

    /**
     * @param token a token from {@link #currentToken()} of some process (the older
     *              {@code "<pid>:<start time>"} form is read as of this namespace and boot).
     * @return true while the process the token names has not exited (a zombie counts as exited);
     * a process of this boot in another pid namespace counts as alive; a malformed token names no
     * process.
     */
    public static boolean isAlive(final String token)
    {
        final long pid = pidOf(token);
        if (pid <= 0)
        {
            return false;
        }
        final String[] fields = token.split(":", 4);
        if (4 == fields.length)
        {
            if (!fields[3].equals(CURRENT_BOOT))
            {
                return false;
            }
            if (!fields[2].equals(CURRENT_NAMESPACE))
            {
                return true;
            }
        }
        if (pid == CURRENT_PID)
        {
            return fields[1].equals(CURRENT_START);
        }
        final String start = startTime(pid);
        return null != start && fields[1].equals(start);
    }

    private static long longToken(final long pid, final String start)
    {
        return CURRENT_BOOT_TAG << BOOT_SHIFT | CURRENT_NAMESPACE_TAG << NAMESPACE_SHIFT |
            (pid & PID_MASK) << PID_SHIFT | mix(start.hashCode()) & START_MASK;
    }

    private static long mix(final int hash)
    {
        long h = hash & 0xFFFF_FFFFL;
        h ^= h >>> 16;
        h *= 0x85EB_CA6BL;
        h ^= h >>> 13;
        h *= 0xC2B2_AE35L;
        h ^= h >>> 16;
        return h;
    }

    private static String pidNamespace()
    {
        try
        {
            final String link = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
            return link.substring(link.indexOf('[') + 1, link.length() - 1);
        }
        catch (final IOException | RuntimeException ex)
        {
            return "0";
        }
    }

    private static String bootId()
    {
        try
        {
            return Files.readString(Path.of("/proc/sys/kernel/random/boot_id"), StandardCharsets.US_ASCII).trim();
        }
        catch (final IOException | RuntimeException ex)
        {
            return "0";
        }
    }

    private static String startTime(final long pid)
    {
        if (HAS_PROC)
        {
            try
            {
                final String stat = new String(
                    Files.readAllBytes(Path.of("/proc", Long.toString(pid), "stat")), StandardCharsets.US_ASCII);
                final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                final String state = fields[0];
                return "Z".equals(state) || "X".equals(state) || "x".equals(state) ? null : fields[19];
            }
            catch (final NoSuchFileException ex)
            {
                return null;
            }
            catch (final IOException | RuntimeException ex)
            {
                return handleStart(pid);
            }
        }
        return handleStart(pid);
    }

    private static String handleStart(final long pid)
    {
        final Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive())
        {
            return null;
        }
        return handle.get().info().startInstant().map(i -> Long.toString(i.toEpochMilli())).orElse("0");
    }
}
