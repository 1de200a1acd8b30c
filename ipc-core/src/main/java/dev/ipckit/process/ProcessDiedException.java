package dev.ipckit.process;

import dev.ipckit.IpcException;

/**
 * A child process died before it delivered what it was started for (killed, {@code System.exit},
 * a crash): a child started by {@link IpcProcess#supply(SerializableCallable)} fails its future
 * with this; a {@link ProcessPool} worker fails the task it was running with a
 * {@link WorkerDiedException}, the pool's kind of it. Either names the process's pid and exit code.
 */
public sealed class ProcessDiedException extends IpcException permits WorkerDiedException
{
    private static final long serialVersionUID = 1L;

    /** The dead process's id. */
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
        this(pid, exitCode, "process " + name + " (pid=" + pid + ") exited with exitCode=" + exitCode +
            " before it returned a result");
    }

    /**
     * For the kinds of it that say what the process was doing.
     *
     * @param pid      its process id.
     * @param exitCode its exit code, {@code null} if it could not be learnt.
     * @param message  the message.
     */
    ProcessDiedException(final long pid, final Integer exitCode, final String message)
    {
        super(message);
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
