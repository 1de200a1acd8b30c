package dev.ipckit.durable;

import dev.ipckit.internal.Handle;

import java.nio.file.Path;
import java.util.function.BiFunction;

/**
 * The kinds of {@link Handle} of this package: the durable queues, named by their directory, with
 * their {@link DurableOptions} as the companion.
 */
enum DurableKind implements Handle.Kind
{
    /** {@link DurableQueue}. */
    QUEUE(DurableQueue::open),
    /** {@link DurableJoinableQueue}. */
    JOINABLE(DurableJoinableQueue::open);

    private final BiFunction<Path, DurableOptions, Object> open;

    DurableKind(final BiFunction<Path, DurableOptions, Object> open)
    {
        this.open = open;
    }

    @Override
    public Object resolve(final Handle handle)
    {
        return open.apply(Path.of(handle.name()), handle.extra(DurableOptions.class));
    }
}
