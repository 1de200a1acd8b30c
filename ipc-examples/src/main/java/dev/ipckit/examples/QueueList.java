package dev.ipckit.examples;

import dev.ipckit.process.IpcProcess;
import dev.ipckit.queue.IpcQueue;

import java.util.Arrays;
import java.util.List;

/**
 * The queue example of Python's {@code multiprocessing} documentation: a child puts a list, the
 * parent gets it and prints {@code [42, null, hello]}.
 */
public final class QueueList
{
    private QueueList()
    {
    }

    /**
     * @param args ignored.
     * @throws Exception if a wait is interrupted.
     */
    public static void main(final String[] args) throws Exception
    {
        try (IpcQueue<List<Object>> q = IpcQueue.create())
        {
            final IpcProcess p = IpcProcess.start(() -> f(q));
            System.out.println(q.get());    // prints "[42, null, hello]"
            p.join();
        }
    }

    private static void f(final IpcQueue<List<Object>> q) throws InterruptedException
    {
        q.put(Arrays.asList(42, null, "hello"));
    }
}
