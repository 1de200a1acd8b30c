package dev.ipckit.examples;

import dev.ipckit.process.IpcProcess;
import dev.ipckit.sync.IpcLock;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Lock;

/**
 * The lock example of Python's {@code multiprocessing} documentation: ten children print one line
 * each while holding a shared lock, so that no two lines mix.
 */
public final class LockPrint
{
    private LockPrint()
    {
    }

    /**
     * @param args ignored.
     * @throws Exception if a wait is interrupted.
     */
    public static void main(final String[] args) throws Exception
    {
        try (IpcLock lock = IpcLock.create())
        {
            final List<IpcProcess> children = new ArrayList<>();
            for (int num = 0; num < 10; num++)
            {
                final int i = num;
                children.add(IpcProcess.start(() -> f(lock, i)));
            }
            for (final IpcProcess child : children)
            {
                child.join();
            }
        }
    }

    private static void f(final Lock l, final int i)
    {
        l.lock();
        try
        {
            System.out.println("hello world " + i);
        }
        finally
        {
            l.unlock();
        }
    }
}
