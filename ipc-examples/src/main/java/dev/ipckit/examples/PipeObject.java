package dev.ipckit.examples;

import dev.ipckit.pipe.Connection;
import dev.ipckit.pipe.Pipe;
import dev.ipckit.process.IpcProcess;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * The pipe example of Python's {@code multiprocessing} documentation: a child sends a list, the
 * parent prints it.
 */
public final class PipeObject
{
    private PipeObject()
    {
    }

    /**
     * @param args ignored.
     * @throws Exception if the pipe fails or the wait is interrupted.
     */
    public static void main(final String[] args) throws Exception
    {
        final Pipe pipe = Pipe.open();
        final Connection parentConn = pipe.left();
        final Connection childConn = pipe.right();
        final IpcProcess p = IpcProcess.start(() -> f(childConn));

        final List<Object> received = parentConn.recv();
        System.out.println(received);
        p.join();
        parentConn.close();
    }

    private static void f(final Connection conn) throws IOException
    {
        conn.send(Arrays.asList(42, null, "hello"));
        conn.close();
    }
}
