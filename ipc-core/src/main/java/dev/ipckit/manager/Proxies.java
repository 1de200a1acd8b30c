package dev.ipckit.manager;

import dev.ipckit.IpcException;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Makes proxies: a {@link Proxy} implementing the managed object's interface and
 * {@link ManagedProxy}, whose every call (but local default methods) runs in the server.
 */
final class Proxies
{
    private Proxies()
    {
    }

    static Object create(final ManagerClient client, final long id, final Class<?> iface)
    {
        final ClassLoader loader = null == iface.getClassLoader() ?
            ManagedProxy.class.getClassLoader() : iface.getClassLoader();
        final Handler handler = new Handler(client, id, iface);
        return Proxy.newProxyInstance(loader, new Class<?>[]{ iface, ManagedProxy.class }, handler);
    }

    static Class<?> loadInterface(final String name)
    {
        final ClassLoader context = Thread.currentThread().getContextClassLoader();
        try
        {
            return Class.forName(name, false, null == context ? Proxies.class.getClassLoader() : context);
        }
        catch (final ClassNotFoundException ex)
        {
            try
            {
                return Class.forName(name, false, Proxies.class.getClassLoader());
            }
            catch (final ClassNotFoundException again)
            {
                throw new IpcException("proxy interface not on this JVM's class path: " + name, again);
            }
        }
    }

    /** Forwards calls to the server; one per proxy, so its reachability is the proxy's. */
    private static final class Handler implements InvocationHandler
    {
        private final ManagerClient client;
        private final long id;
        private final Class<?> iface;
        private final MethodTable methods;

        private Handler(final ManagerClient client, final long id, final Class<?> iface)
        {
            this.client = client;
            this.id = id;
            this.iface = iface;
            this.methods = MethodTable.of(iface);
            client.track(this, id);
        }

        @Override
        public Object invoke(final Object proxy, final Method method, final Object[] args) throws Throwable
        {
            if (method.getDeclaringClass() == ManagedProxy.class)
            {
                return new ProxyHandle(client.endpoint(), client.key(), id, iface.getName());
            }
            if (MethodTable.runsLocally(method, args))
            {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            final int index = methods.indexOf(method);
            if (index < 0)
            {
                throw new UnsupportedOperationException(method + " is not exposed by " + iface.getName());
            }
            if ("equals".equals(method.getName()) && 1 == method.getParameterCount() && sameObject(args[0]))
            {
                return true;
            }
            return client.call(id, index, methods.interruptible(index), method, args);
        }

        private boolean sameObject(final Object other)
        {
            if (null == other || !Proxy.isProxyClass(other.getClass()))
            {
                return false;
            }
            final InvocationHandler h = Proxy.getInvocationHandler(other);
            return h instanceof Handler && ((Handler)h).id == id && ((Handler)h).client.endpoint().equals(client.endpoint());
        }
    }
}
