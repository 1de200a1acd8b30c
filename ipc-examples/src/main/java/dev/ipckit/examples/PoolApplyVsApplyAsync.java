package dev.ipckit.examples;

import dev.ipckit.process.ProcessPool;

import java.util.Locale;

/**
 * {@code apply} twenty times, then {@code apply_async} twenty times, on a pool of five workers:
 * {@code apply} waits for each result before it submits the next task, so the tasks run one after
 * another; {@code apply_async} submits them all and the five workers share them. The originals
 * print nothing and are timed by hand (about 20 s against 4 s with a second a task); this sleeps
 * 0.1 s a task and prints both times, such as {@code apply: 20 tasks one after another in 2.1 s}
 * and {@code apply_async: 20 tasks on 5 workers in 0.5 s}.
 */
public final class PoolApplyVsApplyAsync
{
    private static final int TASKS = 20;

    private PoolApplyVsApplyAsync()
    {
    }

    /**
     * @param args ignored.
     * @throws Exception if a task fails or a wait is interrupted.
     */
    public static void main(final String[] args) throws Exception
    {
        final ProcessPool p = ProcessPool.create(5);
        long start = System.nanoTime();
        for (int i = 0; i < TASKS; i++)
        {
            final int arg = i;
            p.apply(() -> func(arg));
        }
        System.out.println("apply: " + TASKS + " tasks one after another in " + secondsSince(start) + " s");

        start = System.nanoTime();
        for (int i = 0; i < TASKS; i++)
        {
            final int arg = i;
            p.applyAsync(() -> func(arg));
        }
        p.close();
        p.join();
        System.out.println("apply_async: " + TASKS + " tasks on 5 workers in " + secondsSince(start) + " s");
    }

    private static int func(final int i) throws InterruptedException
    {
        Thread.sleep(100);
        return i + 2;
    }

    private static String secondsSince(final long start)
    {
        return String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9);
    }
}
