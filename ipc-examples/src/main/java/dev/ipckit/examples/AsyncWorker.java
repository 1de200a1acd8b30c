package dev.ipckit.examples;

import dev.ipckit.process.IpcProcess;

import java.util.concurrent.CompletableFuture;

/**
 * aiomultiprocess's {@code Worker}, a process whose result the parent awaits (003-BG): two children
 * run the task of {@code async-process} and return {@code result from [pid] process N}; the parent
 * awaits both futures ({@link IpcProcess#supply}) and prints {@code result_1: result from [pid]
 * process 1} and {@code result_2: ...}, with the children's pids. The original prints
 * {@code result_1: 结果来自 [pid] 进程1}.
 */
public final class AsyncWorker
{
    private AsyncWorker()
    {
    }

    /**
     * @param args ignored.
     * @throws Exception if a child fails, or a wait is interrupted.
     */
    public static void main(final String[] args) throws Exception
    {
        final CompletableFuture<String> worker1 = IpcProcess.supply(() -> AsyncProcess.asyncProcessTask("process 1"));
        final CompletableFuture<String> worker2 = IpcProcess.supply(() -> AsyncProcess.asyncProcessTask("process 2"));

        CompletableFuture.allOf(worker1, worker2).exceptionally(failure -> null).get();

        final String result1 = worker1.get();
        final String result2 = worker2.get();

        System.out.println("result_1: " + result1);
        System.out.println("result_2: " + result2);
    }
}
