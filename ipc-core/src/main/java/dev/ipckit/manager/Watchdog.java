package dev.ipckit.manager;

import dev.ipckit.pipe.Connection;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stops a blocking managed call (a queue {@code get}, a lock, a wait) whose client went away: every
 * 100 ms it polls the connection of each such call, and a connection that has ended (or carries
 * something, which a client waiting for its reply never sends) gets its server thread interrupted.
 * Without it, a client killed while waiting would leave a server thread that later takes an item
 * nobody receives.
 * <p>
 * <b>Note:</b> thread-safe.
 */
final class Watchdog
{
    private static final long PERIOD_MILLIS = 100;
    private static final int RUNNING = 0;
    private static final int DONE = 1;
    private static final int CANCELLED = 2;

    /** One blocking call in progress. */
    static final class Call
    {
        private final Thread thread = Thread.currentThread();
        private final Connection connection;
        private final AtomicInteger state = new AtomicInteger(RUNNING);

        private Call(final Connection connection)
        {
            this.connection = connection;
        }
    }

    private final Set<Call> calls = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean stopped;

    Watchdog(final String name)
    {
        thread = new Thread(this::watch, name);
        thread.setDaemon(true);
        thread.start();
    }

    Call begin(final Connection connection)
    {
        final Call call = new Call(connection);
        calls.add(call);
        return call;
    }

    /**
     * Ends a call; clears the interrupt the watchdog may have sent it.
     */
    void end(final Call call)
    {
        calls.remove(call);
        if (!call.state.compareAndSet(RUNNING, DONE))
        {
            synchronized (call)
            {
                Thread.interrupted();
            }
        }
    }

    void stop()
    {
        stopped = true;
        thread.interrupt();
    }

    private void watch()
    {
        while (!stopped)
        {
            try
            {
                TimeUnit.MILLISECONDS.sleep(PERIOD_MILLIS);
            }
            catch (final InterruptedException ex)
            {
                return;
            }
            for (final Call call : calls)
            {
                if (RUNNING == call.state.get() && clientGone(call.connection))
                {
                    synchronized (call)
                    {
                        if (call.state.compareAndSet(RUNNING, CANCELLED))
                        {
                            call.thread.interrupt();
                        }
                    }
                }
            }
        }
    }

    private static boolean clientGone(final Connection connection)
    {
        try
        {
            return connection.poll();
        }
        catch (final Exception ex)
        {
            return true;
        }
    }
}
