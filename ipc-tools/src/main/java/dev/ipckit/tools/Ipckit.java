package dev.ipckit.tools;

import dev.ipckit.Configuration;
import dev.ipckit.RuntimeDirectory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code ipckit} inspector: {@code java -jar ipckit.jar [options] <command>}.
 * <pre>
 *   ls                 every object in the runtime directory: kind, name, size, processes, state
 *   stat NAME          one object (its id, kind@id, a unique prefix of its id, a durable queue's
 *                      directory or a manager's socket), every field
 *   watch              ls again every --interval (default 1s) until Ctrl-C, or --count times
 *   sweep              remove what exited processes left, and list it
 *   --json             JSON instead of text (ls: an array, stat: one object)
 *   --dir DIR          the runtime directory (default: -Dipckit.dir, else ipckit's default)
 * </pre>
 * {@code ls}, {@code stat} and {@code watch} only read: files are mapped read-only and nothing is
 * created or removed.
 * <p>
 * <b>Note:</b> {@link #run} is not thread-safe ({@code --dir} sets a system property).
 */
public final class Ipckit
{
    private static final String USAGE =
        "usage: ipckit [--json] [--dir DIR] ls | stat NAME | watch [--interval 1s] [--count N] | sweep";

    private Ipckit()
    {
    }

    /**
     * Runs a command and exits with its status.
     *
     * @param args the command line.
     * @throws InterruptedException if {@code watch} is interrupted.
     */
    public static void main(final String[] args) throws InterruptedException
    {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs a command.
     *
     * @param args the command line.
     * @param out  where results go.
     * @param err  where errors go.
     * @return 0 on success, 1 if the object asked for is not there or the directory unreadable, 2 on
     * a usage error.
     * @throws InterruptedException if {@code watch} is interrupted.
     */
    public static int run(final String[] args, final PrintStream out, final PrintStream err)
        throws InterruptedException
    {
        boolean json = false;
        Duration interval = Duration.ofSeconds(1);
        long count = Long.MAX_VALUE;
        final List<String> words = new ArrayList<>();
        try
        {
            for (int i = 0; i < args.length; i++)
            {
                switch (args[i])
                {
                    case "--json" -> json = true;
                    case "--dir" -> System.setProperty(Configuration.DIR_PROP_NAME, args[++i]);
                    case "--interval" -> interval = duration(args[++i]);
                    case "--count" -> count = Long.parseLong(args[++i]);
                    default -> words.add(args[i]);
                }
            }
        }
        catch (final ArrayIndexOutOfBoundsException | IllegalArgumentException ex)
        {
            err.println(USAGE);
            return 2;
        }
        final String command = words.isEmpty() ? "ls" : words.get(0);
        final Path dir = Configuration.dir();
        try
        {
            switch (command)
            {
                case "ls" ->
                {
                    final List<Entry> entries = Inventory.read(dir);
                    out.print(json ? Render.json(entries) : Render.table(entries));
                    return 0;
                }
                case "stat" ->
                {
                    return words.size() == 2 ? stat(dir, words.get(1), json, out, err) : usage(err);
                }
                case "watch" ->
                {
                    watch(dir, interval, count, json, out);
                    return 0;
                }
                case "sweep" ->
                {
                    sweep(out);
                    return 0;
                }
                default ->
                {
                    return usage(err);
                }
            }
        }
        catch (final IOException ex)
        {
            err.println("ipckit: cannot read runtime directory " + dir + ": " + ex);
            return 1;
        }
    }

    private static int stat(
        final Path dir, final String name, final boolean json, final PrintStream out, final PrintStream err)
        throws IOException
    {
        final List<Entry> matches = new ArrayList<>();
        for (final Entry entry : Inventory.read(dir))
        {
            if (entry.name.equals(name) || entry.file.equals(name) || name.equals(entry.state.get("directory")) ||
                name.equals(entry.state.get("address")))
            {
                matches.clear();
                matches.add(entry);
                break;
            }
            if (entry.name.startsWith(name))
            {
                matches.add(entry);
            }
        }
        if (matches.size() != 1)
        {
            err.println("ipckit: " + (matches.isEmpty() ? "no object named " : "more than one object starts with ") +
                name + " in " + dir);
            return 1;
        }
        out.print(json ? Render.json(matches.get(0)) + '\n' : Render.detail(matches.get(0)));
        return 0;
    }

    private static void watch(
        final Path dir, final Duration interval, final long count, final boolean json, final PrintStream out)
        throws IOException, InterruptedException
    {
        for (long i = 0; i < count; i++)
        {
            if (i > 0)
            {
                Thread.sleep(interval.toMillis());
            }
            final List<Entry> entries = Inventory.read(dir);
            if (json)
            {
                out.print(Render.json(entries));
            }
            else
            {
                out.print("\033[H\033[2J" + dir + "  " + Instant.now() + "  every " + interval.toMillis() + " ms\n\n" +
                    Render.table(entries));
            }
            out.flush();
        }
    }

    private static void sweep(final PrintStream out)
    {
        RuntimeDirectory.skipSweepAtStart();
        final List<Path> removed = RuntimeDirectory.sweep();
        out.println(removed.isEmpty() ? "nothing to remove in " + Configuration.dir() :
            "removed " + removed.size() + " entries left by exited processes:");
        removed.forEach(path -> out.println("  " + path.getFileName()));
    }

    private static Duration duration(final String text)
    {
        if (text.endsWith("ms"))
        {
            return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
        }
        return Duration.ofMillis((long)(Double.parseDouble(text.endsWith("s") ?
            text.substring(0, text.length() - 1) : text) * 1000));
    }

    private static int usage(final PrintStream err)
    {
        err.println(USAGE);
        return 2;
    }
}
