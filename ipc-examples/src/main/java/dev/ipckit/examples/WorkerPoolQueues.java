package dev.ipckit.examples;

import dev.ipckit.examples.MulPlus.Call;
import dev.ipckit.examples.MulPlus.Func;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.queue.IpcQueue;

import java.util.ArrayList;
import java.util.List;

/**
 * The example of Python's {@code multiprocessing} documentation that feeds tasks to four worker
 * processes through one queue and collects their results through another: twenty {@code mul(i, 7)}
 * tasks, then ten {@code plus(i, 8)} once the first results are in, then a {@code "STOP"} per
 * worker. Each function pauses up to 0.5 s at random. Prints {@code Unordered results:}, then, as
 * they come, a tab and a space before each of the twenty {@code mul} results, then each of the ten
 * {@code plus} results, such as {@code IpcProcess-3 says that mul(3, 7) = 21}.
 */
public final class WorkerPoolQueues
{
    private static final int NUMBER_OF_PROCESSES = 4;
    private static final String STOP = "STOP";

    private WorkerPoolQueues()
    {
    }

    /**
     * @param args ignored.
     * @throws Exception if a wait is interrupted.
     */
    public static void main(final String[] args) throws Exception
    {
        final List<Call> tasks1 = new ArrayList<>();
        for (int i = 0; i < 20; i++)
        {
            tasks1.add(new Call(Func.MUL, i, 7));
        }
        final List<Call> tasks2 = new ArrayList<>();
        for (int i = 0; i < 10; i++)
        {
            tasks2.add(new Call(Func.PLUS, i, 8));
        }

        try (IpcQueue<Object> taskQueue = IpcQueue.create();
             IpcQueue<String> doneQueue = IpcQueue.create())
        {
            for (final Call task : tasks1)
            {
                taskQueue.put(task);
            }

            final List<IpcProcess> workers = new ArrayList<>();
            for (int i = 0; i < NUMBER_OF_PROCESSES; i++)
            {
                workers.add(IpcProcess.start(() -> worker(taskQueue, doneQueue)));
            }

            System.out.println("Unordered results:");
            for (int i = 0; i < tasks1.size(); i++)
            {
                System.out.println("\t " + doneQueue.get());
            }

            for (final Call task : tasks2)
            {
                taskQueue.put(task);
            }

            for (int i = 0; i < tasks2.size(); i++)
            {
                System.out.println("\t " + doneQueue.get());
            }

            for (int i = 0; i < NUMBER_OF_PROCESSES; i++)
            {
                taskQueue.put(STOP);
            }
            for (final IpcProcess worker : workers)
            {
                worker.join();
            }
        }
    }

    private static void worker(final IpcQueue<Object> input, final IpcQueue<String> output)
        throws InterruptedException
    {
        for (Object task = input.get(); !STOP.equals(task); task = input.get())
        {
            output.put(((Call)task).calculate(500));
        }
    }
}
