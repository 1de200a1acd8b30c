package dev.ipckit.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Names a process so that a recycled pid is never mistaken for the original: a token
 * {@code "<pid>:<start time>"}, where the start time is the kernel's (clock ticks since boot,
 * from {@code /proc/<pid>/stat}) or, without {@code /proc}, the JDK's start instant.
 * <p>
 * <b>Note:</b> internal to ipckit; all methods are thread-safe.
 */
public final class ProcessIdentity
{
    private static final boolean HAS_PROC = Files.isDirectory(Path.of("/proc/self"));
    private static final long CURRENT_PID = ProcessHandle.current().pid();
    private static final String CURRENT_START = startTime(CURRENT_PID);
    private static final String CURRENT_TOKEN = CURRENT_PID + ":" + CURRENT_START;
    private static final long CURRENT_LONG_TOKEN = CURRENT_PID << 32 | (CURRENT_START.hashCode() & 0xFFFF_FFFFL);

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
     * @return the token of this JVM.
     */
    public static String currentToken()
    {
        return CURRENT_TOKEN;
    }

    /**
     * @return this JVM's identity packed in a long, for a word of shared memory: the pid in the
     * high 32 bits, a hash of the start time in the low 32 bits; never 0.
     */
    public static long currentLongToken()
    {
        return CURRENT_LONG_TOKEN;
    }

    /**
     * @param pid a process of this pid namespace.
     * @return its token, or {@code null} if it has exited.
     */
    public static String tokenOf(final long pid)
    {
        if (pid == CURRENT_PID)
        {
            return CURRENT_TOKEN;
        }
        final String start = startTime(pid);
        return null == start ? null : pid + ":" + start;
    }

    /**
     * @param token a token from {@link #currentLongToken()} of some process.
     * @return true while that process has not exited (a zombie counts as exited).
     */
    public static boolean isAliveToken(final long token)
    {
        if (token == CURRENT_LONG_TOKEN)
        {
            return true;
        }
        final long pid = token >>> 32;
        final String start = pid > 0 ? startTime(pid) : null;
        return null != start && start.hashCode() == (int)token;
    }

    /**
     * @param token a token from {@link #currentLongToken()}.
     * @return the pid in it.
     */
    public static long pidOfToken(final long token)
    {
        return token >>> 32;
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
     * @param token a token from {@link #currentToken()} of some process.
     * @return true while the process the token names has not exited (a zombie counts as exited);
     * a malformed token names no process.
     */
    public static boolean isAlive(final String token)
    {
        final long pid = pidOf(token);
        if (pid <= 0)
        {
            return false;
        }
        if (pid == CURRENT_PID)
        {
            return token.equals(CURRENT_TOKEN);
        }
        final String start = startTime(pid);
        return null != start && token.substring(token.indexOf(':') + 1).equals(start);
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
