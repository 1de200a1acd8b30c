package dev.ipckit.manager;

/**
 * Named attributes held by a {@link Manager}'s server: CPython's {@code Manager().Namespace()}.
 * Its {@code toString()} reads {@code Namespace(a=1, b=x)}.
 * <p>
 * <b>Note:</b> every call runs in the server; calls from any thread or process are atomic one by one.
 */
public interface Namespace
{
    /**
     * @param name an attribute's name.
     * @param <T>  the type the caller expects.
     * @return its value.
     * @throws IllegalArgumentException if the namespace has no attribute {@code name}, as CPython's
     *                                  {@code AttributeError}.
     */
    <T> T get(String name);

    /**
     * @param name  an attribute's name.
     * @param value its new value.
     */
    void set(String name, Object value);
}
