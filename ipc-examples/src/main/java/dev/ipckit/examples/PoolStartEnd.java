package dev.ipckit.examples;

import dev.ipckit.process.ProcessPool;

import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code apply_async} ten times on a pool of three workers: each task prints
 * {@code Process-<i> running, pid:<pid>}, sleeps at random (up to 2 s in the original, 0.2 s
 * here) and prints {@code Process-<i> finish, time consuming:<seconds>}. Prints
 * {@code ------start------} first (the tasks are all submitted by then, but the workers are still
 * starting), then the twenty task lines in an order that varies, from at most three pids, then
 * {@code -------end-------} once the pool is closed and joined.
 */
public final class PoolStartEnd
{
    private PoolStartEnd()
    {
    }

    /**
     * @param args ignored.
     * @throws Exception if a wait is interrupted.
     */
    public static void main(final String[] args) throws Exception
    {
        final ProcessPool po = ProcessPool.create(3);
        for (int i = 1; i < 11; i++)
        {
            final int msg = i;
            po.applyAsync(() -> work(msg));
        }

        System.out.println("------start------");
        po.close();
        po.join();
        System.out.println("-------end-------");
    }

    private static Void work(final int msg) throws InterruptedException
    {
        System.out.println("Process-" + msg + " running, pid:" + ProcessHandle.current().pid());
        final long start = System.nanoTime();
        Thread.sleep((long)(ThreadLocalRandom.current().nextDouble() * 200));
        final long end = System.nanoTime();
        System.out.println("Process-" + msg + " finish, time consuming:" +
            String.format(Locale.ROOT, "%.2f", (end - start) / 1e9));
        return null;
    }
}
