package dev.ipckit.pipe;

import dev.ipckit.internal.ProcessIdentity;

import java.nio.ByteBuffer;

/**
 * The hello that opens each direction of a {@link FrameChannel}'s stream: what protocol the sender
 * speaks, whether it authenticates, and its pid.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                         Magic "IPK1"                          |
 *  +-------------------------------+-------------------------------+
 *  |       Protocol version        |            Flags              |
 *  +-------------------------------+-------------------------------+
 *  |                     Sender pid (64 bits)                      |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 * </pre>
 * All integers are big-endian. {@link Handshake} runs the authentication that follows when
 * {@link #FLAG_AUTHENTICATE} is set.
 * <p>
 * <b>Note:</b> a decoded hello is immutable and may be shared between threads.
 */
final class Hello
{
    static final int MAGIC = 0x49504B31;
    static final short PROTOCOL_VERSION = 1;
    static final int LENGTH = 16;
    static final short FLAG_AUTHENTICATE = 1;

    private final int magic;
    private final short version;
    private final short flags;
    private final long pid;

    private Hello(final int magic, final short version, final short flags, final long pid)
    {
        this.magic = magic;
        this.version = version;
        this.flags = flags;
        this.pid = pid;
    }

    /**
     * Puts this process's hello at {@code out}'s position.
     *
     * @param out   a buffer with at least {@link #LENGTH} bytes remaining.
     * @param flags {@link #FLAG_AUTHENTICATE} or 0.
     */
    static void write(final ByteBuffer out, final short flags)
    {
        out.putInt(MAGIC).putShort(PROTOCOL_VERSION).putShort(flags).putLong(ProcessIdentity.currentPid());
    }

    /**
     * Consumes the next {@link #LENGTH} bytes of {@code in}, whatever they hold: check
     * {@link #isIpckit()} before trusting the rest.
     *
     * @param in a buffer with at least {@link #LENGTH} bytes remaining.
     * @return the decoded hello.
     */
    static Hello read(final ByteBuffer in)
    {
        return new Hello(in.getInt(), in.getShort(), in.getShort(), in.getLong());
    }

    /**
     * @return whether the magic and the protocol version are this library's.
     */
    boolean isIpckit()
    {
        return MAGIC == magic && PROTOCOL_VERSION == version;
    }

    /**
     * @return the facts of a hello that is not this library's, for an error message.
     */
    String mismatch()
    {
        return "magic=0x" + Integer.toHexString(magic) + ", version=" + version + ", expected magic=0x" +
            Integer.toHexString(MAGIC) + ", version=" + PROTOCOL_VERSION;
    }

    /**
     * @return whether the sender authenticates.
     */
    boolean authenticates()
    {
        return 0 != (flags & FLAG_AUTHENTICATE);
    }

    long pid()
    {
        return pid;
    }
}
