package dev.ipckit.modules;

import dev.ipckit.IpcException;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.shm.SharedInt;

import java.time.Duration;

/**
 * A program run with ipckit's jars on the module path (this class stays on the class path, in a
 * package no ipckit module holds). Exits 0 when a shared value and a child both worked, 3 with the
 * message on standard output when shared memory refused for a missing flag, 4 when the child
 * misbehaved.
 */
public final class ModulePathMain
{
    private ModulePathMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        try (SharedInt value = SharedInt.create(0))
        {
            final IpcProcess child = IpcProcess.start(() -> value.set(SharedInt.class.getModule().isNamed() ? 42 : 7));
            final boolean exited = child.join(Duration.ofSeconds(30));
            System.out.println("module=" + SharedInt.class.getModule().getName() + " child exitCode=" +
                child.exitCode() + " value=" + value.get());
            System.exit(exited && Integer.valueOf(0).equals(child.exitCode()) && 42 == value.get() ? 0 : 4);
        }
        catch (final IpcException ex)
        {
            System.out.println(ex.getMessage());
            System.exit(3);
        }
    }
}
