package dev.ipckit.examples;

import dev.ipckit.pipe.Connection;
import dev.ipckit.pipe.Pipe;
import dev.ipckit.process.IpcProcess;

import java.io.EOFException;
import java.io.IOException;

/**
 * A reader child prints every message it receives until the parent closes its end: each process
 * first closes the end it does not use, so the reader sees the end of the stream.
 */
public final class PipeEof
{
    private PipeEof()
    {
    }

    /**
     * @param args ignored.
     * @throws Exception if the pipe fails or the wait is interrupted.
     */
    public static void main(final String[] args) throws Exception
    {
        final Pipe pipe = Pipe.open();
        final Connection output = pipe.left();
        final Connection input = pipe.right();
        final IpcProcess reader = IpcProcess.start(() -> reader(output, input));

        output.close();
        for (int i = 0; i < 5; i++)
        {
            input.send("hello " + i);
        }
        input.close();
        reader.join();
    }

    private static void reader(final Connection output, final Connection input) throws IOException
    {
        input.close();
        while (true)
        {
            final Object message;
            try
            {
                message = output.recv();
            }
            catch (final EOFException ex)
            {
                break;
            }
            System.out.println(message);
        }
    }
}
