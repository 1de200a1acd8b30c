package dev.ipckit.examples;

import dev.ipckit.process.IpcProcess;
import dev.ipckit.shm.SharedDouble;
import dev.ipckit.shm.SharedIntArray;

import java.io.Serializable;
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
        run(ValueArray::f);
    }

    /** What the child does with the shared double and the shared array. */
    interface Child extends Serializable
    {
        void run(SharedDouble n, SharedIntArray a);
    }

    /**
     * Makes a shared double (0.0) and a shared array (0..9), lets a child change them, prints both.
     *
     * @param child what the child does.
     * @throws InterruptedException if the wait is interrupted.
     */
    static void run(final Child child) throws InterruptedException
    {
        try (SharedDouble num = SharedDouble.create(0.0);
            SharedIntArray arr = SharedIntArray.create(IntStream.range(0, 10).toArray()))
        {
            final IpcProcess p = IpcProcess.start(() -> child.run(num, arr));
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
