package dev.ipckit.tools;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Writes entries as a table for people or as JSON for scripts (written by hand: numbers, booleans,
 * null and escaped strings are all it needs).
 * <p>
 * <b>Note:</b> stateless.
 */
final class Render
{
    private static final String ROW = "%-13s %-22s %9s  %-22s %s%n";
    /** Fields {@code stat} and {@code --json} show and a table line leaves out, with nulls (a free lock's owner aside). */
    private static final Set<String> TABLE_OMITS = Set.of("capacity", "joinable", "put", "done");

    private Render()
    {
    }

    /**
     * @param entries what {@link Inventory#read} found.
     * @return one line per entry under a header line.
     */
    static String table(final List<Entry> entries)
    {
        final StringBuilder out = new StringBuilder(String.format(ROW, "KIND", "NAME", "SIZE", "PROCESSES", "STATE"));
        for (final Entry entry : entries)
        {
            final String processes = entry.holders.isEmpty() ? "-" :
                entry.holders.stream().map(Entry.Holder::toString).collect(Collectors.joining(" "));
            out.append(String.format(ROW, entry.kind, entry.name, size(entry.size), processes, summary(entry)));
        }
        return out.toString();
    }

    /**
     * @param entry one entry.
     * @return every field, one per line, then one line per process-table slot.
     */
    static String detail(final Entry entry)
    {
        final StringBuilder out = new StringBuilder();
        out.append("kind:       ").append(entry.kind).append('\n');
        out.append("name:       ").append(entry.name).append('\n');
        out.append("file:       ").append(entry.file).append('\n');
        out.append("size:       ").append(entry.size).append('\n');
        out.append("processes:  ").append(entry.holders.isEmpty() ? "-" :
            entry.holders.stream().map(Entry.Holder::toString).collect(Collectors.joining(" "))).append('\n');
        if (null != entry.problem)
        {
            out.append("problem:    ").append(entry.problem).append('\n');
        }
        entry.state.forEach((k, v) -> out.append(String.format("%-" + Math.max(12, k.length() + 2) + "s", k + ':'))
            .append(v).append('\n'));
        for (final Map<String, Object> slot : entry.slots)
        {
            out.append("slot:       ").append(slot).append('\n');
        }
        return out.toString();
    }

    /**
     * @param entries what {@link Inventory#read} found.
     * @return a JSON array, one object per entry.
     */
    static String json(final List<Entry> entries)
    {
        return entries.stream().map(Render::json).collect(Collectors.joining(",\n  ", "[\n  ", "\n]\n"))
            .replace("[\n  \n]", "[]");
    }

    /**
     * @param entry one entry.
     * @return a JSON object with {@code kind}, {@code name}, {@code file}, {@code size}, {@code pids},
     * {@code processes}, the kind's state, {@code slots} and {@code problem} (null when none).
     */
    static String json(final Entry entry)
    {
        final StringBuilder out = new StringBuilder("{");
        field(out, "kind", entry.kind).append(',');
        field(out, "name", entry.name).append(',');
        field(out, "file", entry.file).append(',');
        field(out, "size", entry.size).append(',');
        out.append("\"pids\":").append(entry.holders.stream().map(h -> Long.toString(h.pid))
            .collect(Collectors.joining(",", "[", "]"))).append(',');
        out.append("\"processes\":").append(entry.holders.stream()
            .map(h -> "{\"pid\":" + h.pid + ",\"alive\":" + h.alive + '}')
            .collect(Collectors.joining(",", "[", "]")));
        entry.state.forEach((k, v) -> field(out.append(','), k, v));
        if (!entry.slots.isEmpty())
        {
            out.append(",\"slots\":[");
            for (int i = 0; i < entry.slots.size(); i++)
            {
                out.append(i > 0 ? "," : "").append('{');
                final int[] n = {0};
                entry.slots.get(i).forEach((k, v) -> field(out.append(n[0]++ > 0 ? "," : ""), k, v));
                out.append('}');
            }
            out.append(']');
        }
        return field(out.append(','), "problem", entry.problem).append('}').toString();
    }

    private static StringBuilder field(final StringBuilder out, final String key, final Object value)
    {
        out.append(quote(key)).append(':');
        if (value instanceof Number || value instanceof Boolean || null == value)
        {
            return out.append(value);
        }
        return out.append(quote(value.toString()));
    }

    private static String quote(final String text)
    {
        final StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if ('"' == c || '\\' == c)
            {
                out.append('\\').append(c);
            }
            else if (c < 0x20)
            {
                out.append(String.format("\\u%04x", (int)c));
            }
            else
            {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static String summary(final Entry entry)
    {
        final String state = entry.state.entrySet().stream()
            .filter(e -> !TABLE_OMITS.contains(e.getKey()) && (null != e.getValue() || "owner".equals(e.getKey())) &&
                !("changeInProgress".equals(e.getKey()) && Boolean.FALSE.equals(e.getValue())))
            .map(e -> e.getKey() + '=' + e.getValue())
            .collect(Collectors.joining(" "));
        return null == entry.problem ? state : "PROBLEM: " + entry.problem + (state.isEmpty() ? "" : " " + state);
    }

    private static String size(final long bytes)
    {
        if (bytes < 10_000)
        {
            return Long.toString(bytes);
        }
        return bytes < 10_000_000 ? bytes / 1024 + "K" : bytes / (1024 * 1024) + "M";
    }
}
