package dev.ipckit.bench;

/**
 * One row of the table and where its figures come from.
 *
 * @param name           the workload, as py_mp_bench.py names it where it has a row there.
 * @param unit           the unit of every figure in the row.
 * @param higherIsBetter true for throughput, false for latency.
 * @param pythonRow      the CPython row, or null.
 * @param pythonScript   the script in {@code baseline/} that prints {@code pythonRow}, or null.
 * @param cGroup         the argument that makes limits.c run {@code cRow}, or null.
 * @param cRow           the limits.c row, or null.
 * @param benchmark      the JMH benchmark, {@code Class.method} in {@value CompareTable#BENCH_PACKAGE}, or
 *                       {@code Class.method:p0.50} for a percentile of a {@code SampleTime} one.
 * @param params         its JMH parameters, {@code k=v,k=v} in key order, or empty.
 * @param note           what a reader must know to compare the row's figures, or null.
 */
record Workload(
    String name,
    String unit,
    boolean higherIsBetter,
    String pythonRow,
    String pythonScript,
    String cGroup,
    String cRow,
    String benchmark,
    String params,
    String note)
{
    /**
     * @param text what a reader must know to compare the row's figures.
     * @return this workload with that note, printed under the table.
     */
    Workload withNote(final String text)
    {
        return new Workload(
            name, unit, higherIsBetter, pythonRow, pythonScript, cGroup, cRow, benchmark, params, text);
    }

    /**
     * @param script the script in {@code baseline/} that prints this workload's CPython row.
     * @return this workload with its CPython row taken from that script.
     */
    Workload withPythonScript(final String script)
    {
        return new Workload(name, unit, higherIsBetter, pythonRow, script, cGroup, cRow, benchmark, params, note);
    }

    /**
     * @return the JMH benchmark to run, {@code Class.method}: {@link #benchmark} less a
     * {@value CompareTable#PERCENTILE} suffix.
     */
    String jmhBenchmark()
    {
        final int at = benchmark.indexOf(CompareTable.PERCENTILE);
        return at < 0 ? benchmark : benchmark.substring(0, at);
    }

    /**
     * @return the unit JMH reports for this workload's benchmark.
     */
    String jmhUnit()
    {
        return higherIsBetter ? "ops/s" : unit.substring(0, unit.indexOf('/')) + "/op";
    }
}
