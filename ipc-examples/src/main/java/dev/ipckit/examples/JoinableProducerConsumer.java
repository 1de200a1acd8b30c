package dev.ipckit.examples;

import dev.ipckit.process.IpcProcess;
import dev.ipckit.queue.JoinableQueue;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The producer/consumer of {@link ProducerConsumer} on a {@link JoinableQueue}, without poison
 * pills: the consumers are daemons that mark each food done and wait for more for ever; the
 * parent waits for the producers, then joins the queue until every food is eaten, prints
 * {@code all foods eaten} and returns, and the daemons die with it. Prints 20 lines
 * {@code <consumer> ate <food>} in an order that varies from run to run, then {@code all foods eaten}.
 */
public final class JoinableProducerConsumer
{
    private static final int FOODS_PER_PRODUCER = 10;

    private JoinableProducerConsumer()
    {
    }

    /**
     * @param args ignored.
     * @throws Exception if a wait is interrupted.
     */
    public static void main(final String[] args) throws Exception
    {
        try (JoinableQueue<String> queue = JoinableQueue.create())
        {
            for (final String name : List.of("alex", "jordan", "riley"))
            {
                IpcProcess.builder().name(name).daemon(true).target(() -> consumer(queue)).start();
            }
            final List<IpcProcess> producers = List.of(
                IpcProcess.start(() -> producer(queue, "bones")),
                IpcProcess.start(() -> producer(queue, "fish")));

            for (final IpcProcess producer : producers)
            {
                producer.join();
            }
            queue.join();
            System.out.println("all foods eaten");
        }
    }

    private static void producer(final JoinableQueue<String> queue, final String food) throws InterruptedException
    {
        for (int i = 0; i < FOODS_PER_PRODUCER; i++)
        {
            Thread.sleep(ThreadLocalRandom.current().nextInt(301));
            queue.put(food + "-" + i);
        }
    }

    private static void consumer(final JoinableQueue<String> queue) throws InterruptedException
    {
        while (true)
        {
            final String food = queue.get();
            System.out.println(IpcProcess.currentName() + " ate " + food);
            queue.taskDone();
        }
    }
}
