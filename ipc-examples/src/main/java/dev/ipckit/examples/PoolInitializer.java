package dev.ipckit.examples;

import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.ProcessPool;
import dev.ipckit.sync.IpcSemaphore;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A pool with an initializer (PyMOTW's {@code multiprocessing_pool.py}): two workers per
 * processor, each printing {@code Starting <its name>} when it starts. Prints
 * {@code Inputs  : [0, 1, ..., 9]}, {@code Build-In : [0, 2, ..., 18]} (Java's own map), then, in
 * an order that varies, a line of twenty dashes and one {@code Starting ProcessPool-1-Worker-<n>}
 * per worker, then {@code Pool  : [0, 2, ..., 18]}.
 * <p>
 * A forked Python worker runs its initializer at once, so every worker prints its line before the
 * pool is joined. An ipckit worker is a JVM that takes a while to start, and {@link ProcessPool#close()}
 * stops the workers that have not started by then (the work is done); so the initializer also
 * releases a semaphore, and the parent waits until every worker has before it closes the pool.
 */
public final class PoolInitializer
{
    private PoolInitializer()
    {
    }

    /**
     * @param args ignored.
     * @throws Exception if a task fails or a wait is interrupted.
     */
    public static void main(final String[] args) throws Exception
    {
        final List<Integer> inputs = IntStream.range(0, 10).boxed().collect(Collectors.toList());
        System.out.println("Inputs  : " + inputs);

        final List<Integer> builtinOutput = inputs.stream().map(PoolInitializer::doCalculation).toList();
        System.out.println("Build-In : " + builtinOutput);

        final int poolSize = Runtime.getRuntime().availableProcessors() * 2;
        try (IpcSemaphore started = IpcSemaphore.create(0))
        {
            final ProcessPool pool = ProcessPool.builder()
                .processes(poolSize)
                .initializer(() -> startProcess(started))
                .build();
            System.out.println("-".repeat(20));
            final List<Integer> poolOutputs = pool.map(PoolInitializer::doCalculation, inputs);
            for (int i = 0; i < poolSize; i++)
            {
                started.acquire();
            }
            pool.close();
            pool.join();

            System.out.println("Pool  : " + poolOutputs);
        }
    }

    private static int doCalculation(final int data)
    {
        return data * 2;
    }

    private static void startProcess(final IpcSemaphore started)
    {
        System.out.println("Starting " + IpcProcess.currentName());
        started.release();
    }
}
