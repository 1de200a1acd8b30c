package dev.ipckit.process;

import java.util.ArrayList;
import java.util.List;

/**
 * The warm-ups child JVMs run ahead of their task besides what every child needs: the
 * registration point through which a layer built on child processes gets them ready for its own
 * work.
 * <p>
 * Process launching ({@link IpcProcess}, {@link ChildLauncher}, {@link ChildMain},
 * {@link ControlBlocks}, {@link SpareJvms}, {@link ClassDataSharing}) never names what is built on
 * it, such as the process pool, as CPython keeps {@code spawn} and {@code popen_*} below
 * {@code pool.py}: such a layer registers its warm-up here when it is first used. From then on the
 * spare JVMs run it before their task comes, and the class-data-sharing archive is made from a run
 * that includes it (an archive belongs to the warm-ups it was made with, so a JVM that never
 * registers one is not given an archive made for another layer's work, nor the reverse).
 * <p>
 * <b>Note:</b> thread-safe; an instance is an immutable snapshot.
 */
final class ChildWarmUps
{
    private static final Object LOCK = new Object();
    /** Replaced under {@link #LOCK}; read without it. */
    private static volatile ChildWarmUps registered = new ChildWarmUps(List.of(), List.of());

    /** The warm-ups' names, in the order they were registered. */
    final List<String> names;
    /** The warm-ups, in the same order. */
    final List<Task> tasks;

    private ChildWarmUps(final List<String> names, final List<Task> tasks)
    {
        this.names = names;
        this.tasks = tasks;
    }

    /**
     * Registers a warm-up, once per name (a later registration under the same name is ignored).
     *
     * @param name   a name that identifies the warm-up across JVMs (it is part of the archive's key).
     * @param warmUp what a child runs ahead of its task; it must need nothing from this JVM.
     */
    static void register(final String name, final Task warmUp)
    {
        if (registered.names.contains(name))
        {
            return;
        }
        synchronized (LOCK)
        {
            final ChildWarmUps current = registered;
            if (current.names.contains(name))
            {
                return;
            }
            final List<String> names = new ArrayList<>(current.names);
            final List<Task> tasks = new ArrayList<>(current.tasks);
            names.add(name);
            tasks.add(warmUp);
            registered = new ChildWarmUps(List.copyOf(names), List.copyOf(tasks));
        }
    }

    /**
     * @return the warm-ups registered so far.
     */
    static ChildWarmUps registered()
    {
        return registered;
    }
}
