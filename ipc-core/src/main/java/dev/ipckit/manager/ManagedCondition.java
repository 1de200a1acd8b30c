package dev.ipckit.manager;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * A condition variable with a reentrant lock of its own, held by a {@link Manager}'s server:
 * CPython's {@code Manager().Condition()}, with the method names of {@link dev.ipckit.sync.IpcCondition}.
 * Take {@link #getLock()} before {@code await} or {@code signal}, from the same thread.
 * <p>
 * <b>Note:</b> the lock belongs to the calling thread; a process whose connection drops releases it.
 */
public interface ManagedCondition extends Condition
{
    /**
     * @param timeout how long to wait.
     * @return false if {@code timeout} elapsed before a signal.
     * @throws InterruptedException if the thread is interrupted while waiting.
     */
    boolean await(Duration timeout) throws InterruptedException;

    /**
     * @return the lock this condition waits with (a proxy of it).
     */
    Lock getLock();
}
