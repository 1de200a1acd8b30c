package dev.ipckit.bench;

import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.ProcessPool;

import java.util.ArrayList;
import java.util.List;

/**
 * Whole short programs, timed from outside ({@code /usr/bin/time}) by {@code compare.sh short}
 * next to the same programs in CPython ({@code baseline/py_short_programs.py}); the
 * {@code shared-counter} program is the ipc-examples demo. Each prints its result:
 * <pre>
 * ShortPrograms pool-map           Pool(2), one map of x*x over 100 000 ints in chunks of 256, exit
 * ShortPrograms pool-start-ten     Pool(2) start, one apply, close: ten times
 * ShortPrograms empty-children N   N children with an empty task, each started and joined in turn
 * </pre>
 */
public final class ShortPrograms
{
    private static final int MAP_ELEMENTS = 100_000;
    private static final int MAP_CHUNK = 256;
    private static final int POOLS = 10;

    private ShortPrograms()
    {
    }

    /**
     * @param args the program and its argument, see the class documentation.
     * @throws Exception if a task fails or a wait is interrupted.
     */
    public static void main(final String[] args) throws Exception
    {
        switch (args.length > 0 ? args[0] : "")
        {
            case "pool-map":
                poolMap();
                break;
            case "pool-start-ten":
                poolStartTen();
                break;
            case "empty-children":
                emptyChildren(Integer.parseInt(args[1]));
                break;
            default:
                System.err.println("usage: ShortPrograms pool-map | pool-start-ten | empty-children N");
                System.exit(2);
        }
    }

    private static void poolMap() throws InterruptedException
    {
        final List<Integer> xs = new ArrayList<>(MAP_ELEMENTS);
        for (int i = 0; i < MAP_ELEMENTS; i++)
        {
            xs.add(i);
        }
        try (ProcessPool pool = ProcessPool.create(2))
        {
            final List<Long> squares = pool.map(x -> (long)x * x, xs, MAP_CHUNK);
            System.out.println(squares.get(MAP_ELEMENTS - 1));
        }
    }

    private static void poolStartTen() throws InterruptedException
    {
        int sum = 0;
        for (int i = 0; i < POOLS; i++)
        {
            try (ProcessPool pool = ProcessPool.create(2))
            {
                sum += pool.apply(() -> 1);
            }
        }
        System.out.println(sum);
    }

    private static void emptyChildren(final int count) throws InterruptedException
    {
        int failed = 0;
        for (int i = 0; i < count; i++)
        {
            final IpcProcess child = IpcProcess.start(() -> { });
            child.join();
            failed += 0 == child.exitCode() ? 0 : 1;
        }
        System.out.println(failed);
    }
}
