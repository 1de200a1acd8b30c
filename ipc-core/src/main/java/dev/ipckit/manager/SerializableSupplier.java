package dev.ipckit.manager;

import java.io.Serializable;
import java.util.function.Supplier;

/**
 * A {@link Supplier} that can be sent to a manager's server process, such as a lambda or a
 * constructor reference: the factory of a registered type.
 *
 * @param <T> what it supplies.
 */
@FunctionalInterface
public interface SerializableSupplier<T> extends Supplier<T>, Serializable
{
}
