package dev.ipckit.examples;

import dev.ipckit.process.ProcessPool;

/**
 * {@code apply_async} ten times on a pool of one worker per processor, then {@code close} and
 * {@code join}: each task prints {@code process_name_<i> ---> hello <i>} three times, pausing
 * after each (a second in the original, 0.1 s here). Prints those thirty lines in an order that
 * varies, then {@code 主线程退出} ("the main thread exits").
 */
public final class PoolApplyAsyncCpuCount
{
    private PoolApplyAsyncCpuCount()
    {
    }

    /**
     * @param args ignored.
     * @throws Exception if a wait is interrupted.
     */
    public static void main(final String[] args) throws Exception
    {
        final int cpuCount = Runtime.getRuntime().availableProcessors();
        final ProcessPool pool = ProcessPool.create(cpuCount);
        for (int index = 0; index < 10; index++)
        {
            final String processName = "process_name_" + index;
            final String data = "hello " + index;
            pool.applyAsync(() -> workerFunc(processName, data));
        }
        pool.close();
        pool.join();
        System.out.println("主线程退出");
    }

    private static Void workerFunc(final String processName, final String arg) throws InterruptedException
    {
        for (int i = 0; i < 3; i++)
        {
            System.out.println(processName + " ---> " + arg);
            Thread.sleep(100);
        }
        return null;
    }
}
