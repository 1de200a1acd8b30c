package dev.ipckit.shm;

import dev.ipckit.internal.SharedRegion;

/**
 * A {@code double} in shared memory: Python's {@code multiprocessing.Value('d')}.
 * <pre>{@code
 * SharedDouble num = SharedDouble.create(0.0);
 * IpcProcess.start(() -> num.set(3.1415927)).join();
 * }</pre>
 * {@link #get()} and {@link #set} are single volatile reads and writes of the value's 64 bits.
 * For compound updates, hold {@link #getLock()}. It travels to other processes as a handle.
 * <p>
 * <b>Note:</b> thread-safe. Using a closed handle throws {@link IllegalStateException}.
 */
public final class SharedDouble extends SharedPrimitive
{
    private static final long serialVersionUID = 1L;
    static final String KIND = "double";

    SharedDouble(final SharedRegion region)
    {
        super(region);
    }

    /**
     * @param initial the first value.
     * @return a new shared double with a lock.
     */
    public static SharedDouble create(final double initial)
    {
        return create(initial, true);
    }

    /**
     * @param initial the first value.
     * @param lock    whether it comes with a lock ({@link #getLock()}).
     * @return a new shared double.
     */
    public static SharedDouble create(final double initial, final boolean lock)
    {
        final SharedDouble value = new SharedDouble(newRegion(KIND, 1, Double.BYTES, lock));
        value.set(initial);
        return value;
    }

    /**
     * @return the value (a volatile read).
     */
    public double get()
    {
        checkOpen();
        return Double.longBitsToDouble(buffer.getLongVolatile(DATA_OFFSET));
    }

    /**
     * @param value the new value (a volatile write).
     */
    public void set(final double value)
    {
        checkOpen();
        buffer.putLongVolatile(DATA_OFFSET, Double.doubleToRawLongBits(value));
    }

    /**
     * @param expected what the value must be (compared bit for bit).
     * @param value    what to make it.
     * @return whether it was {@code expected} and is now {@code value}.
     */
    public boolean compareAndSet(final double expected, final double value)
    {
        checkOpen();
        return buffer.compareAndSetLong(
            DATA_OFFSET, Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(value));
    }

    @Override
    public String toString()
    {
        return isClosed() ? "SharedDouble(closed)" : "SharedDouble(" + get() + ")";
    }
}
