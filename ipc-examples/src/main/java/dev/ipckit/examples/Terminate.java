package dev.ipckit.examples;

import dev.ipckit.process.IpcProcess;

/**
 * A child terminated at once and then joined (PyMOTW's {@code multiprocessing_terminate.py}):
 * the process is built, then started, terminated and joined, and its state is printed at each
 * step: {@code BEFORE: IpcProcess{name=IpcProcess-1, initial} false},
 * {@code DURING: IpcProcess{name=IpcProcess-1, pid=<pid>, started} true},
 * {@code TERMINATED: ... started} true} and {@code JOINED: ... exitCode=-15} false}. The child
 * prints {@code Starting worker} only if it got that far before the signal.
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
        final IpcProcess p = IpcProcess.builder().target(Terminate::slowWorker).build();
        System.out.println("BEFORE: " + p + " " + p.isAlive());

        p.start();
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
