package dev.ipckit.shm;

import dev.ipckit.internal.Handle;
import dev.ipckit.internal.SharedRegion;

import java.util.function.Function;

/**
 * The kinds of {@link Handle} of this package: named shared memory and the shared values and
 * arrays, each with the region kind it lives in.
 */
enum SharedKind implements Handle.Kind
{
    /** {@link SharedMemory}: its name. */
    MEMORY(null, null),
    /** {@link SharedInt}. */
    INT(SharedInt.KIND, SharedInt::new),
    /** {@link SharedLong}. */
    LONG(SharedLong.KIND, SharedLong::new),
    /** {@link SharedDouble}. */
    DOUBLE(SharedDouble.KIND, SharedDouble::new),
    /** {@link SharedIntArray}. */
    INTS(SharedIntArray.KIND, SharedIntArray::new),
    /** {@link SharedLongArray}. */
    LONGS(SharedLongArray.KIND, SharedLongArray::new),
    /** {@link SharedDoubleArray}. */
    DOUBLES(SharedDoubleArray.KIND, SharedDoubleArray::new),
    /** {@link SharedByteArray}. */
    BYTES(SharedByteArray.KIND, SharedByteArray::new);

    private final String regionKind;
    private final Function<SharedRegion, SharedPrimitive> attach;

    SharedKind(final String regionKind, final Function<SharedRegion, SharedPrimitive> attach)
    {
        this.regionKind = regionKind;
        this.attach = attach;
    }

    /**
     * @param regionKind a shared value's or array's region kind.
     * @return its kind.
     */
    static SharedKind of(final String regionKind)
    {
        for (final SharedKind kind : values())
        {
            if (regionKind.equals(kind.regionKind))
            {
                return kind;
            }
        }
        throw new IllegalArgumentException("not a shared value's region kind=" + regionKind);
    }

    @Override
    public Object resolve(final Handle handle)
    {
        return null == attach ? SharedMemory.attach(handle.name()) : attach.apply(handle.attach());
    }
}
