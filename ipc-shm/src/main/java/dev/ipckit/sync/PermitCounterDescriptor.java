package dev.ipckit.sync;

import dev.ipckit.internal.ProcessTableDescriptor;

/**
 * Layout of a semaphore's shared memory ({@link PermitCounter}):
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                      Permits available                        |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Bound (-1: none), up to byte 64              ...
 *  +---------------------------------------------------------------+
 *  |   Process table ({@link ProcessTableDescriptor}): per slot,   |
 *  |   value 0 is the permits its process holds                   ...
 *  +---------------------------------------------------------------+
 * </pre>
 * <b>Note:</b> constants and pure functions only.
 */
public final class PermitCounterDescriptor
{
    /** Offset of the permits available (long). */
    public static final int COUNT_OFFSET = 0;
    /** Offset of the bound (long; -1 for none). */
    public static final int BOUND_OFFSET = 8;
    /** Offset of the process table. */
    public static final int TABLE_OFFSET = 64;
    /** Bytes of the whole layout. */
    public static final int LENGTH = TABLE_OFFSET + ProcessTableDescriptor.LENGTH;

    /** The kind of a semaphore's region. */
    public static final String SEMAPHORE_KIND = "sem";
    /** The kind of a bounded semaphore's region. */
    public static final String BOUNDED_SEMAPHORE_KIND = "bsem";

    private PermitCounterDescriptor()
    {
    }

    /**
     * @param slotOffset a slot of the process table.
     * @return where that process's count of permits held is.
     */
    public static int heldOffset(final int slotOffset)
    {
        return ProcessTableDescriptor.valueOffset(slotOffset, 0);
    }
}
