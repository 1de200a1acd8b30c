package dev.ipckit.cluster;

import com.hazelcast.map.IMap;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * A lock of the cluster on Hazelcast's {@code IMap.lock(key)}: owned by a thread of a member or
 * client, reentrant, and released by the cluster when its owner's member or client leaves or dies.
 * <p>
 * <b>Note:</b> thread-safe; {@link #unlock()} must come from the thread that locked.
 */
final class ClusterLock implements Lock
{
    private static final long WAIT_SLICE_SECONDS = 60;

    private final String name;
    private final IMap<String, Boolean> locks;

    ClusterLock(final String name, final IMap<String, Boolean> locks)
    {
        this.name = name;
        this.locks = locks;
    }

    @Override
    public void lock()
    {
        locks.lock(name);
    }

    @Override
    public void lockInterruptibly() throws InterruptedException
    {
        while (!locks.tryLock(name, WAIT_SLICE_SECONDS, TimeUnit.SECONDS))
        {
            if (Thread.interrupted())
            {
                throw new InterruptedException("interrupted while waiting for cluster lock " + name);
            }
        }
    }

    @Override
    public boolean tryLock()
    {
        return locks.tryLock(name);
    }

    @Override
    public boolean tryLock(final long time, final TimeUnit unit) throws InterruptedException
    {
        return locks.tryLock(name, time, unit);
    }

    /**
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock.
     */
    @Override
    public void unlock()
    {
        locks.unlock(name);
    }

    /**
     * @throws UnsupportedOperationException always: the cluster has no conditions without the CP subsystem.
     */
    @Override
    public Condition newCondition()
    {
        throw new UnsupportedOperationException("cluster locks have no conditions (Hazelcast's CP subsystem is " +
            "Enterprise-only); use a cluster queue to signal");
    }

    @Override
    public String toString()
    {
        return "ClusterLock{name=" + name + ", locked=" + locks.isLocked(name) + '}';
    }
}
