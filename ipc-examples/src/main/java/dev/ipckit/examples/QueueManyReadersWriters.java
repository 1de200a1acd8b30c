package dev.ipckit.examples;

import dev.ipckit.process.IpcProcess;
import dev.ipckit.queue.IpcQueue;
import dev.ipckit.sync.IpcLock;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Lock;

/**
 * Three readers and five writers sharing one channel: each writer sends 0 to 9, each reader takes
 * the lock, receives one message and prints it, until the end of the stream. Prints 0 to 9 five
 * times, fifty lines in an order that varies.
 * <p>
 * The original shares both ends of one {@code Pipe} among all eight processes and relies on the
 * pipe's end of stream: readers get {@code EOFError} once every process has closed the writing end.
 * An ipckit pipe end belongs to one process at a time, so this uses what ipckit has for many
 * readers and writers, an {@link IpcQueue}; and since a queue has no end of stream, the parent,
 * once the writers have finished, puts one {@code null} per reader, which the readers take for
 * the end of the stream as they would take {@code EOFError}.
 */
public final class QueueManyReadersWriters
{
    private static final int READERS = 3;
    private static final int WRITERS = 5;

    private QueueManyReadersWriters()
    {
    }

    /**
     * @param args ignored.
     * @throws Exception if a wait is interrupted.
     */
    public static void main(final String[] args) throws Exception
    {
        try (IpcQueue<Integer> q = IpcQueue.create();
            IpcLock l = IpcLock.create())
        {
            final List<IpcProcess> readers = new ArrayList<>();
            for (int i = 0; i < READERS; i++)
            {
                readers.add(IpcProcess.start(() -> func(q, l)));
            }
            final List<IpcProcess> writers = new ArrayList<>();
            for (int i = 0; i < WRITERS; i++)
            {
                writers.add(IpcProcess.start(() -> func2(q)));
            }

            for (final IpcProcess writer : writers)
            {
                writer.join();
            }
            for (int i = 0; i < READERS; i++)
            {
                q.put(null);
            }
            for (final IpcProcess reader : readers)
            {
                reader.join();
            }
        }
    }

    private static void func(final IpcQueue<Integer> son, final Lock l) throws InterruptedException
    {
        while (true)
        {
            l.lock();
            try
            {
                final Integer message = son.get();
                if (null == message)
                {
                    break;
                }
                System.out.println(message);
            }
            finally
            {
                l.unlock();
            }
        }
    }

    private static void func2(final IpcQueue<Integer> foo) throws InterruptedException
    {
        for (int i = 0; i < 10; i++)
        {
            foo.put(i);
        }
    }
}
