package dev.ipckit.examples;

import dev.ipckit.pipe.Connection;
import dev.ipckit.pipe.Pipe;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.Task;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The exit code of a child that calls {@code System.exit(1)}, returns, returns a value, throws, or
 * is terminated (PyMOTW's {@code multiprocessing_exitcode.py}).
 */
public final class ExitCodes
{
    private ExitCodes()
    {
    }

    /**
     * @param args ignored.
     * @throws Exception if the pipe fails or a wait is interrupted.
     */
    public static void main(final String[] args) throws Exception
    {
        final List<IpcProcess> jobs = new ArrayList<>();
        jobs.add(start("exit_error", ExitCodes::exitError));
        jobs.add(start("exit_ok", ExitCodes::exitOk));
        jobs.add(start("return_value", ExitCodes::returnValue));
        jobs.add(start("raises", ExitCodes::raises));
        final Pipe ready = Pipe.open(false);
        final Connection readyOut = ready.right();
        jobs.add(start("terminated", () -> terminated(readyOut)));

        // A JVM sent SIGTERM while it boots may exit with 1 rather than -15: terminate it once it sleeps.
        try (Connection readyIn = ready.left())
        {
            readyIn.recv();
        }
        jobs.get(jobs.size() - 1).terminate();

        for (final IpcProcess j : jobs)
        {
            j.join();
            System.out.println(String.format("%15s.exitcode = %d", j.name(), j.exitCode()));
        }
    }

    private static IpcProcess start(final String name, final Task target)
    {
        System.out.println("Starting process for " + name);
        return IpcProcess.builder().name(name).target(target).start();
    }

    private static void exitError()
    {
        System.exit(1);
    }

    private static void exitOk()
    {
    }

    private static int returnValue()
    {
        return 1;
    }

    private static void raises()
    {
        throw new RuntimeException("There was an error!");
    }

    private static void terminated(final Connection ready) throws IOException, InterruptedException
    {
        ready.send("sleeping");
        Thread.sleep(3_000);
    }
}
