package dev.ipckit.codec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.nio.charset.StandardCharsets;

/**
 * Java serialization, with a one-byte tag in front of each message so that the commonest values
 * skip it: {@code null}, {@code byte[]}, {@code String} and the boxed primitives are written as
 * their raw bytes.
 * <p>
 * Decoding runs behind an {@link ObjectInputFilter}: the object graph may be at most
 * {@link CodecConfiguration#SERIAL_MAX_DEPTH_PROP_NAME} deep and hold at most
 * {@link CodecConfiguration#SERIAL_MAX_REFS_PROP_NAME} object references; an array is allocated only if
 * what is left of the message can hold its elements (one byte per reference, the primitive's
 * size otherwise), and the stream may not read past the message (so a forged length cannot make
 * it allocate); when {@link CodecConfiguration#SERIAL_FILTER_PROP_NAME} is set, every class must pass
 * that pattern. A JVM-wide filter ({@code jdk.serialFilter}) is consulted as well.
 * <p>
 * <b>Who is trusted.</b> Without {@link CodecConfiguration#SERIAL_FILTER_PROP_NAME}, any class on the
 * class path may be decoded, and a class's own {@code readObject} runs: the sender is trusted
 * as much as code of this user. That is the default because the usual peers are: the ends of a
 * {@code Pipe}, queues and shared memory live in the runtime directory, which only this user can
 * open, and a child process runs this JVM's code anyway. A {@code Listener} (or a manager) that
 * accepts peers that are not, even with an authentication key, should decode with an allow-list:
 * set {@link CodecConfiguration#SERIAL_FILTER_PROP_NAME}, or give the connection a codec from
 * {@link #create(String, long)}. The limits above hold for every peer.
 * <p>
 * <b>Note:</b> instances are immutable and thread-safe.
 */
public final class SerializationCodec implements Codec
{
    static final byte NULL = 0;
    static final byte BYTES = 1;
    static final byte STRING = 2;
    static final byte INT = 3;
    static final byte LONG = 4;
    static final byte DOUBLE = 5;
    static final byte FLOAT = 6;
    static final byte SHORT = 7;
    static final byte BYTE = 8;
    static final byte CHAR = 9;
    static final byte BOOLEAN = 10;
    static final byte SERIALIZED = 0x7F;

    private static volatile SerializationCodec standard;

    private final ObjectInputFilter allowList;
    private final String allowListPattern;
    private final long maxDepth;
    private final long maxRefs;

    private SerializationCodec(final String allowListPattern, final long maxDepth, final long maxRefs)
    {
        this.allowListPattern = allowListPattern;
        this.allowList = null == allowListPattern ? null : ObjectInputFilter.Config.createFilter(allowListPattern);
        this.maxDepth = maxDepth;
        this.maxRefs = maxRefs;
    }

    /**
     * @return the codec configured by {@link CodecConfiguration#SERIAL_FILTER_PROP_NAME} and
     * {@link CodecConfiguration#SERIAL_MAX_DEPTH_PROP_NAME} as they were at the first call.
     */
    public static SerializationCodec standard()
    {
        SerializationCodec codec = standard;
        if (null == codec)
        {
            codec = new SerializationCodec(
                CodecConfiguration.serialFilter(), CodecConfiguration.serialMaxDepth(), CodecConfiguration.serialMaxRefs());
            standard = codec;
        }
        return codec;
    }

    /**
     * @param allowListPattern an {@link ObjectInputFilter} pattern every decoded class must pass,
     *                         e.g. {@code "java.base/*;com.example.**;!*"}; {@code null} allows all.
     * @param maxDepth         the deepest object graph decoding accepts.
     * @return a codec with these limits, and {@link CodecConfiguration#SERIAL_MAX_REFS_PROP_NAME}'s.
     * @throws IllegalArgumentException if the pattern is malformed or the depth below 1.
     */
    public static SerializationCodec create(final String allowListPattern, final long maxDepth)
    {
        return create(allowListPattern, maxDepth, CodecConfiguration.serialMaxRefs());
    }

    /**
     * @param allowListPattern an {@link ObjectInputFilter} pattern every decoded class must pass;
     *                         {@code null} allows all.
     * @param maxDepth         the deepest object graph decoding accepts.
     * @param maxRefs          the most object references one message may hold.
     * @return a codec with these limits.
     * @throws IllegalArgumentException if the pattern is malformed or a limit below 1.
     */
    public static SerializationCodec create(final String allowListPattern, final long maxDepth, final long maxRefs)
    {
        if (maxDepth < 1 || maxRefs < 1)
        {
            throw new IllegalArgumentException(
                "maxDepth and maxRefs must be at least 1, maxDepth=" + maxDepth + ", maxRefs=" + maxRefs);
        }
        return new SerializationCodec(allowListPattern, maxDepth, maxRefs);
    }

