package dev.ipckit.examples;

import dev.ipckit.examples.MulPlus.Call;
import dev.ipckit.examples.MulPlus.Func;
import dev.ipckit.process.AsyncResult;
import dev.ipckit.process.ProcessPool;
import dev.ipckit.process.ResultIterator;
import dev.ipckit.process.TaskFailedException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The "Using a pool" test of Python's {@code multiprocessing} examples, on a pool of four workers.
 * Twenty calls, {@code mul(i, 7)} and {@code plus(i, 8)} for i from 0 to 9, each pausing up to
 * 0.1 s at random (0.5 s in the original), go through {@code applyAsync}, {@code imap},
 * {@code imapUnordered} and {@code map}; each result reads such as
 * {@code ProcessPool-1-Worker-3 says that mul(2, 7) = 14} and is printed after a tab and a space,
 * under a heading per method. Then the error handling: {@code f(x) = 1 / (x - 5)} fails for 5
 * with Java's {@link ArithmeticException} where Python's raises {@code ZeroDivisionError}, through
 * {@code apply}, {@code map}, a list built from {@code imap}, and {@code next()} on an
 * {@code imap} iterator (which goes on past the failed result); a line
 * {@code Got ArithmeticException as expected from ...} each. Then the timeouts: a result waited
 * for 0.02 s at a time, printing a dot for each timeout, and an {@code imap} iterator's
 * {@code next(0.02 s)} likewise.
 */
public final class PoolTest
{
    private static final int PROCESSES = 4;
    private static final Duration TIMEOUT = Duration.ofMillis(20);

    private PoolTest()
    {
    }

    /**
     * @param args ignored.
     * @throws Exception if a task fails unexpectedly, an expected failure does not come, or a wait
     *                   is interrupted.
     */
    public static void main(final String[] args) throws Exception
    {
        System.out.println("Creating pool with " + PROCESSES + " processes\n");

        try (ProcessPool pool = ProcessPool.create(PROCESSES))
        {
            final List<Call> tasks = new ArrayList<>();
            for (int i = 0; i < 10; i++)
            {
                tasks.add(new Call(Func.MUL, i, 7));
            }
            for (int i = 0; i < 10; i++)
            {
                tasks.add(new Call(Func.PLUS, i, 8));
            }

            final List<AsyncResult<String>> results = new ArrayList<>();
            for (final Call t : tasks)
            {
                results.add(pool.applyAsync(() -> calculate(t)));
            }
            final Iterator<String> imapIt = pool.imap(PoolTest::calculate, tasks);
            final Iterator<String> imapUnorderedIt = pool.imapUnordered(PoolTest::calculate, tasks);

            System.out.println("Ordered results using pool.applyAsync():");
            for (final AsyncResult<String> r : results)
            {
                System.out.println("\t " + r.get());
            }
            System.out.println();

            System.out.println("Ordered results using pool.imap():");
            while (imapIt.hasNext())
            {
                System.out.println("\t " + imapIt.next());
            }
            System.out.println();

            System.out.println("Unordered results using pool.imapUnordered():");
            while (imapUnorderedIt.hasNext())
            {
                System.out.println("\t " + imapUnorderedIt.next());
            }
            System.out.println();

            System.out.println("Ordered results using pool.map() --- will block till complete:");
            for (final String x : pool.map(PoolTest::calculate, tasks))
            {
                System.out.println("\t " + x);
            }
            System.out.println();

            testErrorHandling(pool);
            testTimeouts(pool, tasks);
        }
    }

    private static void testErrorHandling(final ProcessPool pool) throws InterruptedException
    {
        final List<Integer> range = IntStream.range(0, 10).boxed().collect(Collectors.toList());
        System.out.println("Testing error handling:");

        try
        {
            System.out.println(pool.apply(() -> f(5)));
            throw new AssertionError("expected ArithmeticException");
        }
        catch (final TaskFailedException ex)
        {
            expectArithmetic(ex, "pool.apply()");
        }

        try
        {
            System.out.println(pool.map(PoolTest::f, range));
            throw new AssertionError("expected ArithmeticException");
        }
        catch (final TaskFailedException ex)
        {
            expectArithmetic(ex, "pool.map()");
        }

        try
        {
            final List<Integer> list = new ArrayList<>();
            pool.imap(PoolTest::f, range).forEachRemaining(list::add);
            System.out.println(list);
            throw new AssertionError("expected ArithmeticException");
        }
        catch (final TaskFailedException ex)
        {
            expectArithmetic(ex, "list(pool.imap())");
        }

        final ResultIterator<Integer> it = pool.imap(PoolTest::f, range);
        int i = 0;
        for (; i < 10; i++)
        {
            try
            {
                it.next();
                if (5 == i)
                {
                    throw new AssertionError("expected ArithmeticException");
                }
            }
            catch (final TaskFailedException ex)
            {
                if (5 != i || !(ex.getCause() instanceof ArithmeticException))
                {
                    throw ex;
                }
            }
        }
        if (10 != i || it.hasNext())
        {
            throw new AssertionError("the iterator did not go on past the failure");
        }
        System.out.println("\tGot ArithmeticException as expected from ResultIterator.next()");
        System.out.println();
    }

    private static void testTimeouts(final ProcessPool pool, final List<Call> tasks) throws Exception
    {
        System.out.print("Testing AsyncResult.get() with timeout: ");
        final Call first = tasks.get(0);
        final AsyncResult<String> res = pool.applyAsync(() -> calculate(first));
        while (true)
        {
            System.out.flush();
            try
            {
                System.out.print("\n\t" + res.get(TIMEOUT));
                break;
            }
            catch (final TimeoutException ex)
            {
                System.out.print(".");
            }
        }
        System.out.println();
        System.out.println();

        System.out.print("Testing ResultIterator.next() with timeout: ");
        final ResultIterator<String> it = pool.imap(PoolTest::calculate, tasks);
        while (it.hasNext())
        {
            System.out.flush();
            try
            {
                System.out.print("\n\t" + it.next(TIMEOUT));
            }
            catch (final TimeoutException ex)
            {
                System.out.print(".");
            }
        }
        System.out.println();
        System.out.println();
    }

    private static void expectArithmetic(final TaskFailedException ex, final String from)
    {
        if (!(ex.getCause() instanceof ArithmeticException))
        {
            throw ex;
        }
        System.out.println("\tGot ArithmeticException as expected from " + from);
    }

    private static String calculate(final Call call)
    {
        return call.calculate(100);
    }

    private static int f(final int x)
    {
        return 1 / (x - 5);
    }
}
