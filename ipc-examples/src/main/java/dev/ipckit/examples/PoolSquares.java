package dev.ipckit.examples;

import dev.ipckit.process.ProcessPool;

import java.util.List;

/**
 * {@code Pool(5).map(f, [1, 2, ..., 10])} with {@code f(x) = x**2}: prints
 * {@code [1, 4, 9, 16, 25, 36, 49, 64, 81, 100]}.
 */
public final class PoolSquares
{
    private PoolSquares()
    {
    }

    /**
     * @param args ignored.
     * @throws Exception if a task fails or a wait is interrupted.
     */
    public static void main(final String[] args) throws Exception
    {
        try (ProcessPool pool = ProcessPool.create(5))
        {
            final List<Integer> rel = pool.map(PoolSquares::f, List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
            System.out.println(rel);
        }
    }

    private static int f(final int x)
    {
        return x * x;
    }
}
