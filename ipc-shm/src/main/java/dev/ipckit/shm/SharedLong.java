package dev.ipckit.shm;

import dev.ipckit.internal.SharedRegion;

/**
 * A long in shared memory: Python's {@code multiprocessing.Value('l')}.
 * <pre>{@code
 * SharedLong counter = SharedLong.create(0);
 * IpcProcess.start(() -> counter.incrementAndGet());
 * }</pre>
 * {@link #get()} and {@link #set} are single volatile reads and writes; the arithmetic and
 * {@link #compareAndSet} are lock-free atomic operations, faster than the lock that comes with
 * the value ({@link #getLock()}, as in CPython, for compound updates). It travels to other
 * processes as a handle and attaches there.
 * <p>
 * <b>Note:</b> thread-safe. Using a closed handle throws {@link IllegalStateException}.
 */
public final class SharedLong extends SharedPrimitive
{
    private static final long serialVersionUID = 1L;
    static final String KIND = "long";

    SharedLong(final SharedRegion region)
    {
        super(region);
    }

    /**
     * @param initial the first value.
     * @return a new shared long with a lock.
     */
    public static SharedLong create(final long initial)
    {
        return create(initial, true);
    }

    /**
     * @param initial the first value.
     * @param lock    whether it comes with a lock ({@link #getLock()}).
     * @return a new shared long.
     */
    public static SharedLong create(final long initial, final boolean lock)
    {
        final SharedLong value = new SharedLong(newRegion(KIND, 1, 8, lock));
        value.set(initial);
        return value;
    }

    /**
     * @return the value (a volatile read).
     */
    public long get()
    {
        checkOpen();
        return buffer.getLongVolatile(DATA_OFFSET);
    }

    /**
     * @param value the new value (a volatile write).
     */
    public void set(final long value)
    {
        checkOpen();
        buffer.putLongVolatile(DATA_OFFSET, value);
    }

    /**
     * @param delta what to add.
     * @return the value before.
     */
    public long getAndAdd(final long delta)
    {
        checkOpen();
        return buffer.getAndAddLong(DATA_OFFSET, delta);
    }

    /**
     * @param delta what to add.
     * @return the value after.
     */
    public long addAndGet(final long delta)
    {
        return getAndAdd(delta) + delta;
    }

    /**
     * @return the value after adding one.
     */
    public long incrementAndGet()
    {
        return getAndAdd(1) + 1;
    }

    /**
     * @return the value after subtracting one.
     */
    public long decrementAndGet()
    {
        return getAndAdd(-1) - 1;
    }

    /**
     * @param expected what the value must be.
     * @param value    what to make it.
     * @return whether it was {@code expected} and is now {@code value}.
     */
    public boolean compareAndSet(final long expected, final long value)
    {
        checkOpen();
        return buffer.compareAndSetLong(DATA_OFFSET, expected, value);
    }

    @Override
    public String toString()
    {
        return isClosed() ? "SharedLong(closed)" : "SharedLong(" + get() + ")";
    }
}
