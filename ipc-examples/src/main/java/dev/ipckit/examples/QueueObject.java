package dev.ipckit.examples;

import dev.ipckit.process.IpcProcess;
import dev.ipckit.queue.IpcQueue;

import java.io.Serializable;

/**
 * An object of the program's own class through a queue: the child gets it and calls its method,
 * which prints the child's name and the object's: {@code IpcProcess-1 ---> Fancy Dan} (Python's
 * first child is {@code Process-1}).
 */
public final class QueueObject
{
    private QueueObject()
    {
    }

    /**
     * @param args ignored.
     * @throws Exception if a wait is interrupted.
     */
    public static void main(final String[] args) throws Exception
    {
        try (IpcQueue<MyFancyClass> queue = IpcQueue.create())
        {
            final IpcProcess p = IpcProcess.start(() -> worker(queue));
            queue.put(new MyFancyClass("Fancy Dan"));
            p.join();
        }
    }

    private static void worker(final IpcQueue<MyFancyClass> q) throws InterruptedException
    {
        final MyFancyClass obj = q.get();
        obj.doSomething();
    }

    /**
     * An object with a name and a method that prints it.
     */
    private static final class MyFancyClass implements Serializable
    {
        private static final long serialVersionUID = 1L;

        private final String name;

        MyFancyClass(final String name)
        {
            this.name = name;
        }

        void doSomething()
        {
            final String procName = IpcProcess.currentName();
            System.out.println(procName + " ---> " + name);
        }
    }
}
