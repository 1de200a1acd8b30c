package dev.ipckit.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints the table of {@code compare.sh short}: whole short programs, each run several times by
 * ipckit (on one or more JDKs) and by CPython, timed from outside; per program and runtime the
 * median wall time, processor time (user + system, the program and all its children) and peak
 * resident memory of its largest process, and ipckit's ratios to CPython (above 1: ipckit better).
 * <pre>
 * ShortProgramTable RUNS.tsv [META.tsv [OUT.svg]]
 * </pre>
 * {@code RUNS.tsv} holds {@code program<TAB>runtime<TAB>wall s<TAB>user s<TAB>sys s<TAB>max RSS KiB}
 * lines, one per run; the runtime {@value #CPYTHON} is the baseline of each program. Exits with 1
 * if a program has no CPython runs. With {@code OUT.svg} it also draws the medians as
 * {@link CompareChart} draws the steady-state table: per program and ipckit runtime, its wall
 * time and its processor time beside CPython's.
 */
public final class ShortProgramTable
{
    static final String CPYTHON = "CPython";

    private ShortProgramTable()
    {
    }

    /** The runs of one program on one runtime. */
    private static final class Runs
    {
        final List<Double> wall = new ArrayList<>();
        final List<Double> cpu = new ArrayList<>();
        final List<Double> rssMiB = new ArrayList<>();
    }

    /**
     * @param args the runs file and, optionally, the meta file of {@link CompareTable}.
     * @throws IOException if a file cannot be read.
     */
    public static void main(final String[] args) throws IOException
    {
        if (args.length < 1)
        {
            System.err.println("usage: ShortProgramTable RUNS.tsv [META.tsv [OUT.svg]]");
            System.exit(2);
            return;
        }
        final Map<String, String> meta = new LinkedHashMap<>();
        if (args.length > 1)
        {
            for (final String line : Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8))
            {
                final int tab = line.indexOf('\t');
                if (tab > 0)
                {
                    meta.put(line.substring(0, tab), line.substring(tab + 1).trim());
                }
            }
        }
        final Map<String, Map<String, Runs>> programs = read(Path.of(args[0]));
        final boolean complete = print(programs, meta, System.out);
        if (args.length > 2)
        {
            CompareChart.write(chartRows(programs), "ipckit vs CPython, short programs (whole, per program): " +
                meta.getOrDefault("date", "?"), Path.of(args[2]));
        }
        System.exit(complete ? 0 : 1);
    }

    private static List<CompareChart.Row> chartRows(final Map<String, Map<String, Runs>> programs)
    {
        final List<CompareChart.Row> rows = new ArrayList<>();
        for (final Map.Entry<String, Map<String, Runs>> program : programs.entrySet())
        {
            final Runs python = program.getValue().get(CPYTHON);
            for (final Map.Entry<String, Runs> runtime : program.getValue().entrySet())
            {
                if (CPYTHON.equals(runtime.getKey()))
                {
                    continue;
                }
                final String name = program.getKey() + ", " + runtime.getKey();
                final Runs runs = runtime.getValue();
                rows.add(new CompareChart.Row(name + ", wall", "s/program", new double[] {
                    median(runs.wall), null == python ? Double.NaN : median(python.wall), Double.NaN }));
                rows.add(new CompareChart.Row(name + ", CPU", "s/program", new double[] {
                    median(runs.cpu), null == python ? Double.NaN : median(python.cpu), Double.NaN }));
            }
        }
        return rows;
    }

    private static Map<String, Map<String, Runs>> read(final Path file) throws IOException
    {
        final Map<String, Map<String, Runs>> programs = new LinkedHashMap<>();
        for (final String line : Files.readAllLines(file, StandardCharsets.UTF_8))
        {
            final String[] f = line.split("\t");
            if (6 != f.length)
            {
                continue;
            }
            final Runs runs = programs.computeIfAbsent(f[0], p -> new LinkedHashMap<>())
                .computeIfAbsent(f[1], r -> new Runs());
            runs.wall.add(Double.parseDouble(f[2]));
            runs.cpu.add(Double.parseDouble(f[3]) + Double.parseDouble(f[4]));
            runs.rssMiB.add(Double.parseDouble(f[5]) / 1024);
        }
        return programs;
    }

    private static boolean print(
        final Map<String, Map<String, Runs>> programs, final Map<String, String> meta, final PrintStream out)
    {
        boolean complete = true;
        final List<String[]> rows = new ArrayList<>();
        rows.add(new String[] { "program", "runtime", "runs", "wall s", "CPU s", "peak RSS MiB",
            "wall vs CPython", "CPU vs CPython", "RSS vs CPython" });
        for (final Map.Entry<String, Map<String, Runs>> program : programs.entrySet())
        {
            final Runs python = program.getValue().get(CPYTHON);
            if (null == python)
            {
                System.err.println("ShortProgramTable: no CPython runs of " + program.getKey());
                complete = false;
            }
            for (final Map.Entry<String, Runs> runtime : program.getValue().entrySet())
            {
                final Runs runs = runtime.getValue();
                final boolean baseline = CPYTHON.equals(runtime.getKey());
                rows.add(new String[] {
                    program.getKey(), runtime.getKey(), Integer.toString(runs.wall.size()),
                    format(median(runs.wall)), format(median(runs.cpu)), format(median(runs.rssMiB)),
                    baseline || null == python ? "" : ratio(python.wall, runs.wall),
                    baseline || null == python ? "" : ratio(python.cpu, runs.cpu),
                    baseline || null == python ? "" : ratio(python.rssMiB, runs.rssMiB) });
            }
        }
        out.println("Short programs, whole and timed from outside (/usr/bin/time or getrusage): " +
            meta.getOrDefault("date", "?") + ", nproc " + meta.getOrDefault("nproc", "?") + ", load average " +
            meta.getOrDefault("load_start", "?") + " at start, " + meta.getOrDefault("load_end", "?") + " at end");
        out.println();
        CompareTable.print(rows, out);
        out.println();
        out.println("Medians of the runs. CPU: user + system of the program and all its children; peak RSS: the " +
            "largest single process. Ratios are CPython/ipckit: above 1 means ipckit is better.");
        out.println("Each program ran once untimed first, so that caches made on first use (ipckit's class-data " +
            "archive, CPython's bytecode) are there, as for a program run a second time.");
        return complete;
    }

    private static double median(final List<Double> values)
    {
        final List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        final int n = sorted.size();
        return 0 == n ? Double.NaN : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String ratio(final List<Double> python, final List<Double> ipckit)
    {
        return String.format(Locale.ROOT, "%.2fx", median(python) / median(ipckit));
    }

    private static String format(final double value)
    {
        return String.format(Locale.ROOT, value >= 100 ? "%.0f" : value >= 10 ? "%.1f" : "%.2f", value);
    }
}
