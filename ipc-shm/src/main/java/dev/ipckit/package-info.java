/**
 * What every ipckit layer shares: {@link dev.ipckit.IpcException}, the root of every exception
 * ipckit throws (all unchecked); {@link dev.ipckit.Configuration}, the runtime directory's property
 * ({@code ipckit.dir}); and {@link dev.ipckit.RuntimeDirectory}, the per-user directory
 * ({@code /dev/shm/ipckit-<user>}, {@code rwx------}) that holds every socket and mapped file, with
 * CPython's resource tracker's job: what an unnamed resource leaves behind is removed when the
 * process that created it exits, and what a killed process left is swept by the next one.
 * <p>
 * Of {@code RuntimeDirectory}, {@link dev.ipckit.RuntimeDirectory#path()} and
 * {@link dev.ipckit.RuntimeDirectory#sweep()} are for users; its other public methods (names,
 * claims, holds, permissions) are the plumbing the other ipckit modules build resources with, not
 * API, and may change between releases.
 * <p>
 * <b>Note:</b> everything here is thread-safe, and safe to use from several processes at once.
 */
package dev.ipckit;
