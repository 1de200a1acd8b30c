package dev.ipckit.examples;

import dev.ipckit.process.ProcessPool;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * {@code Pool(5).map(func, range(20))} where each call sleeps, then prints its argument and the pid
 * of the worker that ran it. Prints the number of processors, then twenty lines {@code <i> <pid>}
 * (0 to 19, in an order that varies, at most five pids), then {@code ====>} once the pool is
 * closed and joined. The original sleeps a second a call; this sleeps 0.1 s.
 */
public final class PoolMapPids
{
    private PoolMapPids()
    {
    }

    /**
     * @param args ignored.
     * @throws Exception if a task fails or a wait is interrupted.
     */
    public static void main(final String[] args) throws Exception
    {
        System.out.println(Runtime.getRuntime().availableProcessors());
        final List<Integer> range = IntStream.range(0, 20).boxed().collect(Collectors.toList());
        final ProcessPool p = ProcessPool.create(5);
        p.map(PoolMapPids::func, range);
        p.close();
        p.join();
        System.out.println("====>");
    }

    private static Void func(final int i)
    {
        Pause.millis(100);
        System.out.println(i + " " + ProcessHandle.current().pid());
        return null;
    }
}
