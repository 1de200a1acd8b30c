package dev.ipckit.manager;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Lock;

/**
 * The types every manager serves ({@code dict}, {@code list}, ... {@code barrier}), as CPython's
 * {@code SyncManager} registers them: each makes a fresh server-side object from the creation's
 * arguments. Containers are exported with a monitor (their calls, and their views', run one at a
 * time); the synchronisation types are thread-safe and block.
 */
final class BuiltinTypes
{
    /** A new server-side object, its interface, and whether calls on it are serialised. */
    static final class Made
    {
        final Object target;
        final Class<?> iface;
        final boolean serialised;

        Made(final Object target, final Class<?> iface, final boolean serialised)
        {
            this.target = target;
            this.iface = iface;
            this.serialised = serialised;
        }
    }

    private BuiltinTypes()
    {
    }

    /**
     * @return the object, or null if {@code typeId} is not a built-in type.
     * @throws IllegalArgumentException on arguments the type does not take.
     */
    @SuppressWarnings("unchecked")
    static Made make(final String typeId, final Object[] args)
    {
        switch (typeId)
        {
            case "dict":
                return new Made(0 == args.length ? new LinkedHashMap<>() :
                    new LinkedHashMap<>((Map<Object, Object>)args[0]), Map.class, true);
            case "list":
                return new Made(0 == args.length ? new ArrayList<>() :
                    new ArrayList<>((Collection<Object>)args[0]), List.class, true);
            case "set":
                return new Made(0 == args.length ? new LinkedHashSet<>() :
                    new LinkedHashSet<>((Collection<Object>)args[0]), Set.class, true);
            case "array":
                return new Made(Arrays.asList(((Object[])args[0]).clone()), List.class, true);
            case "namespace":
                return new Made(new PlainObjects.NamespaceObject(), Namespace.class, true);
            case "value":
                return new Made(new PlainObjects.ValueObject(args[0]), ManagedValue.class, true);
            case "queue":
                return new Made(new QueueObject((Integer)args[0]), ManagedQueue.class, false);
            case "joinableQueue":
                return new Made(new QueueObject((Integer)args[0]), ManagedJoinableQueue.class, false);
            case "lock":
                return new Made(new LockObject(false), Lock.class, false);
            case "rlock":
                return new Made(new LockObject(true), Lock.class, false);
            case "semaphore":
                return new Made(new SyncObjects.SemaphoreObject((Integer)args[0]), ManagedSemaphore.class, false);
            case "event":
                return new Made(new SyncObjects.EventObject(), ManagedEvent.class, false);
            case "condition":
                return new Made(new SyncObjects.ConditionObject(new LockObject(true)), ManagedCondition.class, false);
            case "barrier":
                return new Made(new SyncObjects.BarrierObject((Integer)args[0]), ManagedBarrier.class, false);
            default:
                return null;
        }
    }
}
