package dev.ipckit.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Draws the comparison as an SVG: one group of bars per workload (ipckit, CPython, C floor), each bar
 * the time of one operation on a shared logarithmic axis (a rate is drawn as its inverse, so shorter
 * is better everywhere), labelled with the figure as measured. Written by hand: an SVG needs no
 * chart library.
 * <p>
 * <b>Note:</b> stateless.
 */
final class CompareChart
{
    private static final String[] SOURCES = { "ipckit", "CPython", "C floor" };
    private static final String[] COLOURS = { "#1f77b4", "#ff7f0e", "#7f7f7f" };
    private static final int LEFT = 230;
    private static final int WIDTH = 900;
    private static final int BAR = 12;
    private static final int GROUP = 3 * BAR + 14;
    private static final int TOP = 50;

    /**
     * One workload's figures in its own unit; NaN where there is none.
     *
     * @param name   the workload.
     * @param unit   its unit, {@code "<time>/<op>"} or {@code "<op>/s"}.
     * @param values ipckit, CPython and C floor.
     */
    record Row(String name, String unit, double[] values)
    {
    }

    private CompareChart()
    {
    }

    /**
     * @param rows  the workloads, in table order.
     * @param title the chart's title.
     * @param file  where to write the SVG.
     * @throws IOException if it cannot be written.
     */
    static void write(final List<Row> rows, final String title, final Path file) throws IOException
    {
        double min = Double.MAX_VALUE;
        double max = Double.MIN_VALUE;
        for (final Row row : rows)
        {
            for (final double value : row.values())
            {
                final double micros = micros(value, row.unit());
                if (micros > 0 && Double.isFinite(micros))
                {
                    min = Math.min(min, micros);
                    max = Math.max(max, micros);
                }
            }
        }
        if (min > max)
        {
            min = 1;
            max = 10;
        }
        final int low = (int)Math.floor(Math.log10(min));
        final int high = (int)Math.ceil(Math.log10(max)) + 1;
        final double plot = WIDTH - LEFT - 20;
        final int height = TOP + rows.size() * GROUP + 40;
        final StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" " +
            "font-family=\"sans-serif\" font-size=\"11\">%n", WIDTH, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, height));
        svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"18\" font-size=\"14\">%s</text>%n", escape(title)));
        svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"34\">time per operation, log scale " +
            "(rates drawn as 1/rate); shorter is better; labels: the figure as measured</text>%n"));
        for (int i = 0; i < SOURCES.length; i++)
        {
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"8\" width=\"10\" height=\"10\" fill=\"%s\"/>" +
                "<text x=\"%d\" y=\"17\">%s</text>%n", WIDTH - 260 + i * 85, COLOURS[i], WIDTH - 246 + i * 85, SOURCES[i]));
        }
        for (int decade = low; decade <= high; decade++)
        {
            final double x = LEFT + plot * (decade - low) / (high - low);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>" +
                "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                x, TOP - 6, x, height - 30, x, height - 16, decadeLabel(decade)));
        }
        for (int r = 0; r < rows.size(); r++)
        {
            final Row row = rows.get(r);
            final int y = TOP + r * GROUP;
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                LEFT - 6, y + BAR * 2, escape(row.name())));
            for (int i = 0; i < SOURCES.length; i++)
            {
                final double micros = micros(row.values()[i], row.unit());
                if (!(micros > 0) || !Double.isFinite(micros))
                {
                    continue;
                }
                final double w = Math.max(1, plot * (Math.log10(micros) - low) / (high - low));
                svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">" +
                    "<title>%s %s: %s %s</title></rect><text x=\"%.1f\" y=\"%d\" font-size=\"9\">%s %s</text>%n",
                    LEFT, y + i * BAR, w, BAR - 2, COLOURS[i], SOURCES[i], escape(row.name()),
                    figure(row.values()[i]), escape(row.unit()), LEFT + w + 3, y + i * BAR + 9,
                    figure(row.values()[i]), escape(row.unit())));
            }
        }
        svg.append("</svg>\n");
        Files.writeString(file, svg, StandardCharsets.UTF_8);
    }

    /** @return the time of one operation in microseconds, NaN if the unit is not a time or a rate. */
    static double micros(final double value, final String unit)
    {
        final int slash = unit.indexOf('/');
        if (slash < 0 || !(value > 0))
        {
            return Double.NaN;
        }
        final String top = unit.substring(0, slash);
        if ("s".equals(unit.substring(slash + 1)))
        {
            return 1e6 / value;
        }
        return switch (top)
        {
            case "ns" -> value / 1e3;
            case "us" -> value;
            case "ms" -> value * 1e3;
            case "s" -> value * 1e6;
            default -> Double.NaN;
        };
    }

    private static String decadeLabel(final int decade)
    {
        final String[] units = { "ns", "µs", "ms", "s" };
        final int step = Math.floorDiv(decade + 3, 3);
        final int index = Math.max(0, Math.min(units.length - 1, step));
        final double scaled = Math.pow(10, decade - 3 * (index - 1));
        return String.format(Locale.ROOT, "%.0f %s", scaled, units[index]);
    }

    private static String figure(final double value)
    {
        if (value >= 100)
        {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, value >= 1 ? "%.1f" : "%.3g", value);
    }

    private static String escape(final String text)
    {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
