package dev.ipckit.sync;

import dev.ipckit.internal.Handle;

import java.util.function.Function;

/**
 * The kinds of {@link Handle} of this package: the locks (their word's offset as the detail), the
 * semaphores, the event, the barrier and the condition (its lock as the companion, whether it owns
 * it as the detail).
 */
enum SyncKind implements Handle.Kind
{
    /** {@link IpcLock}. */
    LOCK(handle -> new IpcLock(handle.attach(), handle.detail(), true)),
    /** {@link IpcRLock}. */
    RLOCK(handle -> new IpcRLock(handle.attach(), handle.detail(), true)),
    /** {@link IpcSemaphore}. */
    SEMAPHORE(handle -> new IpcSemaphore(handle.attach())),
    /** {@link IpcBoundedSemaphore}. */
    BOUNDED_SEMAPHORE(handle -> new IpcBoundedSemaphore(handle.attach())),
    /** {@link IpcEvent}. */
    EVENT(handle -> new IpcEvent(handle.attach())),
    /** {@link IpcBarrier}. */
    BARRIER(handle -> new IpcBarrier(handle.attach())),
    /** {@link IpcCondition}. */
    CONDITION(handle -> new IpcCondition(handle.attach(), handle.extra(MutexLock.class), 0 != handle.detail()));

    private final Function<Handle, Object> attach;

    SyncKind(final Function<Handle, Object> attach)
    {
        this.attach = attach;
    }

    @Override
    public Object resolve(final Handle handle)
    {
        return attach.apply(handle);
    }
}
