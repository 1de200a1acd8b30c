package dev.ipckit.examples;

import dev.ipckit.process.IpcProcess;

import java.util.concurrent.CompletableFuture;

/**
 * aiomultiprocess's {@code Process} with an async target (003-BE): two child processes each print
 * {@code [pid] process N starts working}, wait (the original's {@code await asyncio.sleep(1)},
 * shortened to half a second) and print {@code [pid] process N finished working}; the parent
 * builds both, starts both, and awaits both exits as futures ({@code await process.join()}).
 * The original prints {@code [pid] 进程N 开始工作} and {@code [pid] 进程N 完成工作}; the value
 * its target returns is dropped by a {@code Process}, as here ({@code async-worker} keeps it).
 */
public final class AsyncProcess
{
    private AsyncProcess()
    {
    }

    /**
     * @param args ignored.
     * @throws Exception if a wait is interrupted.
     */
    public static void main(final String[] args) throws Exception
    {
        final IpcProcess process1 = IpcProcess.builder().target(() -> asyncProcessTask("process 1")).build();
        final IpcProcess process2 = IpcProcess.builder().target(() -> asyncProcessTask("process 2")).build();

        process1.start();
        process2.start();

        CompletableFuture.allOf(process1.onExit(), process2.onExit()).get();
    }

    static String asyncProcessTask(final String name) throws InterruptedException
    {
        final long pid = ProcessHandle.current().pid();
        System.out.println("[" + pid + "] " + name + " starts working");
        Thread.sleep(500);
        System.out.println("[" + pid + "] " + name + " finished working");
        return "result from [" + pid + "] " + name;
    }
}
