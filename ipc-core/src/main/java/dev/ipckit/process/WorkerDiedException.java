package dev.ipckit.process;

import dev.ipckit.IpcException;

/**
 * The pool worker that was running a task died before it finished (killed, {@code System.exit},
 * out of memory...): the task's result fails with this. The pool replaces the worker.
 */
public final class WorkerDiedException extends IpcException
{
    private static final long serialVersionUID = 1L;

    /** The dead worker's process id. */
    private final long pid;
    /** The dead worker's exit code, {@code null} if it could not be learnt. */
    private final Integer exitCode;

    /**
     * @param worker   the worker's name.
     * @param pid      its process id.
     * @param exitCode its exit code, {@code null} if it could not be learnt.
     */
    public WorkerDiedException(final String worker, final long pid, final Integer exitCode)
    {
        super("pool worker " + worker + " (pid=" + pid + ") died with exitCode=" + exitCode +
            " before it finished the task");
        this.pid = pid;
        this.exitCode = exitCode;
    }

    /**
     * @return the dead worker's process id.
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
