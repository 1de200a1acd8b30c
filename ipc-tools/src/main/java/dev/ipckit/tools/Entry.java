package dev.ipckit.tools;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the inspector found of one object in the runtime directory: its kind, name, size, the
 * processes that hold it, and its state as read from its shared memory (or why that could not be
 * read).
 * <p>
 * <b>Note:</b> built by one thread, then only read.
 */
final class Entry
{
    final String kind;
    final String name;
    final String file;
    long size;
    final List<Holder> holders = new ArrayList<>();
    final Map<String, Object> state = new LinkedHashMap<>();
    final List<Map<String, Object>> slots = new ArrayList<>();
    String problem;

    Entry(final String kind, final String name, final String file)
    {
        this.kind = kind;
        this.name = name;
        this.file = file;
    }

    void addHolder(final long pid, final boolean alive)
    {
        for (final Holder holder : holders)
        {
            if (holder.pid == pid)
            {
                return;
            }
        }
        holders.add(new Holder(pid, alive));
    }

    /** @return whether processes held it and every one of them has exited. */
    boolean abandoned()
    {
        return !holders.isEmpty() && holders.stream().noneMatch(h -> h.alive);
    }

    /** A process that holds an object. */
    static final class Holder
    {
        final long pid;
        final boolean alive;

        Holder(final long pid, final boolean alive)
        {
            this.pid = pid;
            this.alive = alive;
        }

        @Override
        public String toString()
        {
            return alive ? Long.toString(pid) : pid + "(dead)";
        }
    }
}
