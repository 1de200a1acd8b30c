package dev.ipckit.process;

/**
 * The pool worker that was running a task died before it finished (killed, {@code System.exit},
 * out of memory...): the task's result fails with this, which names the worker's pid and exit
 * code ({@link #pid()}, {@link #exitCode()}). The pool replaces the worker.
 */
public final class WorkerDiedException extends ProcessDiedException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param worker   the worker's name.
     * @param pid      its process id.
     * @param exitCode its exit code, {@code null} if it could not be learnt.
     */
    public WorkerDiedException(final String worker, final long pid, final Integer exitCode)
    {
        super(pid, exitCode, "pool worker " + worker + " (pid=" + pid + ") died with exitCode=" + exitCode +
            " before it finished the task");
    }
}
