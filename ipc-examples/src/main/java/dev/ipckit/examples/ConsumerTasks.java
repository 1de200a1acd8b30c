package dev.ipckit.examples;

import dev.ipckit.process.IpcProcess;
import dev.ipckit.queue.IpcQueue;
import dev.ipckit.queue.JoinableQueue;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Consumer processes take tasks from a joinable queue and put their results on another queue;
 * a {@code null} poison pill per consumer stops them (PyMOTW's
 * {@code multiprocessing_producer_consumer.py}). Prints {@code Creating <n> consumers} (twice the
 * available processors); then, in an order that varies from run to run, {@code <consumer>: <task>}
 * for each of the ten tasks and {@code <consumer>: Exiting} for each consumer; then the ten
 * {@code Result: <a> * <b> = <product>} lines in the order the results came.
 */
public final class ConsumerTasks
{
    private static final int JOBS = 10;

    private ConsumerTasks()
    {
    }

    /**
     * @param args ignored.
     * @throws Exception if a wait is interrupted.
     */
    public static void main(final String[] args) throws Exception
    {
        try (JoinableQueue<Task> tasks = JoinableQueue.create();
             IpcQueue<String> results = IpcQueue.create())
        {
            final int numConsumers = Runtime.getRuntime().availableProcessors() * 2;
            System.out.println("Creating " + numConsumers + " consumers");
            final List<IpcProcess> consumers = new ArrayList<>();
            for (int i = 1; i <= numConsumers; i++)
            {
                consumers.add(IpcProcess.builder().name("Consumer-" + i).target(new Consumer(tasks, results)).start());
            }

            for (int i = 0; i < JOBS; i++)
            {
                tasks.put(new Task(i, i));
            }
            for (int i = 0; i < numConsumers; i++)
            {
                tasks.put(null);
            }
            tasks.join();

            for (int i = 0; i < JOBS; i++)
            {
                System.out.println("Result: " + results.get());
            }
            for (final IpcProcess consumer : consumers)
            {
                consumer.join();
            }
        }
    }

    /**
     * What a consumer process runs: it does tasks until it gets the poison pill.
     */
    private static final class Consumer implements dev.ipckit.process.Task
    {
        private static final long serialVersionUID = 1L;

        private final JoinableQueue<Task> taskQueue;
        private final IpcQueue<String> resultQueue;

        Consumer(final JoinableQueue<Task> taskQueue, final IpcQueue<String> resultQueue)
        {
            this.taskQueue = taskQueue;
            this.resultQueue = resultQueue;
        }

        @Override
        public void run() throws InterruptedException
        {
            final String procName = IpcProcess.currentName();
            while (true)
            {
                final Task nextTask = taskQueue.get();
                if (null == nextTask)
                {
                    System.out.println(procName + ": Exiting");
                    taskQueue.taskDone();
                    break;
                }
                System.out.println(procName + ": " + nextTask);
                final String answer = nextTask.call();
                taskQueue.taskDone();
                resultQueue.put(answer);
            }
        }
    }

    /**
     * Multiplies two numbers, taking its time.
     */
    private static final class Task implements Serializable
    {
        private static final long serialVersionUID = 1L;

        private final int a;
        private final int b;

        Task(final int a, final int b)
        {
            this.a = a;
            this.b = b;
        }

        String call() throws InterruptedException
        {
            Thread.sleep(100);
            return a + " * " + b + " = " + a * b;
        }

        @Override
        public String toString()
        {
            return a + " * " + b;
        }
    }
}
