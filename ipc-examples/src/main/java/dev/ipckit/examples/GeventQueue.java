package dev.ipckit.examples;

import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.VirtualThreads;
import dev.ipckit.queue.JoinableQueue;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * gevent inside processes on a JoinableQueue (003-BC): {@code cpu_count() * 2} processes, the even
 * ones producers and the odd ones consumers. A producer runs ten greenlets that each put the
 * numbers {@code 0..N-1} ({@code put(no, block=False)}, printing each number), then, once they are
 * all done, one {@code None} per consumer greenlet, and closes its handle; a consumer runs seven
 * greenlets that each get and print {@code [time] consumer_1 ---> value: 5} until a {@code None}
 * (then {@code task_done()}). Greenlets are virtual threads here (platform threads before JDK 21);
 * gevent's {@code joinall} is waiting for their futures. Shortened: at most four processes
 * ({@code min(cpu_count(), 2) * 2}) and {@code N = 50} rather than 10000.
 */
public final class GeventQueue
{
    private static final int NUMBERS = 50;
    private static final DateTimeFormatter NOW = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    private GeventQueue()
    {
    }

    /**
     * @param args ignored.
     * @throws Exception if a wait is interrupted.
     */
    public static void main(final String[] args) throws Exception
    {
        final int workerCount = Math.min(Runtime.getRuntime().availableProcessors(), 2) * 2;
        final JoinableQueue<Integer> taskQueue = JoinableQueue.create();
        final int consumerGevent = 7;
        final List<IpcProcess> pidList = new ArrayList<>();
        for (int index = 0; index < workerCount; index++)
        {
            final String name = (0 == index % 2 ? "producer_" : "consumer_") + index;
            final IpcProcess pid = 0 == index % 2 ?
                IpcProcess.builder().target(() -> producer(taskQueue, 10, name, consumerGevent)).build() :
                IpcProcess.builder().target(() -> consumer(taskQueue, consumerGevent, name)).build();
            pid.start();
            pidList.add(pid);
        }

        for (final IpcProcess pid : pidList)
        {
            pid.join();
        }
        taskQueue.close();
    }

    private static void consumer(final JoinableQueue<Integer> taskQueue, final int taskList, final String consumerName)
        throws Exception
    {
        joinAll(taskList, () ->
        {
            while (true)
            {
                final Integer value = taskQueue.get();
                if (null == value)
                {
                    taskQueue.taskDone();
                    break;
                }
                System.out.println("[" + NOW.format(LocalDateTime.now()) + "] " + consumerName + " ---> value: " + value);
            }
            return null;
        });
    }

    private static void producer(final JoinableQueue<Integer> taskQueue, final int taskList, final String producerName,
        final int consumerTasks) throws Exception
    {
        joinAll(taskList, () ->
        {
            for (int no = 0; no < NUMBERS; no++)
            {
                System.out.println(no);
                taskQueue.putNowait(no);
            }
            return null;
        });
        for (int x = 0; x < consumerTasks; x++)
        {
            taskQueue.putNowait(null);
        }
        taskQueue.close();
    }

    /** {@code gevent.joinall([gevent.spawn(job) for x in range(count)])}. */
    private static void joinAll(final int count, final java.util.concurrent.Callable<Void> job) throws Exception
    {
        final ExecutorService hub = VirtualThreads.perTaskExecutor("greenlet");
        try
        {
            final List<Future<Void>> jobs = new ArrayList<>();
            for (int x = 0; x < count; x++)
            {
                jobs.add(hub.submit(job));
            }
            for (final Future<Void> greenlet : jobs)
            {
                greenlet.get();
            }
        }
        finally
        {
            hub.shutdown();
        }
    }
}
