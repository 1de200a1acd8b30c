package dev.ipckit.examples;

import dev.ipckit.process.IpcProcess;
import dev.ipckit.sync.IpcLock;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Five threads, then five processes, each printing its pid under a lock (a thread lock for the
 * threads, an {@link IpcLock} for the processes): prints {@code Main: <pid>}, five lines
 * {@code thread <pid>} with the main pid, then five lines {@code process <pid>} with five other
 * pids.
 */
public final class ThreadsVsProcesses
{
    private ThreadsVsProcesses()
    {
    }

    /**
     * @param args ignored.
     * @throws Exception if a wait is interrupted.
     */
    public static void main(final String[] args) throws Exception
    {
        System.out.println("Main: " + ProcessHandle.current().pid());

        final List<Thread> threads = new ArrayList<>();
        final Lock threadingLock = new ReentrantLock();
        for (int i = 0; i < 5; i++)
        {
            final Thread thread = new Thread(() -> worker("thread", threadingLock));
            thread.start();
            threads.add(thread);
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }

        final List<IpcProcess> processes = new ArrayList<>();
        try (IpcLock processLock = IpcLock.create())
        {
            for (int i = 0; i < 5; i++)
            {
                processes.add(IpcProcess.start(() -> worker("process", processLock)));
            }
            for (final IpcProcess process : processes)
            {
                process.join();
            }
        }
    }

    private static void worker(final String sign, final Lock tLock)
    {
        tLock.lock();
        try
        {
            System.out.println(sign + " " + ProcessHandle.current().pid());
        }
        finally
        {
            tLock.unlock();
        }
    }
}
