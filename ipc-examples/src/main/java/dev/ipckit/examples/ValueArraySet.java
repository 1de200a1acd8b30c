package dev.ipckit.examples;

import dev.ipckit.process.IpcProcess;
import dev.ipckit.shm.SharedDouble;
import dev.ipckit.shm.SharedIntArray;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * A shared double and a shared array of ints, set by a child: prints {@code 3.14}, then
 * {@code [5, 1, 2, 3, 4, 5, 6, 7, 8, 9]}.
 */
public final class ValueArraySet
{
    private ValueArraySet()
    {
    }

    /**
     * @param args ignored.
     * @throws Exception if the wait is interrupted.
     */
    public static void main(final String[] args) throws Exception
    {
        try (SharedDouble num = SharedDouble.create(0.0);
            SharedIntArray arr = SharedIntArray.create(IntStream.range(0, 10).toArray()))
        {
            final IpcProcess p = IpcProcess.start(() -> f(num, arr));
            p.join();

            System.out.println(num.get());
            System.out.println(Arrays.toString(arr.toArray()));
        }
    }

    private static void f(final SharedDouble n, final SharedIntArray a)
    {
        n.set(3.14);
        a.set(0, 5);
    }
}
