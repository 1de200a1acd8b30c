package dev.ipckit.examples;

import dev.ipckit.manager.Manager;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.sync.IpcLock;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Children each take one from {@code count} in a manager's dict, under a lock, and the parent prints
 * the dict: CPython's {@code Manager().dict({'count': 100})} with {@code Process(target=work,
 * args=(dic, lock))}. With a hundred children it prints {@code {count=0}}, with twenty {@code {count=80}}.
 */
public final class ManagerDict
{
    private ManagerDict()
    {
    }

    /**
     * @param children how many children decrement the count.
     * @throws Exception if a wait is interrupted.
     */
    public static void run(final int children) throws Exception
    {
        try (Manager m = Manager.start(); IpcLock lock = IpcLock.create())
        {
            final Map<String, Integer> dic = m.dict(Map.of("count", 100));
            final List<IpcProcess> processes = new ArrayList<>();
            for (int i = 0; i < children; i++)
            {
                processes.add(IpcProcess.start(() -> work(dic, lock)));
            }
            for (final IpcProcess p : processes)
            {
                p.join();
            }
            System.out.println(dic);
        }
    }

    private static void work(final Map<String, Integer> dic, final IpcLock lock)
    {
        lock.lock();
        try
        {
            dic.put("count", dic.get("count") - 1);
        }
        finally
        {
            lock.unlock();
        }
    }
}
