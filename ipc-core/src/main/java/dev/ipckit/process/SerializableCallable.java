package dev.ipckit.process;

import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * A {@link Callable} that can be sent to a pool worker: usually a lambda; what it captures must be
 * {@code Serializable} too.
 *
 * @param <R> the result type; the result must be {@code Serializable} (or {@code null}).
 */
@FunctionalInterface
public interface SerializableCallable<R> extends Callable<R>, Serializable
{
}
