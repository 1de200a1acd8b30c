package dev.ipckit.examples;

import dev.ipckit.process.IpcProcess;
import dev.ipckit.queue.IpcQueue;
import dev.ipckit.sync.IpcLock;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.Lock;

/**
 * A queue of at most three items between ten putters and ten getters: each putter puts
 * {@code <pid>(put):<time>}, each getter gets one and prints {@code <pid>(get):<pid>(put):<time>}
 * under a lock so that lines do not mix. The parent waits for the putters, then for the getters,
 * then closes its handle of the queue (Python closes it between the two waits). Prints ten lines;
 * twenty pids.
 */
public final class QueueBounded
{
    private QueueBounded()
    {
    }

    /**
     * @param args ignored.
     * @throws Exception if a wait is interrupted.
     */
    public static void main(final String[] args) throws Exception
    {
        final List<IpcProcess> record1 = new ArrayList<>();
        final List<IpcProcess> record2 = new ArrayList<>();
        try (IpcLock lock = IpcLock.create();
            IpcQueue<String> queue = IpcQueue.create(3))
        {
            for (int i = 0; i < 10; i++)
            {
                record1.add(IpcProcess.start(() -> inputQueue(queue)));
            }

            for (int i = 0; i < 10; i++)
            {
                record2.add(IpcProcess.start(() -> outputQueue(queue, lock)));
            }

            for (final IpcProcess p : record1)
            {
                p.join();
            }

            for (final IpcProcess p : record2)
            {
                p.join();
            }
        }
    }

    private static void inputQueue(final IpcQueue<String> queue) throws InterruptedException
    {
        final String info = ProcessHandle.current().pid() + "(put):" +
            String.format(Locale.ROOT, "%.3f", System.currentTimeMillis() / 1000.0);
        queue.put(info);
    }

    private static void outputQueue(final IpcQueue<String> queue, final Lock lock) throws InterruptedException
    {
        final String info = queue.get();
        lock.lock();
        try
        {
            System.out.println(ProcessHandle.current().pid() + "(get):" + info);
        }
        finally
        {
            lock.unlock();
        }
    }
}
