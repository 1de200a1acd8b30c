package dev.ipckit.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closes what a JVM still holds when it exits normally (its {@code main} returns, or
 * {@code System.exit}, or SIGTERM): open connections flush what they buffered and remove their
 * files. What a killed JVM leaves is swept by the next ipckit process
 * ({@link dev.ipckit.RuntimeDirectory#sweep()}).
 * <p>
 * <b>Note:</b> internal to ipckit; all methods are thread-safe. Resources registered later are
 * closed first.
 */
public final class ExitHooks
{
    private static final Map<AutoCloseable, Long> OPEN = new ConcurrentHashMap<>();
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static volatile boolean installed;

    private ExitHooks()
    {
    }

    /**
     * @param resource to close when the JVM exits, unless {@link #unregister} was called first.
     */
    public static void register(final AutoCloseable resource)
    {
        if (!installed)
        {
            install();
        }
        OPEN.put(resource, SEQUENCE.incrementAndGet());
    }

    /**
     * @param resource no longer to close at exit (it was closed).
     */
    public static void unregister(final AutoCloseable resource)
    {
        OPEN.remove(resource);
    }

    private static synchronized void install()
    {
        if (!installed)
        {
            Runtime.getRuntime().addShutdownHook(new Thread(ExitHooks::closeAll, "ipckit-exit"));
            installed = true;
        }
    }

    private static void closeAll()
    {
        final List<Map.Entry<AutoCloseable, Long>> open = new ArrayList<>(OPEN.entrySet());
        open.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
        for (final Map.Entry<AutoCloseable, Long> entry : open)
        {
            try
            {
                entry.getKey().close();
            }
            catch (final Exception ex)
            {
                System.getLogger(ExitHooks.class.getName())
                    .log(System.Logger.Level.DEBUG, "ipckit: close at exit failed for " + entry.getKey(), ex);
            }
        }
    }
}
