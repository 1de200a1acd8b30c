package dev.ipckit.examples;

import dev.ipckit.process.ProcessPool;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * {@code Pool().map(func, range(10))}, one worker per processor, where each call prints its
 * argument, sleeps, prints the pid of its worker and returns its argument; then the parent prints
 * each result as {@code --> <i>}. Prints, in an order that varies, the numbers 0 to 9 and ten pids
 * (each number before the pid of the call that printed it), then {@code --> 0} to {@code --> 9} in
 * order. The original sleeps a second a call; this sleeps 0.1 s. Without the pid line it is the
 * tutorial's first version of the program.
 */
public final class PoolMapPrints
{
    private PoolMapPrints()
    {
    }

    /**
     * @param args ignored.
     * @throws Exception if a task fails or a wait is interrupted.
     */
    public static void main(final String[] args) throws Exception
    {
        try (ProcessPool p = ProcessPool.create())
        {
            final List<Integer> ret = p.map(PoolMapPrints::func,
                IntStream.range(0, 10).boxed().collect(Collectors.toList()));
            for (final int i : ret)
            {
                System.out.println("--> " + i);
            }
        }
    }

    private static int func(final int q)
    {
        System.out.println(q);
        Pause.millis(100);
        System.out.println(ProcessHandle.current().pid());
        return q;
    }
}
