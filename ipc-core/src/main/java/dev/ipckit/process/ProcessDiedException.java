package dev.ipckit.process;

import dev.ipckit.IpcException;

/**
 * A child started by {@link IpcProcess#supply(SerializableCallable)} exited without returning a
 * result (killed, {@code System.exit}, a crash): its future fails with this.
 */
public final class ProcessDiedException extends IpcException
{
    private static final long serialVersionUID = 1L;

    /** The process id of the child. */
    private final long pid;
    /** Its exit code, {@code null} if it could not be learnt. */
    private final Integer exitCode;

    /**
     * @param name     the process's name.
     * @param pid      its process id.
     * @param exitCode its exit code, {@code null} if it could not be learnt.
     */
    public ProcessDiedException(final String name, final long pid, final Integer exitCode)
    {
        super("process " + name + " (pid=" + pid + ") exited with exitCode=" + exitCode +
            " before it returned a result");
        this.pid = pid;
        this.exitCode = exitCode;
    }

    /**
     * @return the dead process's id.
     */
    public long pid()
    {
        return pid;
    }

    /**
     * @return its exit code ({@code -9} for SIGKILL...), or {@code null} if unknown.
     */
    public Integer exitCode()
    {
        return exitCode;
    }
}
