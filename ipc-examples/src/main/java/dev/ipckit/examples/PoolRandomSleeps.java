package dev.ipckit.examples;

import dev.ipckit.process.ProcessPool;
import dev.ipckit.process.SerializableCallable;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Three functions on a pool of four workers, each printing its worker's pid, sleeping at random
 * (up to 10, 20 and 30 s in the original; 0.1, 0.2 and 0.3 s here) and printing how long it ran.
 * Prints {@code 父进程 ---> <pid>} ("parent process"); then, in an order that varies,
 * {@code 等待字进程...} ("waiting for the children") and, for each of {@code func_1} to
 * {@code func_3}, {@code func_<n> ---> <pid>} before {@code func_<n> ---> 运行 <seconds>秒}
 * ("ran for ... seconds"); then {@code 所有进程都完成} ("all processes are done").
 */
public final class PoolRandomSleeps
{
    private PoolRandomSleeps()
    {
    }

    /**
     * @param args ignored.
     * @throws Exception if a wait is interrupted.
     */
    public static void main(final String[] args) throws Exception
    {
        final List<SerializableCallable<Void>> funcList =
            List.of(PoolRandomSleeps::func1, PoolRandomSleeps::func2, PoolRandomSleeps::func3);
        System.out.println("父进程 ---> " + ProcessHandle.current().pid());

        final ProcessPool pool = ProcessPool.create(4);
        for (final SerializableCallable<Void> func : funcList)
        {
            pool.applyAsync(func);
        }

        System.out.println("等待字进程...");
        pool.close();
        pool.join();
        System.out.println("所有进程都完成");
    }

    private static Void func1() throws InterruptedException
    {
        return run("func_1", 100);
    }

    private static Void func2() throws InterruptedException
    {
        return run("func_2", 200);
    }

    private static Void func3() throws InterruptedException
    {
        return run("func_3", 300);
    }

    private static Void run(final String name, final int maxMillis) throws InterruptedException
    {
        System.out.println(name + " ---> " + ProcessHandle.current().pid());
        final long start = System.nanoTime();
        Thread.sleep((long)(ThreadLocalRandom.current().nextDouble() * maxMillis));
        final long end = System.nanoTime();
        System.out.println(name + " ---> 运行 " + (end - start) / 1e9 + "秒");
        return null;
    }
}
