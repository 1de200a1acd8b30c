package dev.ipckit.durable;

import java.io.ObjectStreamException;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * A durable queue as it crosses a process boundary: its directory, its kind and its options; it
 * opens the directory where it is deserialised.
 */
final class DurableHandle implements Serializable
{
    private static final long serialVersionUID = 1L;

    private final String dir;
    private final boolean joinable;
    private final DurableOptions options;

    DurableHandle(final String dir, final boolean joinable, final DurableOptions options)
    {
        this.dir = dir;
        this.joinable = joinable;
        this.options = options;
    }

    private Object readResolve() throws ObjectStreamException
    {
        final Path path = Path.of(dir);
        return joinable ? DurableJoinableQueue.open(path, options) : DurableQueue.open(path, options);
    }
}
