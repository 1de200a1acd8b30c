package dev.ipckit.manager;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The objects a manager's server holds, by id, with the references each client session holds to
 * them. An object goes when no session holds it any more; a session's references go when its last
 * connection drops (a client killed with {@code -9} included).
 * <p>
 * <b>Note:</b> thread-safe: lookups are lock-free, reference changes take this table's monitor.
 */
final class ObjectTable
{
    /** One managed object. */
    static final class Entry
    {
        final long id;
        final Object target;
        final MethodTable methods;
        /** Calls on this object (and its views) take this monitor; null for objects that block. */
        final Object monitor;
        int refs;

        Entry(final long id, final Object target, final Class<?> iface, final Object monitor)
        {
            this.id = id;
            this.target = target;
            this.methods = MethodTable.of(iface);
            this.monitor = monitor;
        }
    }

    /** The references of one client process (all its connections). */
    static final class Session
    {
        final long id;
        int connections;
        final Map<Long, Integer> refs = new HashMap<>();

        Session(final long id)
        {
            this.id = id;
        }
    }

    private final Map<Long, Entry> entries = new ConcurrentHashMap<>();
    private final Map<Object, Entry> byTarget = new IdentityHashMap<>();
    private final Map<Long, Session> sessions = new HashMap<>();
    private long nextId;

    Entry get(final long id)
    {
        final Entry entry = entries.get(id);
        if (null == entry)
        {
            throw new IllegalStateException("no managed object id=" + id +
                " (every process that held a proxy to it let go of it)");
        }
        return entry;
    }

    /**
     * Adds {@code target} (or finds it, if already held) and gives {@code session} a reference.
     */
    synchronized Entry export(final Session session, final Object target, final Class<?> iface, final Object monitor)
    {
        Entry entry = byTarget.get(target);
        if (null == entry)
        {
            entry = new Entry(++nextId, target, iface, monitor);
            byTarget.put(target, entry);
            entries.put(entry.id, entry);
        }
        incref(session, entry);
        return entry;
    }

    synchronized void incref(final Session session, final long id)
    {
        final Entry entry = entries.get(id);
        if (null != entry)
        {
            incref(session, entry);
        }
    }

    synchronized void decref(final Session session, final long id)
    {
        final Integer held = session.refs.get(id);
        if (null == held)
        {
            return;
        }
        if (held > 1)
        {
            session.refs.put(id, held - 1);
        }
        else
        {
            session.refs.remove(id);
        }
        drop(entries.get(id), 1);
    }

    synchronized Session join(final long sessionId)
    {
        final Session session = sessions.computeIfAbsent(sessionId, Session::new);
        session.connections++;
        return session;
    }

    /**
     * A connection of {@code session} ended; with its last, the session's references go.
     */
    synchronized void leave(final Session session)
    {
        if (--session.connections > 0)
        {
            return;
        }
        sessions.remove(session.id);
        for (final Map.Entry<Long, Integer> held : session.refs.entrySet())
        {
            drop(entries.get(held.getKey()), held.getValue());
        }
        session.refs.clear();
    }

    synchronized int size()
    {
        return entries.size();
    }

    synchronized void clear()
    {
        entries.clear();
        byTarget.clear();
        sessions.clear();
    }

    private void incref(final Session session, final Entry entry)
    {
        entry.refs++;
        session.refs.merge(entry.id, 1, Integer::sum);
    }

    private void drop(final Entry entry, final int count)
    {
        if (null != entry && (entry.refs -= count) <= 0)
        {
            entries.remove(entry.id);
            byTarget.remove(entry.target);
        }
    }
}
