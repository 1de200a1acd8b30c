package dev.ipckit.examples;

import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.Task;

import java.util.ArrayList;
import java.util.List;

/**
 * Python's {@code class Worker(Process)} with its own {@code run()}: in Java the process class is
 * not subclassed, the {@code run()} is a {@link Task} class, {@code Worker}, and each child is
 * named {@code Worker-<n>} as CPython names an instance of a subclass. Prints five lines
 * {@code 进程号:<pid> ---> 进程名:Worker-<n>} (n from 1 to 5, five pids, in an order that varies).
 */
public final class ProcessSubclass
{
    private ProcessSubclass()
    {
    }

    /**
     * @param args ignored.
     * @throws Exception if a wait is interrupted.
     */
    public static void main(final String[] args) throws Exception
    {
        final List<IpcProcess> jobs = new ArrayList<>();
        for (int i = 1; i <= 5; i++)
        {
            jobs.add(IpcProcess.builder().name("Worker-" + i).target(new Worker()).start());
        }
        for (final IpcProcess j : jobs)
        {
            j.join();
        }
    }

    /**
     * What each {@code Worker} process runs.
     */
    private static final class Worker implements Task
    {
        private static final long serialVersionUID = 1L;

        @Override
        public void run()
        {
            final long pid = ProcessHandle.current().pid();
            System.out.println("进程号:" + pid + " ---> 进程名:" + IpcProcess.currentName());
        }
    }
}
