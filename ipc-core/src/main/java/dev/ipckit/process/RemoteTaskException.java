package dev.ipckit.process;

/**
 * Stands in for an exception a pool task threw that could not be serialised back to the parent:
 * it carries the original's class name, message and stack trace (the worker's).
 */
public final class RemoteTaskException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /** The class name of the exception the task threw. */
    private final String originalClass;

    /**
     * @param original the exception the task threw.
     */
    public RemoteTaskException(final Throwable original)
    {
        super(original.getClass().getName() + ": " + original.getMessage());
        this.originalClass = original.getClass().getName();
        setStackTrace(original.getStackTrace());
    }

    /**
     * @return the class name of the exception the task threw.
     */
    public String originalClass()
    {
        return originalClass;
    }
}
