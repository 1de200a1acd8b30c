package dev.ipckit.manager;

import dev.ipckit.codec.Codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The messages between a manager's clients and its server, each one message of a {@link Mailbox}.
 * A request starts with its kind byte:
 * <pre>
 *   HELLO    session:long mailbox:utf                       (first frame of a connection; answered, by
 *                                                           the Mailbox, only when it offers one: an id)
 *   CREATE   typeId:utf iface:utf argc:int (len:int codec-bytes)*
 *   CALL     objectId:long method:int argc:int (len:int codec-bytes)*
 *   INCREF   objectId:long                                  (replies RETURN null)
 *   DECREF   objectId:long                                  (no reply)
 *   SHUTDOWN
 *   COUNT                                                   (live objects, for tests)
 * </pre>
 * A reply starts with its status byte: {@code RETURN codec-bytes}, {@code HANDLE objectId:long iface:utf}
 * (the result stays in the server; a proxy stands for it) or {@code ERROR codec-bytes} (a Throwable).
 * Integers are big-endian; {@code utf} is a length-prefixed UTF-8 string.
 * <p>
 * <b>Note:</b> an instance is a reusable buffer for one thread.
 */
final class Wire
{
    static final byte HELLO = 1;
    static final byte CREATE = 2;
    static final byte CALL = 3;
    static final byte INCREF = 4;
    static final byte DECREF = 5;
    static final byte SHUTDOWN = 6;
    static final byte COUNT = 7;

    static final byte RETURN = 0;
    static final byte HANDLE = 1;
    static final byte ERROR = 2;

    private byte[] buf = new byte[256];
    private int length;

    private byte[] in;
    private int position;
    private int limit;

    Wire begin(final byte kind)
    {
        length = 0;
        return putByte(kind);
    }

    Wire putByte(final byte b)
    {
        ensure(1);
        buf[length++] = b;
        return this;
    }

    Wire putInt(final int v)
    {
        ensure(4);
        buf[length++] = (byte)(v >>> 24);
        buf[length++] = (byte)(v >>> 16);
        buf[length++] = (byte)(v >>> 8);
        buf[length++] = (byte)v;
        return this;
    }

    Wire putLong(final long v)
    {
        putInt((int)(v >>> 32));
        return putInt((int)v);
    }

    Wire putUtf(final String s)
    {
        return putBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    Wire putBytes(final byte[] bytes)
    {
        putInt(bytes.length);
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, length, bytes.length);
        length += bytes.length;
        return this;
    }

    Wire putRaw(final byte[] bytes)
    {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, length, bytes.length);
        length += bytes.length;
        return this;
    }

    Wire putArgs(final Codec codec, final Object[] args)
    {
        final int argc = null == args ? 0 : args.length;
        putInt(argc);
        for (int i = 0; i < argc; i++)
        {
            putBytes(codec.encode(args[i]));
        }
        return this;
    }

    byte[] buffer()
    {
        return buf;
    }

    int length()
    {
        return length;
    }

    Wire read(final byte[] message)
    {
        in = message;
        position = 0;
        limit = message.length;
        return this;
    }

    byte getByte()
    {
        check(1);
        return in[position++];
    }

    int getInt()
    {
        check(4);
        final int v = ((in[position] & 0xFF) << 24) | ((in[position + 1] & 0xFF) << 16) |
            ((in[position + 2] & 0xFF) << 8) | (in[position + 3] & 0xFF);
        position += 4;
        return v;
    }

    long getLong()
    {
        return ((long)getInt() << 32) | (getInt() & 0xFFFFFFFFL);
    }

    String getUtf()
    {
        final int n = getInt();
        check(n);
        final String s = new String(in, position, n, StandardCharsets.UTF_8);
        position += n;
        return s;
    }

    Object getObject(final Codec codec)
    {
        final int n = getInt();
        check(n);
        final Object value = codec.decode(in, position, n);
        position += n;
        return value;
    }

    /**
     * @return the rest of the message decoded as one object.
     */
    Object getRest(final Codec codec)
    {
        final Object value = codec.decode(in, position, limit - position);
        position = limit;
        return value;
    }

    Object[] getArgs(final Codec codec)
    {
        final int argc = getInt();
        if (argc < 0 || argc > 255)
        {
            throw new IllegalArgumentException("corrupt request: argc=" + argc);
        }
        final Object[] args = new Object[argc];
        for (int i = 0; i < argc; i++)
        {
            args[i] = getObject(codec);
        }
        return args;
    }

    private void check(final int n)
    {
        if (n < 0 || limit - position < n)
        {
            throw new IllegalArgumentException("corrupt message: needs " + n + " more bytes, has " + (limit - position));
        }
    }

    private void ensure(final int n)
    {
        if (length + n > buf.length)
        {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, length + n));
        }
    }
}
