package dev.ipckit.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * Assembles the table of {@code compare.sh}: each workload as CPython {@code multiprocessing}
 * (py_mp_bench.py, py_pool_bench.py), the C floor (limits.c) and ipckit (JMH) ran it on this
 * machine in one run, with ratios oriented so that a number above 1 means ipckit is better.
 * <p>
 * {@link Workloads#Workloads.WORKLOADS} is the only mapping between the three sources; {@code compare.sh} asks it
 * which Python rows, C row groups and JMH benchmarks to run:
 * <pre>
 * CompareTable python-rows | c-groups | jmh-regex
 * CompareTable table --mode M --meta META.tsv --python PY.tsv --c C.tsv --jmh JMH.csv
 * </pre>
 * {@code python-rows} prints one {@code script row} line per Python row: the script in
 * {@code baseline/} and the row's name, which the script takes as its name prefix. The TSV files
 * hold {@code name<TAB>figure<TAB>unit} lines, as the baselines print them; the meta file holds
 * {@code key<TAB>value} lines about the machine. {@code table} exits with 1, after printing what
 * it has, if a mapped result is missing or in an unexpected unit.
 */
public final class CompareTable
{
    /**
     * Appended to a benchmark's name, with the percentile, it names one percentile of a
     * {@code SampleTime} benchmark, as JMH's CSV does ({@code Class.method:p0.50}); without it a
     * row takes the benchmark's score, its mean for {@code SampleTime}.
     */
    static final String PERCENTILE = ":p";

    static final String BENCH_PACKAGE = "dev.ipckit.bench.";
    private static final String NA = "n/a";
    private static final String MISSING = "MISSING";

    private final Set<String> problems = new LinkedHashSet<>();

    private CompareTable()
    {
    }

    /** A figure with its JMH error (NaN when there is none). */
    private record Figure(double value, double error, String unit)
    {
    }

    /**
     * @param args see the class documentation.
     * @throws IOException if a file cannot be read.
     */
    public static void main(final String[] args) throws IOException
    {
        final String command = args.length > 0 ? args[0] : "";
        final Set<String> lines = new LinkedHashSet<>();
        switch (command)
        {
            case "python-rows":
                Workloads.WORKLOADS.stream().filter(w -> null != w.pythonRow())
                    .forEach(w -> lines.add(w.pythonScript() + " " + w.pythonRow()));
                break;
            case "c-groups":
                Workloads.WORKLOADS.stream().filter(w -> null != w.cGroup()).forEach(w -> lines.add(w.cGroup()));
                break;
            case "jmh-regex":
                final StringJoiner regex = new StringJoiner("|", "^\\Q" + BENCH_PACKAGE + "\\E(", ")$");
                Workloads.WORKLOADS.stream().map(Workload::jmhBenchmark).distinct().forEach(b -> regex.add(b.replace(".", "\\.")));
                lines.add(regex.toString());
                break;
            case "table":
                System.exit(new CompareTable().table(options(args), System.out) ? 0 : 1);
                return;
            default:
                System.err.println("usage: CompareTable python-rows | c-groups | jmh-regex\n" +
                    "       CompareTable table --mode M --meta META.tsv --python PY.tsv --c C.tsv --jmh JMH.csv [--svg OUT.svg]");
                System.exit(2);
                return;
        }
        lines.forEach(System.out::println);
    }

    private static Map<String, String> options(final String[] args)
    {
        final Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i += 2)
        {
            if (!args[i].startsWith("--") || i + 1 >= args.length)
            {
                throw new IllegalArgumentException("expected --name value pairs, got: " + String.join(" ", args));
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        for (final String required : List.of("mode", "meta", "python", "c", "jmh"))
        {
            if (!options.containsKey(required))
            {
                throw new IllegalArgumentException("missing --" + required);
            }
        }
        return options;
    }

    private boolean table(final Map<String, String> options, final PrintStream out) throws IOException
    {
        final Map<String, String> meta = readMeta(Path.of(options.get("meta")));
        final Map<String, Figure> python = readTsv(Path.of(options.get("python")), "CPython");
        final Map<String, Figure> c = readTsv(Path.of(options.get("c")), "C");
        final List<Map<String, String>> jmh = readJmh(Path.of(options.get("jmh")));

        final List<CompareChart.Row> chart = new ArrayList<>();
        final List<String[]> rows = new ArrayList<>();
        rows.add(new String[] { "workload", "unit", "CPython", "C floor", "ipckit", "ipckit vs CPython", "ipckit vs C" });
        for (final Workload w : Workloads.WORKLOADS)
        {
            final Figure py = null == w.pythonRow() ? null : expect(python, w.pythonRow(), w.unit(), "CPython");
            final Figure floor = null == w.cRow() ? null : expect(c, w.cRow(), w.unit(), "C");
            final Figure ipckit = jmhFigure(jmh, w);
            rows.add(new String[] {
                w.name(), w.unit(),
                cell(w.pythonRow(), py, false), cell(w.cRow(), floor, false), cell(w.benchmark(), ipckit, true),
                ratio(w, w.pythonRow(), py, ipckit), ratio(w, w.cRow(), floor, ipckit) });
            chart.add(new CompareChart.Row(w.name(), w.unit(), new double[] {
                null == ipckit ? Double.NaN : ipckit.value(), null == py ? Double.NaN : py.value(),
                null == floor ? Double.NaN : floor.value() }));
        }
        if (options.containsKey("svg"))
        {
            CompareChart.write(chart, "ipckit vs CPython multiprocessing vs C floor, compare.sh " +
                options.get("mode") + ", " + meta.getOrDefault("date", "?"), Path.of(options.get("svg")));
        }

        out.println("ipckit vs CPython multiprocessing vs C floors: compare.sh " + options.get("mode") + ", " +
            meta.getOrDefault("date", "?"));
        out.println("machine: nproc " + meta.getOrDefault("nproc", "?") + ", CPU " + meta.getOrDefault("cpu", "?") +
            ", load average " + meta.getOrDefault("load_start", "?") + " at start, " +
            meta.getOrDefault("load_end", "?") + " at end");
        out.println("JDK " + meta.getOrDefault("jdk", "?") + "; CPython " + meta.getOrDefault("python", "?") + "; C " +
            meta.getOrDefault("cc", "?"));
        out.println();
        print(rows, out);
        out.println();
        out.println("Ratios above 1 mean ipckit is better: CPython/ipckit and C/ipckit for times, " +
            "ipckit/CPython and ipckit/C for rates.");
        out.println("ipckit: JMH score, \u00b1 its 99.9% error (absent with fewer than 2 iterations, and for a " +
            "percentile); n/a: no counterpart.");
        final List<String> floors = new ArrayList<>();
        for (final Workload w : Workloads.WORKLOADS)
        {
            if (null != w.cRow())
            {
                floors.add(w.name() + " = " + w.cRow());
            }
        }
        wrap("C floors: ", floors, out);
        for (final Workload w : Workloads.WORKLOADS)
        {
            if (null != w.note())
            {
                out.println("Note, " + w.name() + ": " + w.note() + ".");
            }
        }
        out.flush();

        for (final String problem : problems)
        {
            System.err.println("CompareTable: " + problem);
        }
        return problems.isEmpty();
    }

    private Figure expect(final Map<String, Figure> results, final String row, final String unit, final String source)
    {
        final Figure figure = results.get(row);
        if (null == figure)
        {
            problems.add(source + " row " + row + " is missing");
            return null;
        }
        if (!unit.equals(figure.unit()))
        {
            problems.add(source + " row " + row + " is in " + figure.unit() + ", expected " + unit);
            return null;
        }
        return figure;
    }

    private Figure jmhFigure(final List<Map<String, String>> jmh, final Workload w)
    {
        final String benchmark = BENCH_PACKAGE + w.benchmark();
        for (final Map<String, String> result : jmh)
        {
            if (benchmark.equals(result.get("Benchmark")) && w.params().equals(params(result)))
            {
                final String unit = result.get("Unit");
                if (!w.jmhUnit().equals(unit))
                {
                    problems.add("JMH " + w.benchmark() + " is in " + unit + ", expected " + w.jmhUnit());
                    return null;
                }
                return new Figure(number(result.get("Score")), number(result.get("Score Error (99.9%)")), w.unit());
            }
        }
        problems.add("JMH result " + w.benchmark() + (w.params().isEmpty() ? "" : " " + w.params()) + " is missing");
        return null;
    }

    /** @return the JMH parameters of a result row, {@code k=v,k=v} in key order. */
    private static String params(final Map<String, String> result)
    {
        final StringJoiner joined = new StringJoiner(",");
        new TreeMap<>(result).forEach((column, value) ->
        {
            if (column.startsWith("Param: ") && !value.isEmpty())
            {
                joined.add(column.substring("Param: ".length()) + "=" + value);
            }
        });
        return joined.toString();
    }

    private static double number(final String value)
    {
        try
        {
            return Double.parseDouble(value);
        }
        catch (final NumberFormatException | NullPointerException ex)
        {
            return Double.NaN;
        }
    }

    private static String cell(final String source, final Figure figure, final boolean withError)
    {
        if (null == source)
        {
            return NA;
        }
        if (null == figure)
        {
            return MISSING;
        }
        final String value = format(figure.value(), figure.value());
        return withError && !Double.isNaN(figure.error()) ?
            value + " \u00b1 " + format(figure.error(), figure.value()) : value;
    }

    private static String ratio(final Workload w, final String source, final Figure other, final Figure ipckit)
    {
        if (null == source)
        {
            return NA;
        }
        if (null == other || null == ipckit)
        {
            return MISSING;
        }
        final double r = w.higherIsBetter() ? ipckit.value() / other.value() : other.value() / ipckit.value();
        return String.format(Locale.ROOT, r >= 100 ? "%.0fx" : "%.2fx", r);
    }

    /** Formats {@code value} with the precision that suits {@code magnitude}. */
    private static String format(final double value, final double magnitude)
    {
        final double m = Math.abs(magnitude);
        final String pattern = m >= 1000 ? "%,.0f" : m >= 100 ? "%.1f" : m >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, pattern, value);
    }

    private static void wrap(final String lead, final List<String> items, final PrintStream out)
    {
        StringBuilder line = new StringBuilder(lead);
        for (int i = 0; i < items.size(); i++)
        {
            final String item = items.get(i) + (i + 1 < items.size() ? "," : "");
            if (line.length() > lead.length() && line.length() + 1 + item.length() > 110)
            {
                out.println(line);
                line = new StringBuilder(" ".repeat(lead.length()));
            }
            else if (line.length() > lead.length())
            {
                line.append(' ');
            }
            line.append(item);
        }
        out.println(line);
    }

    /**
     * Prints rows as a Markdown table: the first row is the header, the first two columns are
     * left-aligned text, the others right-aligned figures.
     */
    static void print(final List<String[]> rows, final PrintStream out)
    {
        final int columns = rows.get(0).length;
        final int[] width = new int[columns];
        for (final String[] row : rows)
        {
            for (int i = 0; i < columns; i++)
            {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (int r = 0; r < rows.size(); r++)
        {
            final StringBuilder line = new StringBuilder("|");
            for (int i = 0; i < columns; i++)
            {
                final String text = rows.get(r)[i];
                final String pad = " ".repeat(width[i] - text.length());
                line.append(' ').append(i < 2 ? text + pad : pad + text).append(" |");
            }
            out.println(line);
            if (0 == r)
            {
                final StringBuilder rule = new StringBuilder("|");
                for (int i = 0; i < columns; i++)
                {
                    rule.append(i < 2 ? ":" : "-").append("-".repeat(width[i])).append(i < 2 ? "-|" : ":|");
                }
                out.println(rule);
            }
        }
    }

    private static Map<String, String> readMeta(final Path file) throws IOException
    {
        final Map<String, String> meta = new LinkedHashMap<>();
        for (final String line : Files.readAllLines(file, StandardCharsets.UTF_8))
        {
            final int tab = line.indexOf('\t');
            if (tab > 0)
            {
                meta.put(line.substring(0, tab), line.substring(tab + 1).trim());
            }
        }
        return meta;
    }

    private Map<String, Figure> readTsv(final Path file, final String source) throws IOException
    {
        final Map<String, Figure> figures = new LinkedHashMap<>();
        if (!Files.exists(file))
        {
            problems.add(source + " results file " + file + " does not exist");
            return figures;
        }
        for (final String line : Files.readAllLines(file, StandardCharsets.UTF_8))
        {
            if (line.isBlank())
            {
                continue;
            }
            final String[] fields = line.split("\t");
            double value = Double.NaN;
            if (3 == fields.length)
            {
                try
                {
                    value = Double.parseDouble(fields[1]);
                }
                catch (final NumberFormatException ignore)
                {
                    // reported below
                }
            }
            if (Double.isNaN(value) || Double.isInfinite(value) || value <= 0)
            {
                problems.add(source + " printed a line that is not name<TAB>figure<TAB>unit: " + line);
                continue;
            }
            figures.putIfAbsent(fields[0], new Figure(value, Double.NaN, fields[2]));
        }
        return figures;
    }

    /** Reads JMH's {@code -rf csv} output: a header row, then one row per result, every field quoted. */
    private List<Map<String, String>> readJmh(final Path file) throws IOException
    {
        if (!Files.exists(file))
        {
            problems.add("JMH results file " + file + " does not exist");
            return List.of();
        }
        final List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        final List<Map<String, String>> results = new ArrayList<>();
        if (lines.isEmpty())
        {
            problems.add("JMH results file " + file + " is empty");
            return results;
        }
        final List<String> header = csvFields(lines.get(0));
        for (final String line : lines.subList(1, lines.size()))
        {
            final List<String> fields = csvFields(line);
            final Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < Math.min(header.size(), fields.size()); i++)
            {
                row.put(header.get(i), fields.get(i));
            }
            results.add(row);
        }
        return results;
    }

    private static List<String> csvFields(final String line)
    {
        final List<String> fields = new ArrayList<>();
        final StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++)
        {
            final char c = line.charAt(i);
            if ('"' == c)
            {
                quoted = !quoted;
            }
            else if (',' == c && !quoted)
            {
                fields.add(field.toString());
                field.setLength(0);
            }
            else
            {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }
}