    /** {@inheritDoc} */
    @Override
    public byte[] encode(final Object value)
    {
        if (null == value)
        {
            return new byte[]{ NULL };
        }
        if (value instanceof byte[])
        {
            final byte[] bytes = (byte[])value;
            final byte[] out = new byte[bytes.length + 1];
            out[0] = BYTES;
            System.arraycopy(bytes, 0, out, 1, bytes.length);
            return out;
        }
        if (value instanceof String)
        {
            final byte[] utf8 = ((String)value).getBytes(StandardCharsets.UTF_8);
            final byte[] out = new byte[utf8.length + 1];
            out[0] = STRING;
            System.arraycopy(utf8, 0, out, 1, utf8.length);
            return out;
        }
        final Class<?> type = value.getClass();
        if (type == Integer.class)
        {
            return fixed(INT, (Integer)value, 4);
        }
        if (type == Long.class)
        {
            return fixed(LONG, (Long)value, 8);
        }
        if (type == Double.class)
        {
            return fixed(DOUBLE, Double.doubleToRawLongBits((Double)value), 8);
        }
        if (type == Float.class)
        {
            return fixed(FLOAT, Float.floatToRawIntBits((Float)value), 4);
        }
        if (type == Short.class)
        {
            return fixed(SHORT, (Short)value, 2);
        }
        if (type == Byte.class)
        {
            return new byte[]{ BYTE, (Byte)value };
        }
        if (type == Character.class)
        {
            return fixed(CHAR, (Character)value, 2);
        }
        if (type == Boolean.class)
        {
            return new byte[]{ BOOLEAN, (byte)((Boolean)value ? 1 : 0) };
        }
        return serialize(value);
    }

    /** {@inheritDoc} */
    @Override
    public Object decode(final byte[] data, final int offset, final int length)
    {
        if (length < 1)
        {
            throw new CodecException("corrupt message: length=0, expected at least a tag byte", null);
        }
        final byte tag = data[offset];
        final int body = offset + 1;
        final int bodyLength = length - 1;
        switch (tag)
        {
            case NULL:
                expect(tag, bodyLength, 0);
                return null;
            case BYTES:
                final byte[] bytes = new byte[bodyLength];
                System.arraycopy(data, body, bytes, 0, bodyLength);
                return bytes;
            case STRING:
                return new String(data, body, bodyLength, StandardCharsets.UTF_8);
            case INT:
                expect(tag, bodyLength, 4);
                return (int)readFixed(data, body, 4);
            case LONG:
                expect(tag, bodyLength, 8);
                return readFixed(data, body, 8);
            case DOUBLE:
                expect(tag, bodyLength, 8);
                return Double.longBitsToDouble(readFixed(data, body, 8));
            case FLOAT:
                expect(tag, bodyLength, 4);
                return Float.intBitsToFloat((int)readFixed(data, body, 4));
            case SHORT:
                expect(tag, bodyLength, 2);
                return (short)readFixed(data, body, 2);
            case BYTE:
                expect(tag, bodyLength, 1);
                return data[body];
            case CHAR:
                expect(tag, bodyLength, 2);
                return (char)readFixed(data, body, 2);
            case BOOLEAN:
                expect(tag, bodyLength, 1);
                return data[body] != 0;
            case SERIALIZED:
                return deserialize(data, body, bodyLength);
            default:
                throw new CodecException("corrupt message: unknown tag=" + tag + ", length=" + length, null);
        }
    }

    /** {@inheritDoc} */
    @Override
    public String toString()
    {
        return "SerializationCodec{allowList=" + allowListPattern + ", maxDepth=" + maxDepth + ", maxRefs=" + maxRefs +
            '}';
    }

    private static byte[] fixed(final byte tag, final long value, final int size)
    {
        final byte[] out = new byte[size + 1];
        out[0] = tag;
        for (int i = 0; i < size; i++)
        {
            out[1 + i] = (byte)(value >>> (8 * (size - 1 - i)));
        }
        return out;
    }

    private static long readFixed(final byte[] data, final int offset, final int size)
    {
        long value = 0;
        for (int i = 0; i < size; i++)
        {
            value = (value << 8) | (data[offset + i] & 0xFF);
        }
        return value;
    }

    private static void expect(final byte tag, final int actual, final int expected)
    {
        if (actual != expected)
        {
            throw new CodecException(
                "corrupt message: tag=" + tag + " needs length=" + (expected + 1) + ", length=" + (actual + 1), null);
        }
    }

