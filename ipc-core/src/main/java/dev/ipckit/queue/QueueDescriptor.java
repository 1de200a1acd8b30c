package dev.ipckit.queue;

import dev.ipckit.internal.ProcessTableDescriptor;

/**
 * Layout of a queue's shared memory ({@link QueueEngine}); each group on its own cache line, by who
 * writes it:
 * <pre>
 *   offset  field
 *   0       consumer lock (8 bytes, an IpcLock): consumers take turns reading the ring
 *   64      flags (int): bit 0 joinable | maxSize (long at 72): 0 unbounded      (written once)
 *   128     free places (long): maxSize minus items queued or being put, when bounded
 *   192     items put (long) | spill file sequence (long at 200)                   (producers)
 *   256     items got (long)                                                      (consumers)
 *   320     unfinished tasks (long) | tasks lost with consumers that died (long at 328)
 *   384     process table (ProcessTableDescriptor): 1024 slots of 64 bytes, per slot
 *             token | places held (value 0) | gets not done (value 1) | put claims (values 2-6)
 *   65920   ring buffer: capacity (a power of two) + Agrona's trailer
 * </pre>
 * A process has {@link #CLAIM_LANES} put claims, one per thread putting at the same moment (a
 * thread takes a free one by CAS from 0). A put claim says where that put stands in the ring: 0,
 * none; -1, claiming (the position is not known yet); above 0, {@code (position + 1) << 1 |
 * counted} for a record claimed at that ring position, counted once the put raised the unfinished
 * tasks; below -1, {@code -(bound + 2)}: the process died claiming, and its record, if any, lies
 * before that ring position.
 * <p>
 * <b>Note:</b> constants and pure functions only; the public ones are what a reader outside the
 * engine (the inspector) needs.
 */
public final class QueueDescriptor
{
    static final int CONSUMER_LOCK_OFFSET = 0;
    /** See the layout. */
    public static final int FLAGS_OFFSET = 64;
    /** See the layout. */
    public static final int MAX_SIZE_OFFSET = 72;
    static final int FREE_OFFSET = 128;
    /** See the layout. */
    public static final int PUT_OFFSET = 192;
    static final int SPILL_SEQUENCE_OFFSET = 200;
    /** See the layout. */
    public static final int GOT_OFFSET = 256;
    /** See the layout. */
    public static final int UNFINISHED_OFFSET = 320;
    /** See the layout. */
    public static final int LOST_OFFSET = 328;
    /** See the layout. */
    public static final int TABLE_OFFSET = 384;
    /** See the layout. */
    public static final int RING_OFFSET = TABLE_OFFSET + ProcessTableDescriptor.LENGTH;
    /** See the layout. */
    public static final int JOINABLE_FLAG = 1;
    static final long NO_CLAIM = 0;
    /** A put claim: the producer is claiming a record (any record claimed from then on may be its own). */
    public static final long CLAIMING = -1;
    /** Put claims per slot. */
    public static final int CLAIM_LANES = 5;

    /** The kind of a queue's region. */
    public static final String KIND = "queue";

    private QueueDescriptor()
    {
    }

    /**
     * @param slotOffset a slot of the process table.
     * @return where a slot's count of places held is.
     */
    public static int heldOffset(final int slotOffset)
    {
        return ProcessTableDescriptor.valueOffset(slotOffset, 0);
    }

    /**
     * @param slotOffset a slot of the process table.
     * @return where a slot's count of gets not yet marked done is.
     */
    public static int takenOffset(final int slotOffset)
    {
        return ProcessTableDescriptor.valueOffset(slotOffset, 1);
    }

    /**
     * @param slotOffset a slot of the process table.
     * @param lane       0 to {@link #CLAIM_LANES} - 1.
     * @return where a slot's put claim of that lane is.
     */
    public static int claimOffset(final int slotOffset, final int lane)
    {
        return ProcessTableDescriptor.valueOffset(slotOffset, 2 + lane);
    }

    /** @return the claim of a record at a ring position, counted or not. */
    static long claimed(final long position, final boolean counted)
    {
        return (position + 1) << 1 | (counted ? 1 : 0);
    }

    /** @return the ring position of a claim above 0. */
    static long claimedPosition(final long claim)
    {
        return (claim >>> 1) - 1;
    }

    /** @return whether a claim above 0 was counted as an unfinished task. */
    static boolean isCounted(final long claim)
    {
        return 0 != (claim & 1);
    }

    /** @return the claim of a process that died claiming: its record lies before {@code bound}. */
    static long diedClaimingBefore(final long bound)
    {
        return -(bound + 2);
    }

    /**
     * @param claim a put claim.
     * @param head  the ring position of an uncommitted record.
     * @return whether the process with that claim may have claimed the record.
     */
    static boolean mayOwn(final long claim, final long head)
    {
        if (claim > 0)
        {
            return claimedPosition(claim) == head;
        }
        return CLAIMING == claim || (claim < CLAIMING && head < -claim - 2);
    }
}
