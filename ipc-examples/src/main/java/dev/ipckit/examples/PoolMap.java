package dev.ipckit.examples;

import dev.ipckit.process.AsyncResult;
import dev.ipckit.process.ProcessPool;
import dev.ipckit.process.ResultIterator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The "Using a pool of workers" example of Python's {@code multiprocessing} documentation, with a
 * pool of four workers. Prints {@code [0, 1, 4, 9, 16, 25, 36, 49, 64, 81]} from {@code map}; the
 * same ten squares from {@code imapUnordered}, one a line, in the order they come; {@code 400},
 * {@code f(20)} evaluated asynchronously; the pid of the worker that evaluated it; the list of the
 * pids of four asynchronous evaluations (which may use more workers); then, once a worker has slept
 * for a second of its ten, {@code We lacked patience and got a java.util.concurrent.TimeoutException},
 * {@code For the moment, the pool remains available for more work} and, after the pool,
 * {@code Now the pool is closed and no longer available}.
 * <p>
 * The results that should come at once are waited for five seconds where Python waits one, so
 * that a busy machine does not fail the demo. Python's {@code with Pool()} terminates the pool
 * when it ends; {@link ProcessPool#close()} waits for the submitted tasks instead, so the demo
 * calls {@link ProcessPool#terminate()} at the end of its block rather than wait for the sleeper.
 */
public final class PoolMap
{
    private static final Duration PATIENCE = Duration.ofSeconds(5);

    private PoolMap()
    {
    }

    /**
     * @param args ignored.
     * @throws Exception if a task fails, a result does not come in time, or a wait is interrupted.
     */
    public static void main(final String[] args) throws Exception
    {
        final List<Integer> range = IntStream.range(0, 10).boxed().collect(Collectors.toList());
        try (ProcessPool pool = ProcessPool.create(4))
        {
            System.out.println(pool.map(PoolMap::f, range));

            final ResultIterator<Integer> squares = pool.imapUnordered(PoolMap::f, range);
            while (squares.hasNext())
            {
                System.out.println(squares.next());
            }

            final AsyncResult<Integer> square = pool.applyAsync(() -> f(20));
            System.out.println(square.get(PATIENCE));

            final AsyncResult<Long> pid = pool.applyAsync(PoolMap::getpid);
            System.out.println(pid.get(PATIENCE));

            final List<AsyncResult<Long>> multipleResults = new ArrayList<>();
            for (int i = 0; i < 4; i++)
            {
                multipleResults.add(pool.applyAsync(PoolMap::getpid));
            }
            final List<Long> pids = new ArrayList<>();
            for (final AsyncResult<Long> result : multipleResults)
            {
                pids.add(result.get(PATIENCE));
            }
            System.out.println(pids);

            final AsyncResult<Void> sleeper = pool.applyAsync(() -> sleep(10));
            try
            {
                System.out.println(sleeper.get(Duration.ofSeconds(1)));
            }
            catch (final TimeoutException ex)
            {
                System.out.println("We lacked patience and got a " + ex.getClass().getName());
            }

            System.out.println("For the moment, the pool remains available for more work");
            // leaving Python's with-block terminates the pool; close() would wait for the sleeper
            pool.terminate();
        }

        System.out.println("Now the pool is closed and no longer available");
    }

    private static int f(final int x)
    {
        return x * x;
    }

    private static long getpid()
    {
        return ProcessHandle.current().pid();
    }

    private static Void sleep(final int seconds) throws InterruptedException
    {
        Thread.sleep(seconds * 1_000L);
        return null;
    }
}
