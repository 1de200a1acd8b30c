/**
 * JMH benchmarks of ipckit's pipes, queues, shared values, locks, processes and pools, the same
 * workloads as the CPython {@code multiprocessing} scripts they are compared with, and
 * {@link dev.ipckit.bench.CompareTable}, which prints both side by side.
 * <p>
 * <b>Note:</b> benchmarks, not API; run them through {@code compare.sh} or JMH's runner.
 */
package dev.ipckit.bench;
