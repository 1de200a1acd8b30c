package dev.ipckit.process;

import java.io.Serializable;
import java.util.function.BiFunction;

/**
 * A {@link BiFunction} that can be sent to a pool worker, for {@link ProcessPool#starmap}.
 *
 * @param <A> the first argument type.
 * @param <B> the second argument type.
 * @param <R> the result type.
 */
@FunctionalInterface
public interface SerializableBiFunction<A, B, R> extends BiFunction<A, B, R>, Serializable
{
}
