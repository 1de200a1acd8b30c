/**
 * Child JVM processes and pools of them, CPython's {@code multiprocessing.process} and
 * {@code multiprocessing.pool}: {@link dev.ipckit.process.IpcProcess} ({@code Process}: start, join,
 * terminate, kill, exit code, {@code current_process().name}), {@link dev.ipckit.process.Task} (a
 * process's {@code target}), {@link dev.ipckit.process.ProcessPool} ({@code Pool}: {@code apply},
 * {@code apply_async}, {@code map}, {@code imap}, {@code imap_unordered}, {@code starmap},
 * {@code close}, {@code terminate}, {@code join}), {@link dev.ipckit.process.AsyncResult} and
 * {@link dev.ipckit.process.ResultIterator}, the serializable functional interfaces tasks are
 * written as, the exceptions a failed or dead child turns into, {@link dev.ipckit.process.ChildJvmFlags}
 * (flags a library needs in every child) and {@link dev.ipckit.process.ProcessConfiguration} (the
 * child's {@code java}, JVM arguments, spare JVMs, class-data sharing).
 * <p>
 * A child is a new JVM (CPython's {@code spawn} start method) with this JVM's {@code java}, class
 * path, module path and the flags ipckit needs; it receives its task serialised, so whatever the
 * task captures (pipe ends, queues, shared values, locks) attaches there. Daemon children die with
 * their parent; a parent does not exit before its non-daemon children have. A worker that dies
 * inside a pool fails the results it held and is replaced; the pool never hangs.
 * <p>
 * Layering inside the package: process launching ({@code IpcProcess} and the classes that start a
 * child, keep spare JVMs and class-data-sharing archives, and run the child's {@code main}) sits
 * below the pool and never names it, as CPython keeps {@code spawn} below {@code pool.py}; the
 * pool is a facade over its scheduler, worker handles and result collection, and registers what
 * its workers need from launching (their warm-up) when it is built.
 * <p>
 * <b>Note:</b> {@code IpcProcess}, {@code ProcessPool} and {@code AsyncResult} are thread-safe.
 */
package dev.ipckit.process;
