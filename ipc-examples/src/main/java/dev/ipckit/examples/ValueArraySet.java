package dev.ipckit.examples;

import dev.ipckit.shm.SharedDouble;
import dev.ipckit.shm.SharedIntArray;

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
        ValueArray.run(ValueArraySet::f);
    }

    private static void f(final SharedDouble n, final SharedIntArray a)
    {
        n.set(3.14);
        a.set(0, 5);
    }
}
