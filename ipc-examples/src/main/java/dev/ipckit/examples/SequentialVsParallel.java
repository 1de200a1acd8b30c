package dev.ipckit.examples;

import dev.ipckit.process.ProcessPool;
import dev.ipckit.sync.IpcSemaphore;

import java.util.List;
import java.util.Locale;

/**
 * Nine calls that each sleep and return the square of their argument, first one after another in
 * this process, then with {@code map} on a pool of five workers. Each call prints
 * {@code arg * arg} (the literal text, as the original does). Prints nine {@code arg * arg}, then
 * {@code 顺序执行时间: <s>} ("sequential time"), nine more, {@code 并行执行时间: <s>} ("parallel
 * time"), then {@code map 的所有子进程返回的结果列表: [1, 4, 9, 16, 25, 36, 49, 64, 81]} ("the list
 * of results the map's children returned"). The original sleeps a second a call and prints whole
 * seconds (9 and 2); this sleeps 0.3 s and prints tenths (2.7 and 0.6 or so). As in the original,
 * the pool's start is not timed: a forked Python worker is ready at once, an ipckit worker is a JVM
 * that takes a while to start, so the parent waits until every worker has run the pool's
 * initializer, which releases a semaphore, before it starts the clock.
 */
public final class SequentialVsParallel
{
    private SequentialVsParallel()
    {
    }

    /**
     * @param args ignored.
     * @throws Exception if a task fails or a wait is interrupted.
     */
    public static void main(final String[] args) throws Exception
    {
        final List<Integer> tempList = List.of(1, 2, 3, 4, 5, 6, 7, 8, 9);

        long startTime = System.nanoTime();
        for (final int item : tempList)
        {
            workerFunc(item);
        }
        long endTime = System.nanoTime();
        System.out.println("顺序执行时间: " + seconds(endTime - startTime));

        try (IpcSemaphore started = IpcSemaphore.create(0))
        {
            final ProcessPool pool = ProcessPool.builder().processes(5).initializer(started::release).build();
            for (int i = 0; i < pool.processes(); i++)
            {
                started.acquire();
            }
            startTime = System.nanoTime();
            final List<Integer> result = pool.map(SequentialVsParallel::workerFunc, tempList);
            pool.close();
            pool.join();
            endTime = System.nanoTime();
            System.out.println("并行执行时间: " + seconds(endTime - startTime));
            System.out.println("map 的所有子进程返回的结果列表: " + result);
        }
    }

    private static int workerFunc(final int arg)
    {
        Pause.millis(300);
        System.out.println("arg * arg");
        return arg * arg;
    }

    private static String seconds(final long nanos)
    {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e9);
    }
}
