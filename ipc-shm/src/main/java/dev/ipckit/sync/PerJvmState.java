package dev.ipckit.sync;

import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Supplier;

/**
 * State that every handle of one shared primitive in this JVM must share (which thread holds a
 * lock), kept for as long as any handle holds it:
 * the map holds it weakly, so primitives a program has dropped do not pile up.
 * <p>
 * <b>Note:</b> thread-safe.
 *
 * @param <T> the state.
 */
final class PerJvmState<T>
{
    private final Map<String, WeakReference<T>> states = new HashMap<>();
    private final Supplier<T> factory;
    private int purgeAt = 64;

    PerJvmState(final Supplier<T> factory)
    {
        this.factory = factory;
    }

    /**
     * @param key names the primitive (its region and offset).
     * @return its state, made on first use; the caller keeps it strongly while it uses it.
     */
    synchronized T of(final String key)
    {
        final WeakReference<T> ref = states.get(key);
        T state = null == ref ? null : ref.get();
        if (null == state)
        {
            state = factory.get();
            states.put(key, new WeakReference<>(state));
            if (states.size() >= purgeAt)
            {
                for (final Iterator<WeakReference<T>> it = states.values().iterator(); it.hasNext(); )
                {
                    if (null == it.next().get())
                    {
                        it.remove();
                    }
                }
                purgeAt = Math.max(64, 2 * states.size());
            }
        }
        return state;
    }
}
