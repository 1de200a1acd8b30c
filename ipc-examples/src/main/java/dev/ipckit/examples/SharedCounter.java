package dev.ipckit.examples;

import dev.ipckit.process.IpcProcess;
import dev.ipckit.shm.SharedInt;
import dev.ipckit.sync.IpcRLock;

import java.util.ArrayList;
import java.util.List;

/**
 * A hundred children each take one from a shared counter that starts at a hundred, under the
 * counter's own lock; the parent waits for them all and prints what is left.
 */
public final class SharedCounter
{
    private static final int CHILDREN = 100;

    private SharedCounter()
    {
    }

    /**
     * @param args ignored.
     * @throws Exception if a wait is interrupted.
     */
    public static void main(final String[] args) throws Exception
    {
        try (SharedInt counter = SharedInt.create(CHILDREN))
        {
            final List<IpcProcess> children = new ArrayList<>();
            for (int i = 0; i < CHILDREN; i++)
            {
                children.add(IpcProcess.start(() -> decrement(counter)));
            }
            for (final IpcProcess child : children)
            {
                child.join();
            }
            System.out.println(counter.get());
        }
    }

    private static void decrement(final SharedInt counter)
    {
        final IpcRLock lock = counter.getLock();
        lock.lock();
        try
        {
            counter.set(counter.get() - 1);
        }
        finally
        {
            lock.unlock();
        }
    }
}
