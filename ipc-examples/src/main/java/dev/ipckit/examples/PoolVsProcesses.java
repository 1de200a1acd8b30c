package dev.ipckit.examples;

import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.ProcessPool;
import dev.ipckit.shm.SharedLongArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Why Python has {@code multiprocessing.Pool}: a hundred small tasks, each the sum of the squares
 * of ten thousand numbers, run on a pool of four workers ({@code map}, one task per job), then in a
 * hundred separate processes, all started, then joined, which put their sums in a shared array.
 * The pool's time includes starting and stopping its workers. Prints the two wall times, such as
 * {@code pool of 4 workers: 100 tasks in 700 ms} and
 * {@code 100 separate processes, all started, then joined: 100 tasks in 6900 ms}, the total both
 * ways found, {@code both ways: the sum of the squares of 0 to 999999 is 333332833333500000}, and
 * {@code the pool was 9.9x faster}. Fails if a way finds another total.
 */
public final class PoolVsProcesses
{
    private static final int TASKS = 100;
    private static final int WORKERS = 4;
    private static final int NUMBERS_PER_TASK = 10_000;

    private PoolVsProcesses()
    {
    }

    /**
     * @param args ignored.
     * @throws Exception if a task fails, or a wait is interrupted.
     */
    public static void main(final String[] args) throws Exception
    {
        final List<Integer> tasks = IntStream.range(0, TASKS).boxed().collect(Collectors.toList());

        final long poolStart = System.nanoTime();
        final long poolTotal;
        try (ProcessPool pool = ProcessPool.create(WORKERS))
        {
            poolTotal = sum(pool.map(PoolVsProcesses::sumOfSquares, tasks, 1));
        }
        final long poolMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - poolStart);
        System.out.println("pool of " + WORKERS + " workers: " + TASKS + " tasks in " + poolMillis + " ms");

        final long processesStart = System.nanoTime();
        final long processesTotal;
        try (SharedLongArray sums = SharedLongArray.create(TASKS, false))
        {
            final List<IpcProcess> children = new ArrayList<>();
            for (final int task : tasks)
            {
                children.add(IpcProcess.start(() -> sums.set(task, sumOfSquares(task))));
            }
            for (final IpcProcess child : children)
            {
                child.join();
            }
            long total = 0;
            for (final long sum : sums.toArray())
            {
                total += sum;
            }
            processesTotal = total;
        }
        final long processesMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - processesStart);
        System.out.println(TASKS + " separate processes, all started, then joined: " + TASKS + " tasks in " +
            processesMillis + " ms");

        final long numbers = (long)TASKS * NUMBERS_PER_TASK;
        final long expected = (numbers - 1) * numbers * (2 * numbers - 1) / 6;
        if (poolTotal != expected || processesTotal != expected)
        {
            throw new IllegalStateException("the sum of the squares of 0 to " + (numbers - 1) + " is " + expected +
                ": the pool found " + poolTotal + ", the processes " + processesTotal);
        }
        System.out.println("both ways: the sum of the squares of 0 to " + (numbers - 1) + " is " + expected);
        System.out.println(String.format(Locale.ROOT, "the pool was %.1fx faster",
            (double)processesMillis / Math.max(1, poolMillis)));
    }

    /**
     * A task: the sum of the squares of its ten thousand numbers.
     */
    private static long sumOfSquares(final int task)
    {
        long sum = 0;
        for (long n = (long)task * NUMBERS_PER_TASK, end = n + NUMBERS_PER_TASK; n < end; n++)
        {
            sum += n * n;
        }
        return sum;
    }

    private static long sum(final List<Long> values)
    {
        long total = 0;
        for (final long value : values)
        {
            total += value;
        }
        return total;
    }
}
