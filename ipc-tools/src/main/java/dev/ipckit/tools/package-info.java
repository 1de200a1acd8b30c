/**
 * The {@code ipckit} inspector ({@link dev.ipckit.tools.Ipckit}): lists what lives in the runtime
 * directory (queues, locks, semaphores, events, barriers, shared memory, pipes, manager servers,
 * durable queues), the processes that hold each and their state, read through mapped-read-only
 * files; and sweeps what exited processes left.
 */
package dev.ipckit.tools;
