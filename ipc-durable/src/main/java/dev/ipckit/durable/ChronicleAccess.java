package dev.ipckit.durable;

import dev.ipckit.IpcException;
import dev.ipckit.internal.AgronaAccess;
import dev.ipckit.process.ChildJvmFlags;

import java.util.ArrayList;
import java.util.List;

/**
 * Chronicle Queue reaches JDK internals that the JDK opens only on request. Without the flags its
 * first use fails deep inside Chronicle with an obscure error; this check turns that into one
 * {@link IpcException} that names them. The first use also registers the flags for every child
 * JVM ipckit starts from then on ({@link ChildJvmFlags}), and turns Chronicle's analytics off.
 * <p>
 * <b>Note:</b> thread-safe.
 */
final class ChronicleAccess
{
    /** The flags Chronicle needs on every JDK from 17. */
    static final List<String> FLAGS = List.of(
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
        "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED");
    /** The flags JDK 23 and later also want, to start without warnings (JDK 17 refuses the second). */
    static final List<String> JDK23_FLAGS = List.of(
        "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow");
    static final String ANALYTICS_PROPERTY = "chronicle.analytics.disable";

    private static final boolean OPENED = opened();

    private static final String SLF4J_PROVIDER_PROPERTY = "slf4j.provider";
    private static final String SLF4J_PROVIDERS = "META-INF/services/org.slf4j.spi.SLF4JServiceProvider";

    static
    {
        System.setProperty(ANALYTICS_PROPERTY, "true");
        System.setProperty("chronicle.announcer.disable", "true");
        if (null == System.getProperty(SLF4J_PROVIDER_PROPERTY) &&
            null == ChronicleAccess.class.getClassLoader().getResource(SLF4J_PROVIDERS))
        {
            // Chronicle logs through SLF4J; without a provider SLF4J prints three lines to stderr saying so
            System.setProperty(SLF4J_PROVIDER_PROPERTY, "org.slf4j.helpers.NOP_FallbackServiceProvider");
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
        final List<String> flags = new ArrayList<>(flags());
        flags.add("-D" + ANALYTICS_PROPERTY + "=true");
        ChildJvmFlags.require(flags.toArray(new String[0]));
    }

    private ChronicleAccess()
    {
    }

    /**
     * @return the JVM flags this JDK needs for Chronicle Queue.
     */
    static List<String> flags()
    {
        if (Runtime.version().feature() < 23)
        {
            return FLAGS;
        }
        final List<String> all = new ArrayList<>(FLAGS);
        all.addAll(JDK23_FLAGS);
        return all;
    }

    /**
     * @throws IpcException if this JVM lacks a flag Chronicle Queue or Agrona needs.
     */
    static void check()
    {
        AgronaAccess.check();
        if (!OPENED)
        {
            throw new IpcException("ipckit's durable queues are built on Chronicle Queue, which needs the JVM flags " +
                String.join(" ", flags()) + " (add them to the java command line, or Add-Opens: " +
                "java.base/java.lang.reflect and Add-Exports: java.base/sun.nio.ch java.base/jdk.internal.ref to the " +
                "manifest of the jar started with java -jar); child processes started by ipckit get them automatically");
        }
    }

    private static boolean opened()
    {
        final Module base = Object.class.getModule();
        final Module me = ChronicleAccess.class.getModule();
        return base.isOpen("java.lang.reflect", me) && base.isExported("sun.nio.ch", me) &&
            base.isExported("jdk.internal.ref", me);
    }
}
