package dev.ipckit.examples;

import dev.ipckit.process.IpcProcess;
import dev.ipckit.queue.IpcQueue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The classic producer/consumer over a queue: two producers each put ten foods
 * ({@code bones-0} to {@code bones-9}, {@code fish-0} to {@code fish-9}) with a random pause of up
 * to 0.3 s before each; three consumers, {@code alex}, {@code jordan} and {@code riley}, each print
 * {@code <consumer> ate <food>} for every food they get until they get {@code null}, the poison
 * pill the parent puts once per consumer after the producers are done. Prints 20 lines, each food
 * once, in an order that varies from run to run.
 */
public final class ProducerConsumer
{
    private static final int FOODS_PER_PRODUCER = 10;

    private ProducerConsumer()
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
            final List<IpcProcess> consumers = new ArrayList<>();
            for (final String name : List.of("alex", "jordan", "riley"))
            {
                consumers.add(IpcProcess.builder().name(name).target(() -> consumer(queue)).start());
            }
            final List<IpcProcess> producers = List.of(
                IpcProcess.start(() -> producer(queue, "bones")),
                IpcProcess.start(() -> producer(queue, "fish")));

            for (final IpcProcess producer : producers)
            {
                producer.join();
            }
            for (int i = 0; i < consumers.size(); i++)
            {
                queue.put(null);
            }
            for (final IpcProcess consumer : consumers)
            {
                consumer.join();
            }
        }
    }

    private static void producer(final IpcQueue<String> queue, final String food) throws InterruptedException
    {
        for (int i = 0; i < FOODS_PER_PRODUCER; i++)
        {
            Thread.sleep(ThreadLocalRandom.current().nextInt(301));
            queue.put(food + "-" + i);
        }
    }

    private static void consumer(final IpcQueue<String> queue) throws InterruptedException
    {
        String food;
        while (null != (food = queue.get()))
        {
            System.out.println(IpcProcess.currentName() + " ate " + food);
        }
    }
}
