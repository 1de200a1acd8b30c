package dev.ipckit.examples;

import dev.ipckit.process.ProcessPool;
import dev.ipckit.process.VirtualThreads;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * aiomultiprocess's usage pattern (003-BD): async tasks gathered in the parent
 * ({@code asyncio.gather(*[async_worker(d) for d in data_list])}: virtual threads here, or platform
 * threads before JDK 21), then the synchronous work on a process pool
 * ({@code await pool.map(process_worker, data_list)}: {@code mapAsync} awaited as a future), then
 * {@code pool.close()} and {@code await pool.join()}. The original's task bodies are {@code ...};
 * this port prints a line per call, {@code async_worker(3) in the parent, pid 4200} and
 * {@code process_worker(3) in worker 4242}, so the run shows where each ran, then the map's list.
 */
public final class AsyncPoolUsage
{
    private AsyncPoolUsage()
    {
    }

    /**
     * @param args ignored.
     * @throws Exception if a task fails, or a wait is interrupted.
     */
    public static void main(final String[] args) throws Exception
    {
        final ProcessPool pool = ProcessPool.create();

        final List<Integer> dataList = List.of(1, 2, 3, 4, 5);

        final ExecutorService eventLoop = VirtualThreads.perTaskExecutor("async-worker");
        final CompletableFuture<?>[] asyncTasks = dataList.stream()
            .map(data -> CompletableFuture.runAsync(() -> asyncWorker(data), eventLoop))
            .toArray(CompletableFuture<?>[]::new);
        CompletableFuture.allOf(asyncTasks).get();
        eventLoop.shutdown();

        final List<String> results = pool.mapAsync(AsyncPoolUsage::processWorker, dataList).toCompletableFuture().get();
        pool.close();
        pool.join();
        System.out.println("pool.map -> " + results);
    }

    private static void asyncWorker(final int data)
    {
        doSomethingAsync(data);
    }

    private static void doSomethingAsync(final int data)
    {
        System.out.println("async_worker(" + data + ") in the parent, pid " + ProcessHandle.current().pid());
    }

    private static String processWorker(final int data)
    {
        return doSomething(data);
    }

    private static String doSomething(final int data)
    {
        System.out.println("process_worker(" + data + ") in worker " + ProcessHandle.current().pid());
        return "done " + data;
    }
}
