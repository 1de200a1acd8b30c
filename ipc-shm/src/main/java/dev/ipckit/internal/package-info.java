/**
 * ipckit's internals, shared by its modules and <b>not public API</b>: they may change or go away in
 * any release, and nothing outside ipckit should use them. They are public only because Java has no
 * visibility between "package" and "everyone" across jars ({@code dev.ipckit.shm} and
 * {@code dev.ipckit.core} are automatic modules, which export every package).
 * <p>
 * Here are: the mapped-file region every shared layout lives in ({@link dev.ipckit.internal.SharedRegion},
 * {@link dev.ipckit.internal.MappedFiles}), the process identity a lock or slot is stamped with and
 * the test for a dead holder ({@link dev.ipckit.internal.ProcessIdentity}), the spin-yield-park
 * back-off and the one waiting loop ({@link dev.ipckit.internal.Waiter}; on a Java monitor,
 * {@link dev.ipckit.internal.Monitors}), a handle's closed state ({@link dev.ipckit.internal.CloseOnce}),
 * the exit hooks that close and remove resources
 * ({@link dev.ipckit.internal.ExitHooks}), the check that Agrona may reach
 * {@code jdk.internal.misc} ({@link dev.ipckit.internal.AgronaAccess}), and the parsing of the
 * layers' configuration properties ({@link dev.ipckit.internal.PropertyValues}).
 * <p>
 * <b>Note:</b> each class states its own threading contract.
 */
package dev.ipckit.internal;
