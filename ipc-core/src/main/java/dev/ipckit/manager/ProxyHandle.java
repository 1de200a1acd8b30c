package dev.ipckit.manager;

import java.io.ObjectStreamException;
import java.io.Serializable;

/**
 * The serial form of a proxy: where its server is, the key, which object and through which
 * interface. Deserialising it takes a reference to the object for this process and gives a proxy.
 */
final class ProxyHandle implements Serializable
{
    private static final long serialVersionUID = 1L;

    private final Endpoint endpoint;
    private final byte[] key;
    private final long id;
    private final String iface;

    ProxyHandle(final Endpoint endpoint, final byte[] key, final long id, final String iface)
    {
        this.endpoint = endpoint;
        this.key = key;
        this.id = id;
        this.iface = iface;
    }

    private Object readResolve() throws ObjectStreamException
    {
        final ManagerClient client = ManagerClient.of(endpoint, key);
        return client.adopt(id, Proxies.loadInterface(iface));
    }
}
