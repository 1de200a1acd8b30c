package dev.ipckit.durable;

/**
 * Layout of {@value #FILE_NAME}, the mapped file beside Chronicle's log that holds who may append,
 * who got which item, and the counts {@code join()} needs. Every field is a 64-bit word.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  | Magic "IPKD" (written last: ready)  |  Layout version         |   0
 *  +---------------------------------------------------------------+
 *  | Append lock: owner token, 0 when free                         |  64
 *  +---------------------------------------------------------------+
 *  | Consume lock: owner token, 0 when free                        | 128
 *  +---------------------------------------------------------------+
 *  | Put count: sequence of the next item appended                 | 192
 *  +---------------------------------------------------------------+
 *  | Done count | Read count | Last read index | Orphans | Hint    | 256
 *  +---------------------------------------------------------------+
 *  | Intent: pending flag, then the values below and one claim     | 320
 *  +---------------------------------------------------------------+
 *  | Consumers: 1024 owner tokens                                  | 512
 *  +---------------------------------------------------------------+
 *  | Claims: 65536 x (owner, log index, sequence, redelivered)     | 8832
 *  +---------------------------------------------------------------+
 * </pre>
 * The put count and the append lock belong to producers; everything from the done count on is
 * changed only under the consume lock, and always through the intent: the new values are written
 * to the intent, its pending flag is set with a release store, the values are copied to their
 * places, and the flag is cleared. A process that takes the consume lock over from a dead owner
 * copies a pending intent again, so a consumer killed at any point leaves the counts and the claims
 * consistent. A claim's owner is {@link #CLAIM_FREE}, {@link #CLAIM_ORPHAN} (its consumer died:
 * to be delivered again), or the token of the consumer process that holds it.
 * <p>
 * <b>Note:</b> a layout, no state; the offsets are shared by the engine and the tests.
 */
final class StateDescriptor
{
    /** The file's name in the queue's directory. */
    static final String FILE_NAME = "ipckit-durable.state";
    static final int MAGIC = 0x49504B44;
    static final int VERSION = 1;
    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 4;

    static final int APPEND_LOCK_OFFSET = 64;
    static final int CONSUME_LOCK_OFFSET = 128;
    static final int PUT_COUNT_OFFSET = 192;

    static final int DONE_COUNT_OFFSET = 256;
    static final int READ_COUNT_OFFSET = 264;
    static final int LAST_READ_INDEX_OFFSET = 272;
    static final int ORPHANS_OFFSET = 280;
    static final int FREE_HINT_OFFSET = 288;

    static final int INTENT_PENDING_OFFSET = 320;
    /** The intent's copies of the five words from {@link #DONE_COUNT_OFFSET}, at the same distances. */
    static final int INTENT_VALUES_OFFSET = 328;
    static final int INTENT_CLAIM_SLOT_OFFSET = 376;
    /** The intent's copy of one claim, laid out as a claim. */
    static final int INTENT_CLAIM_OFFSET = 384;

    static final int CONSUMERS_OFFSET = 512;
    static final int MAX_CONSUMERS = 1024;

    static final int CLAIMS_OFFSET = CONSUMERS_OFFSET + MAX_CONSUMERS * 8 + 128;
    static final int MAX_CLAIMS = 65536;
    static final int CLAIM_LENGTH = 32;
    static final int CLAIM_OWNER = 0;
    static final int CLAIM_INDEX = 8;
    static final int CLAIM_SEQUENCE = 16;
    static final int CLAIM_REDELIVERED = 24;

    static final long CLAIM_FREE = 0;
    static final long CLAIM_ORPHAN = -1;
    /** {@link #LAST_READ_INDEX_OFFSET} before the first item is read. */
    static final long NO_INDEX = -1;

    static final int FILE_LENGTH = CLAIMS_OFFSET + MAX_CLAIMS * CLAIM_LENGTH;

    private StateDescriptor()
    {
    }

    static int claimOffset(final int slot)
    {
        return CLAIMS_OFFSET + slot * CLAIM_LENGTH;
    }

    static int consumerOffset(final int slot)
    {
        return CONSUMERS_OFFSET + slot * 8;
    }
}
