package dev.ipckit.examples;

import dev.ipckit.process.IpcProcess;
import dev.ipckit.queue.IpcQueue;

/**
 * The deadlock of Python's programming guidelines, which does not happen here: a child puts a
 * string of a million {@code X}, and the parent joins the child <em>before</em> it gets the item.
 * In CPython the child cannot exit until its queue's feeder thread has written the item into the
 * pipe, which no one reads, so {@code p.join()} never returns. An {@link IpcQueue} item is in
 * shared memory (or its side file) once {@code put} returns, so the child exits and the parent
 * then gets it. Prints {@code joined: exit code 0}, then
 * {@code got 1000000 characters, all X}.
 */
public final class QueueBigItem
{
    private QueueBigItem()
    {
    }

    /**
     * @param args ignored.
     * @throws Exception if a wait is interrupted.
     */
    public static void main(final String[] args) throws Exception
    {
        try (IpcQueue<String> queue = IpcQueue.create())
        {
            final IpcProcess p = IpcProcess.start(() -> f(queue));
            p.join();                    // this deadlocks in CPython
            System.out.println("joined: exit code " + p.exitCode());
            final String obj = queue.get();
            System.out.println("got " + obj.length() + " characters, " +
                (obj.chars().allMatch(c -> 'X' == c) ? "all X" : "not all X"));
        }
    }

    private static void f(final IpcQueue<String> q) throws InterruptedException
    {
        q.put("X".repeat(1_000_000));
    }
}
