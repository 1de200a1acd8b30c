package dev.ipckit.shm;

import dev.ipckit.internal.SharedRegion;

import java.util.Arrays;
import java.util.Objects;

/**
 * A fixed-length array of {@code byte} in shared memory: Python's
 * {@code multiprocessing.Array('b', n)}.
 * <pre>{@code
 * SharedByteArray arr = SharedByteArray.create(10);
 * IpcProcess.start(() -> arr.set(0, arr.get(0) + 1)).join();
 * }</pre>
 * Reading or writing one element is a single volatile access; the bulk methods do that
 * element by element, so a reader running alongside a bulk write may see a mix of old and new
 * elements (hold {@link #getLock()} for an atomic snapshot). An index or slice outside the array
 * throws {@link IndexOutOfBoundsException} and writes nothing. It travels to other processes as a
 * handle.
 * <p>
 * <b>Note:</b> thread-safe. Using a closed handle throws {@link IllegalStateException}.
 */
public final class SharedByteArray extends SharedPrimitive
{
    private static final long serialVersionUID = 1L;
    static final String KIND = "bytes";

    private final transient int length;

    SharedByteArray(final SharedRegion region)
    {
        super(region);
        this.length = storedLength();
    }

    /**
     * @param length how many elements, all 0 at first.
     * @return a new shared array with a lock.
     * @throws IllegalArgumentException if {@code length} is negative or too large.
     */
    public static SharedByteArray create(final int length)
    {
        return create(length, true);
    }

    /**
     * @param length how many elements, all 0 at first.
     * @param lock   whether it comes with a lock ({@link #getLock()}).
     * @return a new shared array.
     * @throws IllegalArgumentException if {@code length} is negative or too large.
     */
    public static SharedByteArray create(final int length, final boolean lock)
    {
        return new SharedByteArray(newRegion(KIND, length, 1, lock));
    }

    /**
     * @param values the elements (copied); {@code create(new byte[]{5})} for one element, since
     *               {@code create(5)}, and {@code create((byte)5)} too (a byte widens to the
     *               {@code int} length), means five zeros.
     * @return a new shared array with a lock, holding {@code values}.
     */
    public static SharedByteArray create(final byte... values)
    {
        return create(values, true);
    }

    /**
     * @param values the elements (copied).
     * @param lock   whether it comes with a lock ({@link #getLock()}).
     * @return a new shared array holding {@code values}.
     */
    public static SharedByteArray create(final byte[] values, final boolean lock)
    {
        final SharedByteArray array = create(values.length, lock);
        array.set(0, values);
        return array;
    }

    /**
     * @return how many elements.
     */
    public int length()
    {
        return length;
    }

    /**
     * @param index which element.
     * @return its value.
     * @throws IndexOutOfBoundsException if {@code index} is outside {@code 0..length()-1}.
     */
    public byte get(final int index)
    {
        return buffer.getByteVolatile(offset(index));
    }

    /**
     * @param index which element.
     * @param value its new value.
     * @throws IndexOutOfBoundsException if {@code index} is outside {@code 0..length()-1}.
     */
    public void set(final int index, final byte value)
    {
        buffer.putByteVolatile(offset(index), value);
    }

    /**
     * Copies elements out, starting at {@code from}, as many as {@code dst} holds.
     *
     * @param from the first element.
     * @param dst  where to put them.
     * @throws IndexOutOfBoundsException if the slice is not inside the array.
     */
    public void get(final int from, final byte[] dst)
    {
        checkSlice(from, dst.length);
        for (int i = 0; i < dst.length; i++)
        {
            dst[i] = buffer.getByteVolatile(elementOffset(from + i));
        }
    }

    /**
     * Copies {@code values} in, starting at element {@code from}.
     *
     * @param from   the first element to write.
     * @param values the new values.
     * @throws IndexOutOfBoundsException if the slice is not inside the array; nothing is written.
     */
    public void set(final int from, final byte... values)
    {
        checkSlice(from, values.length);
        for (int i = 0; i < values.length; i++)
        {
            buffer.putByteVolatile(elementOffset(from + i), values[i]);
        }
    }

    /**
     * @return a copy of every element.
     */
    public byte[] toArray()
    {
        final byte[] copy = new byte[length];
        get(0, copy);
        return copy;
    }

    @Override
    public String toString()
    {
        return isClosed() ? "SharedByteArray(closed)" : "SharedByteArray" + Arrays.toString(toArray());
    }

    private int offset(final int index)
    {
        checkOpen();
        return elementOffset(Objects.checkIndex(index, length));
    }

    private void checkSlice(final int from, final int count)
    {
        checkOpen();
        Objects.checkFromIndexSize(from, count, length);
    }

    private static int elementOffset(final int index)
    {
        return DATA_OFFSET + (index << 0);
    }
}
