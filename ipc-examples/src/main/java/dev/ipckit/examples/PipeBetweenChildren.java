package dev.ipckit.examples;

import dev.ipckit.pipe.Connection;
import dev.ipckit.pipe.Pipe;
import dev.ipckit.process.IpcProcess;

import java.io.IOException;

/**
 * One duplex pipe, an end to each of two children: the first sends {@code hello} and prints what
 * it gets back, the second prints what it gets and answers {@code hello, too}. Prints
 * {@code proc2 rec: hello}, then {@code proc1 rec: hello, too}.
 */
public final class PipeBetweenChildren
{
    private PipeBetweenChildren()
    {
    }

    /**
     * @param args ignored.
     * @throws Exception if a wait is interrupted.
     */
    public static void main(final String[] args) throws Exception
    {
        final Pipe pipe = Pipe.open();
        final Connection end0 = pipe.left();
        final Connection end1 = pipe.right();

        final IpcProcess p1 = IpcProcess.start(() -> proc1(end0));
        final IpcProcess p2 = IpcProcess.start(() -> proc2(end1));
        p1.join();
        p2.join();
    }

    private static void proc1(final Connection pipe) throws IOException
    {
        pipe.send("hello");
        System.out.println("proc1 rec: " + pipe.recv());
    }

    private static void proc2(final Connection pipe) throws IOException
    {
        System.out.println("proc2 rec: " + pipe.recv());
        pipe.send("hello, too");
    }
}
