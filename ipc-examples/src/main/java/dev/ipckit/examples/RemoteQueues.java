package dev.ipckit.examples;

import dev.ipckit.manager.Manager;
import dev.ipckit.manager.ManagerUnavailableException;
import dev.ipckit.process.IpcProcess;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The distributed task queue of CPython's docs: a master serves a task queue and a result queue on
 * {@code 127.0.0.1:<port>} with the key {@code abc} ({@code BaseManager.register('get_task', ...)});
 * workers, on this machine or another, connect, square the tasks and queue the results. The master
 * starts one worker itself unless given {@code --no-worker}.
 */
public final class RemoteQueues
{
    static final int DEFAULT_PORT = 5000;
    private static final byte[] AUTH_KEY = "abc".getBytes(StandardCharsets.US_ASCII);
    private static final BlockingQueue<Object> TASKS = new LinkedBlockingQueue<>();
    private static final BlockingQueue<Object> RESULTS = new LinkedBlockingQueue<>();

    private RemoteQueues()
    {
    }

    /**
     * The master: {@code remote-master [port] [--no-worker]}.
     *
     * @param args the port (default 5000), and {@code --no-worker} to leave the work to others.
     * @throws Exception if a wait is interrupted.
     */
    public static void master(final String[] args) throws Exception
    {
        final int port = port(args);
        final boolean startWorker = !java.util.Arrays.asList(args).contains("--no-worker");
        final Manager manager = Manager.builder()
            .address(new InetSocketAddress("127.0.0.1", port))
            .authKey(AUTH_KEY)
            .register("get_task", RemoteQueues::tasks, BlockingQueue.class)
            .register("get_result", RemoteQueues::results, BlockingQueue.class)
            .start();
        try
        {
            final BlockingQueue<Object> task = queue(manager, "get_task");
            final BlockingQueue<Object> result = queue(manager, "get_result");
            for (int value = 0; value < 10; value++)
            {
                final int n = ThreadLocalRandom.current().nextInt(0, 101);
                System.out.println("Put task " + n);
                task.put(n);
            }
            final IpcProcess worker = startWorker ? IpcProcess.start(() -> work(port)) : null;
            System.out.println("Try get result...");
            for (int value = 0; value < 10; value++)
            {
                final Object r = result.poll(10, TimeUnit.SECONDS);
                if (null == r)
                {
                    System.out.println("result is empty");
                    break;
                }
                System.out.println("Result: " + r);
            }
            if (null != worker)
            {
                worker.join(Duration.ofSeconds(30));
            }
        }
        finally
        {
            manager.shutdown();
        }
        System.out.println("master exit.");
    }

    /**
     * A worker: {@code remote-worker [port]}.
     *
     * @param args the master's port (default 5000).
     * @throws Exception if a wait is interrupted.
     */
    public static void worker(final String[] args) throws Exception
    {
        work(port(args));
    }

    private static void work(final int port) throws InterruptedException
    {
        final String serverAddr = "127.0.0.1";
        System.out.println("Connect to server " + serverAddr + "...");
        final Manager m = connect(new InetSocketAddress(serverAddr, port));
        final BlockingQueue<Object> task = queue(m, "get_task");
        final BlockingQueue<Object> result = queue(m, "get_result");
        for (int value = 0; value < 10; value++)
        {
            final Object next = task.poll(1, TimeUnit.SECONDS);
            if (null == next)
            {
                System.out.println("task queue is empty");
                continue;
            }
            final int n = (Integer)next;
            System.out.println("run task " + n + " * " + n + "...");
            result.put(n + " * " + n + " = " + n * n);
        }
        m.close();
        System.out.println("worker exit.");
    }

    /**
     * Connects, trying again for up to 30 s while the master is not serving yet.
     */
    private static Manager connect(final InetSocketAddress address) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true)
        {
            try
            {
                return Manager.connect(address, AUTH_KEY);
            }
            catch (final ManagerUnavailableException ex)
            {
                if (System.nanoTime() - deadline > 0)
                {
                    throw ex;
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static BlockingQueue<Object> queue(final Manager manager, final String typeId)
    {
        return manager.proxy(typeId, BlockingQueue.class);
    }

    private static BlockingQueue<Object> tasks()
    {
        return TASKS;
    }

    private static BlockingQueue<Object> results()
    {
        return RESULTS;
    }

    private static int port(final String[] args)
    {
        for (final String arg : args)
        {
            if (!arg.startsWith("--"))
            {
                return Integer.parseInt(arg);
            }
        }
        return DEFAULT_PORT;
    }
}
