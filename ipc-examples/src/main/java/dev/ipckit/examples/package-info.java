/**
 * One runnable program per classic demo of CPython's {@code multiprocessing} documentation
 * (producer/consumer queues, pipes, shared values and arrays, locks, events, pools), each a
 * {@code main} that {@link dev.ipckit.examples.Demos} dispatches to by name from the runnable jar.
 * <p>
 * <b>Note:</b> programs, not API: each demo is run as its own JVM.
 */
package dev.ipckit.examples;
