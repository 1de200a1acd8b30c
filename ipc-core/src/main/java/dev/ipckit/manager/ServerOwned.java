package dev.ipckit.manager;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A server-side object that a server thread can own on behalf of its client (a lock): when the
 * client's connection drops, the thread that served it releases what it still holds.
 */
interface ServerOwned
{
    /** What the current server thread has taken, to release if its connection drops. */
    ThreadLocal<Set<ServerOwned>> TAKEN = ThreadLocal.withInitial(LinkedHashSet::new);

    /**
     * Releases every hold the current thread has.
     */
    void releaseHeldByCurrentThread();

    static void touched(final ServerOwned owned)
    {
        TAKEN.get().add(owned);
    }

    static void releaseAllOfCurrentThread()
    {
        final Set<ServerOwned> taken = TAKEN.get();
        for (final ServerOwned owned : taken)
        {
            owned.releaseHeldByCurrentThread();
        }
        taken.clear();
        TAKEN.remove();
    }
}
