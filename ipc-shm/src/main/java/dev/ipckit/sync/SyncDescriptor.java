package dev.ipckit.sync;

/**
 * Layouts of the small synchronisation regions, for readers outside their classes (the inspector):
 * <pre>
 *   kind      payload
 *   lock      owner token (long at 0): 0 when free, else the holder's long token;
 *             waiter table (16 longs at 64, a cache line away from the word): the long token of
 *             a process with a thread waiting, one slot per waiting thread, 0 when free
 *             (a lock embedded in another primitive's region has the word only)
 *   rlock     same as lock
 *   event     flag (int at 0): 1 when set
 *   barrier   state (long at 0): generation | P | B | parties waiting (drawn in IpcBarrier);
 *             parties (int at 8)
 * </pre>
 * <b>Note:</b> constants and pure functions only.
 */
public final class SyncDescriptor
{
    /** The kind of a lock's region. */
    public static final String LOCK_KIND = "lock";
    /** The kind of a reentrant lock's region. */
    public static final String RLOCK_KIND = "rlock";
    /** The kind of an event's region. */
    public static final String EVENT_KIND = "event";
    /** The kind of a barrier's region. */
    public static final String BARRIER_KIND = "barrier";
    /** The kind of a condition's region. */
    public static final String CONDITION_KIND = "cond";
    /** Offset of a lock's owner token (long). */
    public static final int LOCK_WORD_OFFSET = 0;
    /** Offset of a lock's waiter table (longs), in a region of its own. */
    public static final int LOCK_WAITERS_OFFSET = 64;
    /** Slots in a lock's waiter table. */
    public static final int LOCK_WAITER_SLOTS = 16;
    /** Payload length of a lock's own region: the word and the waiter table. */
    public static final int LOCK_LENGTH = LOCK_WAITERS_OFFSET + LOCK_WAITER_SLOTS * Long.BYTES;
    /** Offset of an event's flag (int). */
    public static final int EVENT_FLAG_OFFSET = 0;
    /** Offset of a barrier's state (long). */
    public static final int BARRIER_STATE_OFFSET = 0;
    /** Offset of a barrier's parties (int). */
    public static final int BARRIER_PARTIES_OFFSET = 8;
    /** Bit of a barrier's state: the current generation is broken. */
    public static final long BARRIER_BROKEN = 1L << 32;
    /** Bits of a barrier's state: parties waiting. */
    public static final long BARRIER_COUNT_MASK = 0xFFFF_FFFFL;

    private SyncDescriptor()
    {
    }
}
