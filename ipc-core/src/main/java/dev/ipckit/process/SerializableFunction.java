package dev.ipckit.process;

import java.io.Serializable;
import java.util.function.Function;

/**
 * A {@link Function} that can be sent to a pool worker, for {@code map} and its kin.
 *
 * @param <T> the argument type (elements are sent to workers, so {@code Serializable}).
 * @param <R> the result type ({@code Serializable}).
 */
@FunctionalInterface
public interface SerializableFunction<T, R> extends Function<T, R>, Serializable
{
}
