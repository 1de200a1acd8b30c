package dev.ipckit.examples;

import dev.ipckit.pipe.Connection;
import dev.ipckit.pipe.Pipe;
import dev.ipckit.process.IpcProcess;

import java.io.IOException;

/**
 * Both ends of a duplex pipe send and receive: the child greets the parent, the parent replies.
 */
public final class PipeDuplex
{
    private PipeDuplex()
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
        final IpcProcess child = IpcProcess.builder().name("child").target(() -> talk(childConn)).start();

        final String greeting = parentConn.recv();
        System.out.println(IpcProcess.currentName() + " received: " + greeting);
        parentConn.send("hello from " + IpcProcess.currentName());
        child.join();
        parentConn.close();
    }

    private static void talk(final Connection conn) throws IOException
    {
        conn.send("hello from " + IpcProcess.currentName());
        final String reply = conn.recv();
        System.out.println(IpcProcess.currentName() + " received: " + reply);
        conn.close();
    }
}
