package dev.ipckit.examples;

import dev.ipckit.manager.ManagedValue;
import dev.ipckit.manager.Manager;
import dev.ipckit.process.IpcProcess;

import java.util.List;

/**
 * A child sets a manager's Value, the first element of its Array and appends to its list; the
 * parent prints all three: {@code 3.14}, {@code [5, 1, 2, ..., 9]}, {@code [Hello]}.
 */
public final class ManagerObjects
{
    private ManagerObjects()
    {
    }

    /**
     * @param args ignored.
     * @throws Exception if a wait is interrupted.
     */
    public static void main(final String[] args) throws Exception
    {
        try (Manager server = Manager.start())
        {
            final ManagedValue<Double> x = server.value(0.0);
            final List<Integer> arr = server.array(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
            final List<String> l = server.list();

            final IpcProcess proc = IpcProcess.start(() -> f(x, arr, l));
            proc.join();

            System.out.println(x.get());
            System.out.println(arr);
            System.out.println(l);
        }
    }

    private static void f(final ManagedValue<Double> x, final List<Integer> arr, final List<String> l)
    {
        x.set(3.14);
        arr.set(0, 5);
        l.add("Hello");
    }
}
