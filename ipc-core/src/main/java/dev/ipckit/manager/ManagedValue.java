package dev.ipckit.manager;

/**
 * A value held by a {@link Manager}'s server: CPython's {@code Manager().Value(typecode, v)}.
 * <p>
 * <b>Note:</b> every call runs in the server; calls from any thread or process are atomic one by one.
 *
 * @param <T> the value's type.
 */
public interface ManagedValue<T>
{
    /**
     * @return the current value.
     */
    T get();

    /**
     * @param value the new value.
     */
    void set(T value);
}
