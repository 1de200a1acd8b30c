package dev.ipckit.process;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads for waiting work (IO, sleeps, blocking ipckit calls): virtual threads on a JDK that has
 * them (21+), found at run time since ipckit is compiled for Java 17; daemon platform threads
 * otherwise. Python's coroutines and greenlets map onto these.
 * <p>
 * <b>Note:</b> thread-safe.
 */
public final class VirtualThreads
{
    private static final MethodHandle NEW_PER_TASK_EXECUTOR = perTaskExecutorHandle();
    private static final AtomicInteger PLATFORM_THREADS = new AtomicInteger();

    private VirtualThreads()
    {
    }

    /**
     * @return whether this JDK has virtual threads (JDK 21 or later).
     */
    public static boolean available()
    {
        return null != NEW_PER_TASK_EXECUTOR;
    }

    /**
     * An executor that runs each task in a new thread: a virtual thread where the JDK has them,
     * else a daemon platform thread named {@code name-<n>}; {@code close()} or {@code shutdown()}
     * it when done.
     *
     * @param name the name of its platform threads.
     * @return the executor.
     */
    public static ExecutorService perTaskExecutor(final String name)
    {
        if (null != NEW_PER_TASK_EXECUTOR)
        {
            try
            {
                return (ExecutorService)NEW_PER_TASK_EXECUTOR.invokeExact();
            }
            catch (final RuntimeException | Error ex)
            {
                throw ex;
            }
            catch (final Throwable impossible)
            {
                throw new IllegalStateException(impossible);
            }
        }
        return Executors.newCachedThreadPool(daemonThreads(name));
    }

    static ThreadFactory daemonThreads(final String name)
    {
        return runnable ->
        {
            final Thread thread = new Thread(runnable, name + "-" + PLATFORM_THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static MethodHandle perTaskExecutorHandle()
    {
        try
        {
            return MethodHandles.publicLookup().findStatic(Executors.class, "newVirtualThreadPerTaskExecutor",
                MethodType.methodType(ExecutorService.class));
        }
        catch (final NoSuchMethodException | IllegalAccessException beforeJdk21)
        {
            return null;
        }
    }
}