    private static byte[] serialize(final Object value)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        bytes.write(SERIALIZED);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes))
        {
            out.writeObject(value);
        }
        catch (final IOException ex)
        {
            throw new CodecException(
                "cannot encode value of class=" + value.getClass().getName() + ": " + ex, ex);
        }
        return bytes.toByteArray();
    }

    private Object deserialize(final byte[] data, final int offset, final int length)
    {
        final Limits limits = new Limits(length);
        try (ObjectInputStream in = new LoaderAwareObjectInputStream(new ByteArrayInputStream(data, offset, length)))
        {
            in.setObjectInputFilter(limits);
            return in.readObject();
        }
        catch (final ClassNotFoundException ex)
        {
            throw new CodecException("cannot decode message: unknown class=" + ex.getMessage() +
                " (not on this JVM's class path)", ex);
        }
        catch (final InvalidClassException ex)
        {
            if (null != limits.rejection)
            {
                throw new CodecException("cannot decode message: " + limits.rejection, ex);
            }
            throw new CodecException("cannot decode message: " + ex.getMessage(), ex);
        }
        catch (final dev.ipckit.IpcException ex)
        {
            throw ex;
        }
        catch (final IOException | RuntimeException ex)
        {
            throw new CodecException("corrupt message: length=" + (length + 1) + ": " + ex, ex);
        }
    }

    private final class Limits implements ObjectInputFilter
    {
        private final long messageLength;
        private final ObjectInputFilter jvmWide = ObjectInputFilter.Config.getSerialFilter();
        private String rejection;

        private Limits(final long messageLength)
        {
            this.messageLength = messageLength;
        }

        @Override
        public Status checkInput(final FilterInfo info)
        {
            if (info.depth() > maxDepth)
            {
                return reject("object graph depth=" + info.depth() + " exceeds maxDepth=" + maxDepth +
                    " (" + CodecConfiguration.SERIAL_MAX_DEPTH_PROP_NAME + ")");
            }
            if (info.references() > maxRefs)
            {
                return reject("object references=" + info.references() + " exceed maxRefs=" + maxRefs +
                    " (" + CodecConfiguration.SERIAL_MAX_REFS_PROP_NAME + ")");
            }
            if (info.arrayLength() >= 0)
            {
                final long elementBytes = elementBytes(info.serialClass());
                final long left = messageLength - info.streamBytes();
                if (info.arrayLength() > left / elementBytes)
                {
                    return reject("array length=" + info.arrayLength() + " of " + describe(info.serialClass()) +
                        " needs at least " + info.arrayLength() * elementBytes + " bytes, more than the message " +
                        "holds: length=" + messageLength + ", left=" + left);
                }
            }
            if (info.streamBytes() > messageLength)
            {
                return reject("stream bytes=" + info.streamBytes() + " exceed the message length=" + messageLength);
            }
            final Class<?> type = info.serialClass();
            if (null != jvmWide && Status.REJECTED == jvmWide.checkInput(info))
            {
                return reject("class=" + describe(type) + " rejected by the JVM-wide filter jdk.serialFilter");
            }
            if (null != allowList && null != type)
            {
                Class<?> element = type;
                while (element.isArray())
                {
                    element = element.getComponentType();
                }
                if (!element.isPrimitive() && Status.ALLOWED != allowList.checkInput(info))
                {
                    return reject("class=" + describe(type) + " rejected by the deserialization filter " +
                        CodecConfiguration.SERIAL_FILTER_PROP_NAME + "=" + allowListPattern);
                }
            }
            return Status.ALLOWED;
        }

        private Status reject(final String reason)
        {
            if (null == rejection)
            {
                rejection = reason;
            }
            return Status.REJECTED;
        }

        /** The fewest bytes one element of an array takes in the stream: a reference takes one (null). */
        private long elementBytes(final Class<?> arrayType)
        {
            final Class<?> element = null == arrayType ? null : arrayType.getComponentType();
            if (null == element || !element.isPrimitive())
            {
                return 1;
            }
            if (element == long.class || element == double.class)
            {
                return 8;
            }
            if (element == int.class || element == float.class)
            {
                return 4;
            }
            return element == short.class || element == char.class ? 2 : 1;
        }

        private String describe(final Class<?> type)
        {
            return null == type ? "null" : type.getName();
        }
    }

    private static final class LoaderAwareObjectInputStream extends ObjectInputStream
    {
        private LoaderAwareObjectInputStream(final ByteArrayInputStream in) throws IOException
        {
            super(in);
        }

        @Override
        protected Class<?> resolveClass(final ObjectStreamClass desc) throws IOException, ClassNotFoundException
        {
            try
            {
                return super.resolveClass(desc);
            }
            catch (final ClassNotFoundException ex)
            {
                final ClassLoader context = Thread.currentThread().getContextClassLoader();
                if (null == context)
                {
                    throw ex;
                }
                return Class.forName(desc.getName(), false, context);
            }
        }
    }
}
