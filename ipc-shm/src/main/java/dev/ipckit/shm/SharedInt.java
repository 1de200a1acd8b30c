package dev.ipckit.shm;

import dev.ipckit.internal.SharedRegion;

/**
 * A int in shared memory: Python's {@code multiprocessing.Value('i')}.
 * <pre>{@code
 * SharedInt counter = SharedInt.create(0);
 * IpcProcess.start(() -> counter.incrementAndGet());
 * }</pre>
 * {@link #get()} and {@link #set} are single volatile reads and writes; the arithmetic and
 * {@link #compareAndSet} are lock-free atomic operations, faster than the lock that comes with
 * the value ({@link #getLock()}, as in CPython, for compound updates). It travels to other
 * processes as a handle and attaches there.
 * <p>
 * <b>Note:</b> thread-safe. Using a closed handle throws {@link IllegalStateException}.
 */
public final class SharedInt extends SharedPrimitive
{
    private static final long serialVersionUID = 1L;
    static final String KIND = "int";

    SharedInt(final SharedRegion region)
    {
        super(region);
    }

    /**
     * @param initial the first value.
     * @return a new shared int with a lock.
     */
    public static SharedInt create(final int initial)
    {
        return create(initial, true);
    }

    /**
     * @param initial the first value.
     * @param lock    whether it comes with a lock ({@link #getLock()}).
     * @return a new shared int.
     */
    public static SharedInt create(final int initial, final boolean lock)
    {
        final SharedInt value = new SharedInt(newRegion(KIND, 1, 4, lock));
        value.set(initial);
        return value;
    }

    /**
     * @return the value (a volatile read).
     */
    public int get()
    {
        checkOpen();
        return buffer.getIntVolatile(DATA_OFFSET);
    }

    /**
     * @param value the new value (a volatile write).
     */
    public void set(final int value)
    {
        checkOpen();
        buffer.putIntVolatile(DATA_OFFSET, value);
    }

    /**
     * @param delta what to add.
     * @return the value before.
     */
    public int getAndAdd(final int delta)
    {
        checkOpen();
        return buffer.getAndAddInt(DATA_OFFSET, delta);
    }

    /**
     * @param delta what to add.
     * @return the value after.
     */
    public int addAndGet(final int delta)
    {
        return getAndAdd(delta) + delta;
    }

    /**
     * @return the value after adding one.
     */
    public int incrementAndGet()
    {
        return getAndAdd(1) + 1;
    }

    /**
     * @return the value after subtracting one.
     */
    public int decrementAndGet()
    {
        return getAndAdd(-1) - 1;
    }

    /**
     * @param expected what the value must be.
     * @param value    what to make it.
     * @return whether it was {@code expected} and is now {@code value}.
     */
    public boolean compareAndSet(final int expected, final int value)
    {
        checkOpen();
        return buffer.compareAndSetInt(DATA_OFFSET, expected, value);
    }

    @Override
    public String toString()
    {
        return isClosed() ? "SharedInt(closed)" : "SharedInt(" + get() + ")";
    }
}
