package dev.ipckit.sync;

import dev.ipckit.internal.SharedRegion;

/**
 * A lock shared by processes: Python's {@code multiprocessing.Lock}, as a
 * {@link java.util.concurrent.locks.Lock}. Not reentrant: a thread that holds it and locks it
 * again waits for ever, as in CPython.
 * <pre>{@code
 * IpcLock lock = IpcLock.create();
 * IpcProcess.start(() -> { lock.lock(); try { ... } finally { lock.unlock(); } });
 * }</pre>
 * It is one 8-byte word of shared memory, beside a table of the threads waiting for it (which
 * the inspector shows; only a thread that waits writes there); it travels to other processes (in a task lambda) as a
 * handle. If the process that holds it dies, even by SIGKILL, a waiter takes it over within about
 * 10 ms and {@link #acquiredFromDeadOwner()} tells it so. An uncontended lock and unlock is two
 * CAS-class operations; a waiter spins, yields, then parks with back-off up to 1 ms.
 * <p>
 * <b>Note:</b> thread-safe; the lock is held by one thread of one process at a time, and only that
 * thread may unlock it ({@link IllegalMonitorStateException} otherwise). Using a closed handle
 * throws {@link IllegalStateException}.
 */
public final class IpcLock extends MutexLock
{
    private static final long serialVersionUID = 1L;
    static final String KIND = SyncDescriptor.LOCK_KIND;

    IpcLock(final SharedRegion region, final int offset, final boolean ownsRegion)
    {
        super(region, offset, ownsRegion, false, "IpcLock");
    }

    /**
     * @return a new, unlocked lock.
     * @throws dev.ipckit.IpcException if its shared memory cannot be created.
     */
    public static IpcLock create()
    {
        return new IpcLock(SharedRegion.create(KIND, SyncDescriptor.LOCK_LENGTH), 0, true);
    }

    /**
     * A lock that lives inside another primitive's shared memory, such as a queue's consumer
     * lock; closing it does not detach that memory. <b>Internal:</b> for ipckit's own primitives, not
     * public API ({@link SharedRegion} is in {@code dev.ipckit.internal}); it may change in any release.
     *
     * @param region the primitive's region.
     * @param offset of the lock's 8-byte word in the payload.
     * @return the lock.
     */
    public static IpcLock embeddedIn(final SharedRegion region, final int offset)
    {
        return new IpcLock(region, offset, false);
    }
}
