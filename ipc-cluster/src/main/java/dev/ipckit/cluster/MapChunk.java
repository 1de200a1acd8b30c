package dev.ipckit.cluster;

import dev.ipckit.process.SerializableCallable;
import dev.ipckit.process.SerializableFunction;

import java.util.ArrayList;
import java.util.List;

/**
 * One chunk of a {@link ClusterPool} map: a function and the elements to apply it to.
 * <p>
 * <b>Note:</b> immutable once sent.
 *
 * @param <T> the element type.
 * @param <R> the result type.
 */
final class MapChunk<T, R> implements SerializableCallable<List<R>>
{
    private static final long serialVersionUID = 1L;

    private final SerializableFunction<T, R> function;
    private final ArrayList<T> elements;

    MapChunk(final SerializableFunction<T, R> function, final List<T> elements)
    {
        this.function = function;
        this.elements = new ArrayList<>(elements);
    }

    @Override
    public List<R> call()
    {
        final List<R> results = new ArrayList<>(elements.size());
        for (final T element : elements)
        {
            results.add(function.apply(element));
        }
        return results;
    }
}
