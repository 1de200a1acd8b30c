package dev.ipckit.sync;

import dev.ipckit.internal.SharedRegion;

/**
 * A reentrant lock shared by processes: Python's {@code multiprocessing.RLock}. The thread that
 * holds it may lock it again, and must unlock it as many times. Otherwise as {@link IpcLock}: it
 * survives the death of the process that holds it ({@link #acquiredFromDeadOwner()}).
 * <p>
 * <b>Note:</b> thread-safe; see {@link IpcLock}.
 */
public final class IpcRLock extends MutexLock
{
    private static final long serialVersionUID = 1L;
    static final String KIND = SyncDescriptor.RLOCK_KIND;

    IpcRLock(final SharedRegion region, final int offset, final boolean ownsRegion)
    {
        super(region, offset, ownsRegion, true, "IpcRLock");
    }

    /**
     * @return a new, unlocked reentrant lock.
     * @throws dev.ipckit.IpcException if its shared memory cannot be created.
     */
    public static IpcRLock create()
    {
        return new IpcRLock(SharedRegion.create(KIND, SyncDescriptor.LOCK_LENGTH), 0, true);
    }

    /**
     * A lock that lives inside another primitive's shared memory, such as the lock of a shared
     * value; closing it does not detach that memory. <b>Internal:</b> for ipckit's own primitives, not
     * public API ({@link SharedRegion} is in {@code dev.ipckit.internal}); it may change in any release.
     *
     * @param region the primitive's region.
     * @param offset of the lock's 8-byte word in the payload.
     * @return the lock.
     */
    public static IpcRLock embeddedIn(final SharedRegion region, final int offset)
    {
        return new IpcRLock(region, offset, false);
    }
}
