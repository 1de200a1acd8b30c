package dev.ipckit.examples;

import dev.ipckit.process.IpcProcess;

import java.util.ArrayList;
import java.util.List;

/**
 * Five processes, each printing its pid and its argument: five lines
 * {@code worker_func [进程号:<pid>] ---> <num>} (0 to 4, five pids, in an order that varies).
 */
public final class ProcessPids
{
    private ProcessPids()
    {
    }

    /**
     * @param args ignored.
     * @throws Exception if a wait is interrupted.
     */
    public static void main(final String[] args) throws Exception
    {
        final List<IpcProcess> pidList = new ArrayList<>();
        for (int i = 0; i < 5; i++)
        {
            final int num = i;
            pidList.add(IpcProcess.builder().target(() -> workerFunc(num)).start());
        }
        for (final IpcProcess pid : pidList)
        {
            pid.join();
        }
    }

    private static void workerFunc(final int num)
    {
        System.out.println("worker_func [进程号:" + ProcessHandle.current().pid() + "] ---> " + num);
    }
}
