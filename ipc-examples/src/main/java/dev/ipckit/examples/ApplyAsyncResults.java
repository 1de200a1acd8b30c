package dev.ipckit.examples;

import dev.ipckit.process.AsyncResult;
import dev.ipckit.process.ProcessPool;

import java.util.ArrayList;
import java.util.List;

/**
 * A list of {@code apply_async} results on a pool of four workers, read once the pool is closed
 * and joined: each task prints {@code hello <i>} three times, pausing after each (a second in the
 * original, 0.1 s here), and returns {@code done hello <i>}. Prints the thirty {@code hello} lines
 * in an order that varies, then {@code done hello 0} to {@code done hello 9} in order, then
 * {@code Sub-process(es) done.}
 */
public final class ApplyAsyncResults
{
    private ApplyAsyncResults()
    {
    }

    /**
     * @param args ignored.
     * @throws Exception if a task fails or a wait is interrupted.
     */
    public static void main(final String[] args) throws Exception
    {
        final ProcessPool pool = ProcessPool.create(4);
        final List<AsyncResult<String>> result = new ArrayList<>();
        for (int index = 0; index < 10; index++)
        {
            final String msg = "hello " + index;
            result.add(pool.applyAsync(() -> func(msg)));
        }
        pool.close();
        pool.join();
        for (final AsyncResult<String> res : result)
        {
            System.out.println(res.get());
        }
        System.out.println("Sub-process(es) done.");
    }

    private static String func(final String msg) throws InterruptedException
    {
        for (int i = 0; i < 3; i++)
        {
            System.out.println(msg);
            Thread.sleep(100);
        }
        return "done " + msg;
    }
}
