package dev.ipckit.examples;

import dev.ipckit.process.IpcProcess;
import dev.ipckit.shm.SharedDouble;
import dev.ipckit.shm.SharedIntArray;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * The shared memory example of Python's {@code multiprocessing} documentation: a child sets a
 * shared double and negates a shared array of ints, the parent prints both.
 */
public final class ValueArray
{
    private ValueArray()
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
        n.set(3.1415927);
        for (int i = 0; i < a.length(); i++)
        {
            a.set(i, -a.get(i));
        }
    }
}
