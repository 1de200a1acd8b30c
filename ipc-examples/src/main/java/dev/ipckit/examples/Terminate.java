package dev.ipckit.examples;

import dev.ipckit.process.IpcProcess;

/**
 * A child terminated at once and then joined: prints
 * {@code BEFORE: <process> false}, {@code DURING: <process> true},
 * {@code TERMINATED: <process> true} and {@code JOINED: <process> false}, the last with exit
 * code -15 (PyMOTW's {@code multiprocessing_terminate.py}). The child prints
 * {@code Starting worker} only if it got that far before the signal.
 * <p>
 * Python creates the process object before it starts it, so {@code BEFORE} shows an unstarted
 * process. {@link IpcProcess} has no unstarted state yet ({@code IpcProcess.builder()...build()}
 * is to come): the {@code BEFORE} line describes the process about to start, as Python's would.
 */
public final class Terminate
{
    private Terminate()
    {
    }

    /**
     * @param args ignored.
     * @throws Exception if a wait is interrupted.
     */
    public static void main(final String[] args) throws Exception
    {
        final String name = "slow_worker";
        System.out.println("BEFORE: IpcProcess{name=" + name + ", initial} " + false);

        final IpcProcess p = IpcProcess.builder().name(name).target(Terminate::slowWorker).start();
        System.out.println("DURING: " + p + " " + p.isAlive());

        p.terminate();
        System.out.println("TERMINATED: " + p + " " + p.isAlive());

        p.join();
        System.out.println("JOINED: " + p + " " + p.isAlive());
    }

    private static void slowWorker() throws InterruptedException
    {
        System.out.println("Starting worker");
        Thread.sleep(100);
        System.out.println("Finished worker");
    }
}
