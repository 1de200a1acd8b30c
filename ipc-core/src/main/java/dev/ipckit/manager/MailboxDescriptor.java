package dev.ipckit.manager;

/**
 * Layout of a {@link Mailbox}'s shared memory: two boxes, one per direction, each holding one
 * message at a time (a manager connection is strictly request, reply, request...):
 * <pre>
 *   offset          field
 *   box + 0         sequence (long): messages published in this direction; written last     (sender)
 *   box + 8         length (int): bytes in the data area, or ON_SOCKET                      (sender)
 *   box + 64        receiver asleep (long): the sequence the receiver waits for while it blocks on
 *                   the socket, else 0 (the receiver sets it; the sender of that message takes it
 *                   back to 0 by CAS and sends a doorbell)
 *   box + 128       data (DATA_CAPACITY bytes)
 * </pre>
 * The request box (client to server) is at {@link #REQUEST_BOX}, the reply box at {@link #REPLY_BOX}.
 * <p>
 * <b>Note:</b> constants and pure functions only.
 */
final class MailboxDescriptor
{
    /** The kind of the shared region, part of its file name. */
    static final String KIND = "mailbox";
    static final int SEQUENCE_OFFSET = 0;
    static final int LENGTH_OFFSET = 8;
    static final int ASLEEP_OFFSET = 64;
    static final int DATA_OFFSET = 128;
    static final int BOX_LENGTH = 32 * 1024;
    /** The longest message a box holds; a longer one goes through the socket. */
    static final int DATA_CAPACITY = BOX_LENGTH - DATA_OFFSET;
    static final int REQUEST_BOX = 0;
    static final int REPLY_BOX = BOX_LENGTH;
    /** The whole region's payload length. */
    static final int LENGTH = 2 * BOX_LENGTH;
    /** A length that says the message is the next frame on the socket. */
    static final int ON_SOCKET = -1;

    private MailboxDescriptor()
    {
    }
}
