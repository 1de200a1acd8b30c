package dev.ipckit.examples;

import dev.ipckit.process.IpcProcess;
import dev.ipckit.queue.IpcQueue;

import java.util.ArrayList;
import java.util.List;

/**
 * A "download" process puts 11, 22, 33 and 44 on a queue of at most three items; an "analysis"
 * process gets items until the queue is empty. Prints {@code download: 下载完成并存入队列}
 * ("downloaded and queued") and {@code analysis: [11, 22, 33, 44]}, in either order.
 * <p>
 * The tutorial gives two versions. The first puts an item only {@code if not q.full()}, and so
 * drops 44 when the analysis has not yet taken anything; this ports the second, whose output the
 * tutorial shows, where {@code put} waits for room. Both stop the analysis at the first
 * {@code empty()}, which races with the download: the download waits to put 44 until the analysis
 * takes 11, and if the analysis takes 22 and 33 before the download's put of 44 wakes and lands,
 * it stops there and prints {@code analysis: [11, 22, 33]}. A CPython putter wakes on a semaphore
 * and wins this race more often than an ipckit putter, which parks for up to a millisecond at a
 * time while it waits for room.
 */
public final class QueueDownloadAnalysis
{
    private QueueDownloadAnalysis()
    {
    }

    /**
     * @param args ignored.
     * @throws Exception if a wait is interrupted.
     */
    public static void main(final String[] args) throws Exception
    {
        try (IpcQueue<Integer> q = IpcQueue.create(3))
        {
            final IpcProcess p1 = IpcProcess.start(() -> downloadFromWeb(q));
            final IpcProcess p2 = IpcProcess.start(() -> analysisData(q));
            p1.join();
            p2.join();
        }
    }

    private static void downloadFromWeb(final IpcQueue<Integer> q) throws InterruptedException
    {
        // data as if downloaded from the web
        final List<Integer> data = List.of(11, 22, 33, 44);
        for (final int temp : data)
        {
            q.put(temp);
        }
        System.out.println("download: 下载完成并存入队列");
    }

    private static void analysisData(final IpcQueue<Integer> q) throws InterruptedException
    {
        final List<Integer> data = new ArrayList<>();
        while (true)
        {
            data.add(q.get());
            if (q.isEmpty())
            {
                break;
            }
        }
        System.out.println("analysis: " + data);
    }
}
