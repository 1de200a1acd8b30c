package dev.ipckit.manager;

import java.io.Serializable;
import java.util.Objects;

/**
 * A type registered with {@link Manager.Builder#register}: its id, its factory and the interface
 * its proxies expose.
 */
final class Registration implements Serializable
{
    private static final long serialVersionUID = 1L;

    final String typeId;
    final SerializableSupplier<?> factory;
    final Class<?> iface;

    Registration(final String typeId, final SerializableSupplier<?> factory, final Class<?> iface)
    {
        this.typeId = Objects.requireNonNull(typeId, "typeId");
        this.factory = Objects.requireNonNull(factory, "factory");
        this.iface = Objects.requireNonNull(iface, "iface");
        if (!iface.isInterface())
        {
            throw new IllegalArgumentException("iface must be an interface: " + iface.getName());
        }
    }
}
