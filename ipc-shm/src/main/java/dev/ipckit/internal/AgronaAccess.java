package dev.ipckit.internal;

import dev.ipckit.IpcException;
import org.agrona.DirectBuffer;

/**
 * Agrona 2.x reaches {@code jdk.internal.misc.Unsafe}, which the JDK exports only on request. Without
 * the flag, the first use of a buffer fails deep inside Agrona with an {@code IllegalAccessError};
 * this check turns that into one clear exception that names the flag.
 * <p>
 * The export must go to the module Agrona was loaded in: {@code ALL-UNNAMED} when Agrona is on the
 * class path, its automatic module {@code org.agrona} when it is on the module path. {@link #EXPORT}
 * and {@link #FLAG} are the right one for this JVM.
 * <p>
 * <b>Note:</b> internal to ipckit; thread-safe.
 */
public final class AgronaAccess
{
    private static final Module AGRONA = DirectBuffer.class.getModule();

    /**
     * The export Agrona needs, as {@code --add-exports} takes it:
     * {@code java.base/jdk.internal.misc=ALL-UNNAMED} on the class path,
     * {@code java.base/jdk.internal.misc=org.agrona} on the module path.
     */
    public static final String EXPORT = "java.base/jdk.internal.misc=" + (AGRONA.isNamed() ? AGRONA.getName() : "ALL-UNNAMED");

    /** The JVM flag Agrona needs in this JVM: {@code --add-exports} and {@link #EXPORT}. */
    public static final String FLAG = "--add-exports " + EXPORT;

    private static final boolean EXPORTED = Object.class.getModule().isExported("jdk.internal.misc", AGRONA);

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
                ": add it to the java command line; for tests, to Maven Surefire's and Failsafe's <argLine> or " +
                "Gradle's test { jvmArgs }; for an application, to Gradle's applicationDefaultJvmArgs" +
                (AGRONA.isNamed() ? "" :
                    ", or Add-Exports: java.base/jdk.internal.misc to the manifest of a jar started with java -jar") +
                ". Child processes started by ipckit get it automatically");
        }
    }
}
