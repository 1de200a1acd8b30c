package dev.ipckit.manager;

import java.time.Duration;

/**
 * A flag that threads wait on, held by a {@link Manager}'s server: CPython's {@code Manager().Event()},
 * with the method names of {@link dev.ipckit.sync.IpcEvent}.
 * <p>
 * <b>Note:</b> {@code await} blocks only the calling thread and is interruptible.
 */
public interface ManagedEvent
{
    /**
     * Sets the flag and wakes every waiter.
     */
    void set();

    /**
     * Clears the flag.
     */
    void clear();

    /**
     * @return whether the flag is set.
     */
    boolean isSet();

    /**
     * Waits until the flag is set.
     *
     * @throws InterruptedException if the thread is interrupted while waiting.
     */
    void await() throws InterruptedException;

    /**
     * @param timeout how long to wait.
     * @return whether the flag was set within {@code timeout}.
     * @throws InterruptedException if the thread is interrupted while waiting.
     */
    boolean await(Duration timeout) throws InterruptedException;
}
