package dev.ipckit.internal;

import dev.ipckit.IpcException;

/**
 * Agrona 2.x reaches {@code jdk.internal.misc.Unsafe}, which the JDK exports only on request. Without
 * the flag, the first use of a buffer fails deep inside Agrona with an {@code IllegalAccessError};
 * this check turns that into one clear exception that names the flag.
 * <p>
 * <b>Note:</b> internal to ipckit; thread-safe.
 */
public final class AgronaAccess
{
    /** The JVM flag Agrona needs. */
    public static final String FLAG = "--add-exports java.base/jdk.internal.misc=ALL-UNNAMED";

    private static final boolean EXPORTED =
        Object.class.getModule().isExported("jdk.internal.misc", AgronaAccess.class.getModule());

    private AgronaAccess()
    {
    }

    /**
     * @throws IpcException if this JVM was started without {@link #FLAG}.
     */
    public static void check()
    {
        if (!EXPORTED)
        {
            throw new IpcException("ipckit's shared memory is built on Agrona, which needs the JVM flag " + FLAG +
                " (add it to the java command line, or Add-Exports: java.base/jdk.internal.misc to the manifest " +
                "of the jar started with java -jar); child processes started by ipckit get it automatically");
        }
    }
}
