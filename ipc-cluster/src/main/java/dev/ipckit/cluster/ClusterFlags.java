package dev.ipckit.cluster;

import dev.ipckit.IpcException;
import dev.ipckit.process.ChildJvmFlags;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The JVM flags Hazelcast reaches JDK internals with. The first use of the cluster module in a JVM
 * registers them for every child JVM ipckit starts ({@link ChildJvmFlags}), and checks that this
 * JVM has them, so a missing flag is one clear {@link IpcException} rather than a warning and an
 * obscure failure later.
 * <p>
 * <b>Note:</b> thread-safe.
 */
final class ClusterFlags
{
    /** The flags, each an option and its value joined by {@code =}. */
    static final List<String> FLAGS = List.of(
        "--add-modules=java.se",
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens=java.management/sun.management=ALL-UNNAMED",
        "--add-opens=jdk.management/com.sun.management.internal=ALL-UNNAMED");

    private static final List<String> MISSING = missing();

    /**
     * JDK 23+ warns on standard error when Hazelcast (its shaded JCTools) first calls
     * {@code sun.misc.Unsafe}; its children are started with the flag that allows it.
     */
    private static final String UNSAFE_ALLOWED = "--sun-misc-unsafe-memory-access=allow";
    private static final int UNSAFE_WARNING_FEATURE = 23;

    static
    {
        ChildJvmFlags.require(FLAGS.toArray(new String[0]));
        if (Runtime.version().feature() >= UNSAFE_WARNING_FEATURE)
        {
            ChildJvmFlags.require(UNSAFE_ALLOWED);
        }
    }

    private ClusterFlags()
    {
    }

    /**
     * Registers the flags for children (once per JVM) and checks this JVM's.
     *
     * @throws IpcException naming every flag if one is missing.
     */
    static void check()
    {
        if (!MISSING.isEmpty())
        {
            throw new IpcException("ipckit's cluster module runs Hazelcast, which needs the JVM flags " +
                String.join(" ", FLAGS) +
                "; this JVM lacks " + MISSING + " (add them to the java command line, or for java -jar the " +
                "manifest entries Add-Exports: java.base/jdk.internal.ref and Add-Opens: java.base/java.lang " +
                "java.base/sun.nio.ch java.management/sun.management jdk.management/com.sun.management.internal); " +
                "child processes started by ipckit get them automatically");
        }
    }

    private static List<String> missing()
    {
        final Module self = ClusterFlags.class.getModule();
        final List<String> missing = new ArrayList<>();
        if (!javaSeResolved())
        {
            missing.add(FLAGS.get(0));
        }
        if (!Object.class.getModule().isExported("jdk.internal.ref", self))
        {
            missing.add(FLAGS.get(1));
        }
        if (!Object.class.getModule().isOpen("java.lang", self))
        {
            missing.add(FLAGS.get(2));
        }
        if (!Object.class.getModule().isOpen("sun.nio.ch", self))
        {
            missing.add(FLAGS.get(3));
        }
        if (!opened("java.management", "sun.management", self))
        {
            missing.add(FLAGS.get(4));
        }
        if (!opened("jdk.management", "com.sun.management.internal", self))
        {
            missing.add(FLAGS.get(5));
        }
        return List.copyOf(missing);
    }

    /**
     * @return whether every module of {@code java.se} is in the boot layer: an application on the
     * class path has them without the flag, as the default root modules.
     */
    private static boolean javaSeResolved()
    {
        final Optional<ModuleReference> javaSe = ModuleFinder.ofSystem().find("java.se");
        if (javaSe.isEmpty())
        {
            return false;
        }
        for (final ModuleDescriptor.Requires requires : javaSe.get().descriptor().requires())
        {
            if (ModuleLayer.boot().findModule(requires.name()).isEmpty())
            {
                return false;
            }
        }
        return true;
    }

    private static boolean opened(final String moduleName, final String packageName, final Module self)
    {
        final Optional<Module> module = ModuleLayer.boot().findModule(moduleName);
        return module.isPresent() && module.get().isOpen(packageName, self);
    }
}
