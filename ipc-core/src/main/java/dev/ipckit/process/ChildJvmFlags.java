package dev.ipckit.process;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * JVM flags that a module built on ipckit needs in every child JVM started from now on, such as the
 * {@code --add-opens} and {@code --add-exports} a library reaches JDK internals with.
 * <p>
 * An optional module (durable queues, the cluster tier) registers its flags when it is first used
 * in this JVM, so a child that will use it starts with them; a module that is never used adds
 * nothing. Flags this JVM was itself started with are passed on to children anyway.
 * <p>
 * <b>Note:</b> thread-safe; registering is idempotent and lasts for the life of this JVM.
 */
public final class ChildJvmFlags
{
    private static final Set<String> REQUIRED = Collections.synchronizedSet(new LinkedHashSet<>());
    private static volatile List<String> snapshot = List.of();

    private ChildJvmFlags()
    {
    }

    /**
     * Adds flags to the command line of every child JVM started after this call (spares started
     * without them are not used for those children).
     *
     * @param flags whole JVM arguments, each an option with its value joined by {@code =}
     *              (e.g. {@code --add-opens=java.base/java.lang=ALL-UNNAMED}).
     * @throws IllegalArgumentException if a flag is blank or does not start with {@code -}.
     */
    public static void require(final String... flags)
    {
        for (final String flag : flags)
        {
            if (null == flag || flag.isBlank() || !flag.startsWith("-"))
            {
                throw new IllegalArgumentException("not a JVM flag: " + flag);
            }
        }
        synchronized (REQUIRED)
        {
            if (REQUIRED.addAll(List.of(flags)))
            {
                snapshot = List.copyOf(new ArrayList<>(REQUIRED));
            }
        }
    }

    /** @return the flags registered so far, in the order they were first registered. */
    static List<String> required()
    {
        return snapshot;
    }
}
