package dev.ipckit.examples;

import dev.ipckit.process.IpcProcess;

import java.time.Duration;

/**
 * A daemon child outlives a join with a timeout but not its parent: it never prints its exit
 * line (PyMOTW's {@code multiprocessing_daemon_join_timeout.py}).
 */
public final class DaemonJoinTimeout
{
    private DaemonJoinTimeout()
    {
    }

    /**
     * @param args ignored.
     * @throws Exception if a wait is interrupted.
     */
    public static void main(final String[] args) throws Exception
    {
        final IpcProcess d = IpcProcess.builder().name("daemon").daemon(true).target(DaemonJoinTimeout::daemon).start();
        final IpcProcess n = IpcProcess.builder().name("non-daemon").target(DaemonJoinTimeout::nonDaemon).start();

        d.join(Duration.ofSeconds(1));
        System.out.println("d.is_alive() " + d.isAlive());
        n.join();
    }

    private static void daemon() throws InterruptedException
    {
        final String name = IpcProcess.currentName();
        System.out.println("Starting: " + name);
        Thread.sleep(2_000);
        System.out.println("Exiting : " + name);
    }

    private static void nonDaemon()
    {
        final String name = IpcProcess.currentName();
        System.out.println("Starting: " + name);
        System.out.println("Exiting : " + name);
    }
}
