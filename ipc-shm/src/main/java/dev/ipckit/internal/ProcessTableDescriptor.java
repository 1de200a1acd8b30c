package dev.ipckit.internal;

/**
 * Layout of a {@link ProcessTable}: {@link #SLOTS} slots of one cache line each, one per process
 * that has the primitive open.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |     Slot 0: process token (64 bits; 0 when free, R bit set    |
 *  |                  while a reclaimer empties it)                |
 *  +---------------------------------------------------------------+
 *  |                 Value 0 (64 bits, the user's)                 |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                  ... values 1 to 6, up to byte 64            ...
 *  +---------------------------------------------------------------+
 *  |                    Slot 1 ... slot 1023                      ...
 *  +---------------------------------------------------------------+
 * </pre>
 * A process claims a free slot by CAS of its token ({@link ProcessIdentity#currentLongToken()})
 * over 0; only it adds to its values while it lives (others may take from them by CAS). What the
 * values mean is the user's: permits held, places held, gets not yet done, a claimed position.
 * <p>
 * <b>Note:</b> internal to ipckit; constants and pure functions only.
 */
public final class ProcessTableDescriptor
{
    /** Processes a table serves. */
    public static final int SLOTS = 1024;
    /** Bytes of one slot: a cache line, so that processes do not share lines. */
    public static final int SLOT_LENGTH = 64;
    /** Offset of the process token in a slot. */
    public static final int TOKEN_OFFSET = 0;
    /** Offset of value 0 in a slot. */
    public static final int VALUES_OFFSET = 8;
    /** Values in a slot. */
    public static final int VALUE_COUNT = 7;
    /** Bytes of a whole table. */
    public static final int LENGTH = SLOTS * SLOT_LENGTH;

    private ProcessTableDescriptor()
    {
    }

    /**
     * @param tableOffset where the table starts in its buffer.
     * @param slot        0 to {@link #SLOTS} - 1.
     * @return where the slot (its token) starts in the buffer.
     */
    public static int slotOffset(final int tableOffset, final int slot)
    {
        return tableOffset + slot * SLOT_LENGTH;
    }

    /**
     * @param slotOffset from {@link #slotOffset(int, int)}.
     * @param value      0 to {@link #VALUE_COUNT} - 1.
     * @return where that value of the slot is in the buffer.
     */
    public static int valueOffset(final int slotOffset, final int value)
    {
        return slotOffset + VALUES_OFFSET + value * Long.BYTES;
    }

    /**
     * @param tableOffset where a table is to start.
     * @param capacity    bytes of the buffer.
     * @throws IllegalArgumentException unless the table is 64-byte aligned and fits.
     */
    public static void checkTable(final int tableOffset, final int capacity)
    {
        if (0 != (tableOffset & (SLOT_LENGTH - 1)) || tableOffset < 0 || tableOffset + LENGTH > capacity)
        {
            throw new IllegalArgumentException("a process table needs " + LENGTH + " bytes at a " + SLOT_LENGTH +
                "-byte aligned offset, tableOffset=" + tableOffset + ", capacity=" + capacity);
        }
    }
}
