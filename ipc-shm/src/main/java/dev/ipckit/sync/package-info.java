/**
 * Cross-process synchronisation, CPython's {@code multiprocessing.synchronize}:
 * {@link dev.ipckit.sync.IpcLock} ({@code Lock}), {@link dev.ipckit.sync.IpcRLock} ({@code RLock}),
 * {@link dev.ipckit.sync.IpcSemaphore} ({@code Semaphore}),
 * {@link dev.ipckit.sync.IpcBoundedSemaphore} ({@code BoundedSemaphore}),
 * {@link dev.ipckit.sync.IpcEvent} ({@code Event}), {@link dev.ipckit.sync.IpcCondition}
 * ({@code Condition}) and {@link dev.ipckit.sync.IpcBarrier} ({@code Barrier}).
 * <p>
 * Each is a word or a small layout in a mapped file of the runtime directory, taken by CAS and
 * stamped with the holder's process identity; each is {@code Serializable} as a handle, so a child's
 * task can capture it. They are robust: a lock or permit held by a process that died is released to
 * the next waiter, which can tell that it inherited it. Blocking calls spin, yield, then park with
 * back-off (an idle waiter burns no core), are interruptible, and have {@link java.time.Duration}
 * overloads. {@code IpcLock.embeddedIn} and {@code IpcRLock.embeddedIn} (a lock inside another
 * primitive's memory) are internal to ipckit, not API.
 * <p>
 * <b>Note:</b> every type is thread-safe and may be shared by threads of many processes; a lock is
 * held by one thread of one process, and only that thread may unlock it. A closed handle throws
 * {@link java.lang.IllegalStateException}.
 */
package dev.ipckit.sync;
