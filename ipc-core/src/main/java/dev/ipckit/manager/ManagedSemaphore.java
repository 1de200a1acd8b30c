package dev.ipckit.manager;

import java.time.Duration;

/**
 * A counting semaphore held by a {@link Manager}'s server: CPython's {@code Manager().Semaphore(n)},
 * with the method names of {@link dev.ipckit.sync.IpcSemaphore}.
 * <p>
 * <b>Note:</b> permits are not owned: any thread or process may release them.
 */
public interface ManagedSemaphore
{
    /**
     * Takes a permit, waiting for one.
     *
     * @throws InterruptedException if the thread is interrupted while waiting.
     */
    void acquire() throws InterruptedException;

    /**
     * @return whether a permit was taken without waiting.
     */
    boolean tryAcquire();

    /**
     * @param timeout how long to wait.
     * @return whether a permit was taken within {@code timeout}.
     * @throws InterruptedException if the thread is interrupted while waiting.
     */
    boolean tryAcquire(Duration timeout) throws InterruptedException;

    /**
     * Returns a permit.
     */
    void release();

    /**
     * @return the permits free now.
     */
    int availablePermits();
}
