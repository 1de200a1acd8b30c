package dev.ipckit.examples;

import dev.ipckit.process.ProcessPool;

/**
 * The blocking {@code apply}, four times on a pool of three workers: each call waits for its
 * task, which prints {@code worker_func ---> hello <i>} and sleeps (3 s in the original, 0.3 s
 * here), so the lines come one after another, {@code hello 0} to {@code hello 3}, although three
 * workers stand ready.
 */
public final class PoolApplyBlocking
{
    private PoolApplyBlocking()
    {
    }

    /**
     * @param args ignored.
     * @throws Exception if a task fails or a wait is interrupted.
     */
    public static void main(final String[] args) throws Exception
    {
        final ProcessPool pool = ProcessPool.create(3);
        for (int i = 0; i < 4; i++)
        {
            final String data = "hello " + i;
            pool.apply(() -> workerFunc(data));
        }
        pool.close();
        pool.join();
    }

    private static Void workerFunc(final String arg) throws InterruptedException
    {
        System.out.println("worker_func ---> " + arg);
        Thread.sleep(300);
        return null;
    }
}
