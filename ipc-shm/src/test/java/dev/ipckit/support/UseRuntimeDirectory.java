package dev.ipckit.support;

import dev.ipckit.IpcException;
import dev.ipckit.RuntimeDirectory;

/** A {@code main} that uses the runtime directory: exits 0, or prints why not and exits 1. */
public final class UseRuntimeDirectory
{
    private UseRuntimeDirectory()
    {
    }

    public static void main(final String[] args)
    {
        try
        {
            System.out.println(RuntimeDirectory.path());
        }
        catch (final IpcException ex)
        {
            System.out.println(ex.getMessage());
            System.exit(1);
        }
    }
}
