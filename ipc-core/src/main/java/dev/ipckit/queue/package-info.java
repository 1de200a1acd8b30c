/**
 * Queues between processes, CPython's {@code multiprocessing.queues}:
 * {@link dev.ipckit.queue.IpcQueue} ({@code Queue(maxsize)}: {@code put}, {@code get},
 * {@code put_nowait}, {@code get_nowait}, {@code qsize}, {@code empty}, {@code full}, {@code close}),
 * {@link dev.ipckit.queue.JoinableQueue} ({@code task_done}, {@code join}; the count alone is
 * {@link dev.ipckit.queue.JoinableTasks}),
 * {@link dev.ipckit.queue.SimpleQueue}, and {@link dev.ipckit.queue.QueueFullException} and
 * {@link dev.ipckit.queue.QueueEmptyException} ({@code queue.Full}, {@code queue.Empty}).
 * <p>
 * A queue is a mapped file in the runtime directory holding a header and an Agrona ring buffer of
 * encoded elements; it is {@code Serializable} as a handle, so a child's task can capture it. Any
 * {@code Serializable} element works, {@code null} included (the classic poison pill). A producer or
 * consumer killed in the middle of a call does not block the others.
 * <p>
 * <b>Note:</b> every queue is thread-safe and may be shared by threads of many processes; blocking
 * calls are interruptible and have {@link java.time.Duration} overloads.
 */
package dev.ipckit.queue;
