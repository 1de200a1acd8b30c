package dev.ipckit.manager;

import java.io.Serializable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Spliterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.BaseStream;

/**
 * The methods a proxy of one interface exposes, numbered the same way in every JVM: the
 * interface's public instance methods and {@code equals}, {@code hashCode}, {@code toString},
 * ordered by signature. A call names its method by that number.
 * <p>
 * <b>Note:</b> immutable and thread-safe; one table per interface, cached.
 */
final class MethodTable
{
    private static final Map<Class<?>, MethodTable> TABLES = new ConcurrentHashMap<>();

    private final Class<?> iface;
    private final Method[] methods;
    /**
     * Whether each method declares {@link InterruptedException} (every interface method of its
     * signature does, as for the proxy's method): its call waits interruptibly.
     */
    private final boolean[] interruptible;
    private final Map<String, Integer> indexBySignature = new ConcurrentHashMap<>();
    /** The same numbers by the {@link Method} a proxy hands its handler: no signature to build per call. */
    private final Map<Method, Integer> indexByMethod = new ConcurrentHashMap<>();

    private MethodTable(final Class<?> iface)
    {
        this.iface = iface;
        final Map<String, Method> bySignature = new LinkedHashMap<>();
        final Map<String, Boolean> interruptibleBySignature = new HashMap<>();
        for (final Method m : Object.class.getMethods())
        {
            if (isObjectMethodForwarded(m))
            {
                bySignature.put(signature(m), m);
            }
        }
        for (final Method m : iface.getMethods())
        {
            if (!Modifier.isStatic(m.getModifiers()))
            {
                bySignature.putIfAbsent(signature(m), m);
                interruptibleBySignature.merge(signature(m), declares(m, InterruptedException.class), Boolean::logicalAnd);
            }
        }
        final List<Method> sorted = new ArrayList<>(bySignature.values());
        sorted.sort(Comparator.comparing(MethodTable::signature));
        methods = sorted.toArray(new Method[0]);
        interruptible = new boolean[methods.length];
        for (int i = 0; i < methods.length; i++)
        {
            indexBySignature.put(signature(methods[i]), i);
            interruptible[i] = interruptibleBySignature.getOrDefault(signature(methods[i]), false);
            trySetAccessible(methods[i]);
        }
    }

    static MethodTable of(final Class<?> iface)
    {
        return TABLES.computeIfAbsent(iface, MethodTable::new);
    }

    Class<?> iface()
    {
        return iface;
    }

    /**
     * @return the method's number, or -1 if the interface does not have it.
     */
    int indexOf(final Method method)
    {
        Integer index = indexByMethod.get(method);
        if (null == index)
        {
            index = indexBySignature.get(signature(method));
            if (null == index)
            {
                return -1;
            }
            indexByMethod.put(method, index);
        }
        return index;
    }

    /**
     * @throws IllegalArgumentException if there is no method {@code index}.
     */
    Method method(final int index)
    {
        if (index < 0 || index >= methods.length)
        {
            throw new IllegalArgumentException("no method index=" + index + " in " + iface.getName() +
                " (client and server disagree on the interface)");
        }
        return methods[index];
    }

    /**
     * @param index a number {@link #indexOf} gave.
     * @return whether the method declares {@link InterruptedException}.
     */
    boolean interruptible(final int index)
    {
        return interruptible[index];
    }

    /**
     * @return whether {@code method} declares {@code exception} or a superclass of it.
     */
    private static boolean declares(final Method method, final Class<?> exception)
    {
        for (final Class<?> declared : method.getExceptionTypes())
        {
            if (declared.isAssignableFrom(exception))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * A default method runs in the caller's JVM, through the proxy's other methods, when it takes
     * something that cannot travel (a plain lambda) or returns a stream or spliterator; otherwise
     * in the server, as one atomic call.
     */
    static boolean runsLocally(final Method method, final Object[] args)
    {
        if (!method.isDefault())
        {
            return false;
        }
        final Class<?> returns = method.getReturnType();
        if (BaseStream.class.isAssignableFrom(returns) || Spliterator.class.isAssignableFrom(returns))
        {
            return true;
        }
        if (null != args)
        {
            for (final Object arg : args)
            {
                if (null != arg && !(arg instanceof Serializable))
                {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isObjectMethodForwarded(final Method m)
    {
        final String name = m.getName();
        return ("equals".equals(name) && 1 == m.getParameterCount()) ||
            ("hashCode".equals(name) || "toString".equals(name)) && 0 == m.getParameterCount();
    }

    private static void trySetAccessible(final Method m)
    {
        try
        {
            m.setAccessible(true);
        }
        catch (final RuntimeException ignore)
        {
            // a public method of a public interface needs no access override
        }
    }

    private static String signature(final Method m)
    {
        final StringBuilder sb = new StringBuilder(m.getName()).append('(');
        for (final Class<?> p : m.getParameterTypes())
        {
            sb.append(p.getName()).append(',');
        }
        return sb.append(')').toString();
    }
}
