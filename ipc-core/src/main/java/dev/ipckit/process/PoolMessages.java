package dev.ipckit.process;

import dev.ipckit.codec.Codec;
import dev.ipckit.codec.CodecException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of the messages between a {@link ProcessPool} and its workers. A job carries its
 * function's bytes, encoded once per submission (a worker decodes a function again only when its
 * key changes), and a chunk of elements; chunks and result lists of only {@code Integer},
 * {@code Long}, {@code Double} or {@code String} go as plain arrays, anything else by Java
 * serialization. Big-endian throughout.
 * <pre>
 *   job:    id (long) | function key (long) | kind (byte) | function length (int) | function
 *           | elements (kinds FUNCTION and PAIRS; PAIRS: the first elements, then the second)
 *   answer: type (byte) | id (long) | payload: elements (LIST), encoded value (VALUE),
 *           encoded Throwable (FAILED), nothing (READY)
 *   elements: tag (byte) | count (int) | ints, longs, doubles, strings (length | UTF-8), or the
 *           encoded list (OBJECTS, with its length)
 * </pre>
 */
final class PoolMessages
{
    static final byte CALLABLE = 0;
    static final byte FUNCTION = 1;
    static final byte PAIRS = 2;

    static final byte READY = 'R';
    static final byte LIST = 'L';
    static final byte VALUE = 'V';
    static final byte FAILED = 'F';

    private static final byte INTS = 'i';
    private static final byte LONGS = 'l';
    private static final byte DOUBLES = 'd';
    private static final byte STRINGS = 's';
    private static final byte OBJECTS = 'o';

    private static final int JOB_HEADER = Long.BYTES + Long.BYTES + 1 + Integer.BYTES;
    private static final int ANSWER_HEADER = 1 + Long.BYTES;

    private PoolMessages()
    {
    }

    /** A job as a worker reads it. */
    static final class Job
    {
        final long id;
        final long functionKey;
        final byte kind;
        final byte[] function;
        final List<Object> elements;
        final List<Object> seconds;

        Job(final long id, final long functionKey, final byte kind, final byte[] function,
            final List<Object> elements, final List<Object> seconds)
        {
            this.id = id;
            this.functionKey = functionKey;
            this.kind = kind;
            this.function = function;
            this.elements = elements;
            this.seconds = seconds;
        }
    }

    /** An answer as the pool reads it: {@code value} is the result, or the failure for {@link #FAILED}. */
    static final class Answer
    {
        final byte type;
        final long id;
        final Object value;

        Answer(final byte type, final long id, final Object value)
        {
            this.type = type;
            this.id = id;
            this.value = value;
        }
    }

    static byte[] job(final long id, final long functionKey, final byte kind, final byte[] function,
        final List<?> elements, final List<?> seconds, final Codec codec)
    {
        final Encoded first = FUNCTION == kind || PAIRS == kind ? Encoded.of(elements, codec) : null;
        final Encoded second = PAIRS == kind ? Encoded.of(seconds, codec) : null;
        final ByteBuffer out = ByteBuffer.allocate(JOB_HEADER + function.length +
            (null == first ? 0 : first.size()) + (null == second ? 0 : second.size()));
        out.putLong(id).putLong(functionKey).put(kind).putInt(function.length).put(function);
        if (null != first)
        {
            first.writeTo(out);
        }
        if (null != second)
        {
            second.writeTo(out);
        }
        return out.array();
    }

    static Job readJob(final byte[] message, final Codec codec)
    {
        final ByteBuffer in = ByteBuffer.wrap(message);
        final long id = in.getLong();
        final long functionKey = in.getLong();
        final byte kind = in.get();
        final byte[] function = new byte[in.getInt()];
        in.get(function);
        final List<Object> elements = CALLABLE == kind ? null : readElements(in, codec);
        final List<Object> seconds = PAIRS == kind ? readElements(in, codec) : null;
        return new Job(id, functionKey, kind, function, elements, seconds);
    }

    static long jobId(final byte[] message)
    {
        return ByteBuffer.wrap(message).getLong();
    }

    static byte[] ready()
    {
        return ByteBuffer.allocate(ANSWER_HEADER).put(READY).putLong(0).array();
    }

    static byte[] results(final long id, final List<?> results, final Codec codec)
    {
        final Encoded encoded = Encoded.of(results, codec);
        final ByteBuffer out = ByteBuffer.allocate(ANSWER_HEADER + encoded.size()).put(LIST).putLong(id);
        encoded.writeTo(out);
        return out.array();
    }

    static byte[] value(final long id, final Object value, final Codec codec)
    {
        return withHeader(VALUE, id, codec.encode(value));
    }

    static byte[] failure(final long id, final Throwable failure, final Codec codec)
    {
        return withHeader(FAILED, id, codec.encode(failure));
    }

    /**
     * @throws CodecException if the payload cannot be decoded; {@link #answerId} still reads the id.
     */
    static Answer readAnswer(final byte[] message, final Codec codec)
    {
        final ByteBuffer in = ByteBuffer.wrap(message);
        final byte type = in.get();
        final long id = in.getLong();
        switch (type)
        {
            case READY:
                return new Answer(type, id, null);
            case LIST:
                return new Answer(type, id, readElements(in, codec));
            case VALUE:
            case FAILED:
                return new Answer(type, id, codec.decode(message, in.position(), in.remaining()));
            default:
                throw new CodecException("unknown pool answer type=" + type, null);
        }
    }

    static long answerId(final byte[] message)
    {
        return ByteBuffer.wrap(message, 1, Long.BYTES).getLong();
    }

    private static byte[] withHeader(final byte type, final long id, final byte[] payload)
    {
        return ByteBuffer.allocate(ANSWER_HEADER + payload.length).put(type).putLong(id).put(payload).array();
    }

    private static List<Object> readElements(final ByteBuffer in, final Codec codec)
    {
        final byte tag = in.get();
        final int count = in.getInt();
        final List<Object> list = new ArrayList<>(OBJECTS == tag ? 0 : count);
        switch (tag)
        {
            case INTS:
                for (int i = 0; i < count; i++)
                {
                    list.add(in.getInt());
                }
                return list;
            case LONGS:
                for (int i = 0; i < count; i++)
                {
                    list.add(in.getLong());
                }
                return list;
            case DOUBLES:
                for (int i = 0; i < count; i++)
                {
                    list.add(in.getDouble());
                }
                return list;
            case STRINGS:
                for (int i = 0; i < count; i++)
                {
                    final int length = in.getInt();
                    list.add(new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8));
                    in.position(in.position() + length);
                }
                return list;
            case OBJECTS:
                final int at = in.position();
                in.position(at + count);
                @SuppressWarnings("unchecked")
                final List<Object> decoded = (List<Object>)codec.decode(in.array(), in.arrayOffset() + at, count);
                return decoded;
            default:
                throw new CodecException("unknown element tag=" + tag, null);
        }
    }

    /** A list of elements ready to be written: its tag, and what its size takes to compute. */
    private static final class Encoded
    {
        private final byte tag;
        private final List<?> list;
        private final byte[][] strings;
        private final byte[] objects;
        private final int size;

        private Encoded(final byte tag, final List<?> list, final byte[][] strings, final byte[] objects, final int size)
        {
            this.tag = tag;
            this.list = list;
            this.strings = strings;
            this.objects = objects;
            this.size = size;
        }

        static Encoded of(final List<?> list, final Codec codec)
        {
            final int count = list.size();
            final Class<?> type = commonType(list);
            final int header = 1 + Integer.BYTES;
            if (Integer.class == type || 0 == count)
            {
                return new Encoded(INTS, list, null, null, header + count * Integer.BYTES);
            }
            if (Long.class == type)
            {
                return new Encoded(LONGS, list, null, null, header + count * Long.BYTES);
            }
            if (Double.class == type)
            {
                return new Encoded(DOUBLES, list, null, null, header + count * Double.BYTES);
            }
            if (String.class == type)
            {
                final byte[][] strings = new byte[count][];
                int size = header;
                for (int i = 0; i < count; i++)
                {
                    strings[i] = ((String)list.get(i)).getBytes(StandardCharsets.UTF_8);
                    size += Integer.BYTES + strings[i].length;
                }
                return new Encoded(STRINGS, list, strings, null, size);
            }
            final byte[] objects = codec.encode(list instanceof ArrayList ? list : new ArrayList<>(list));
            return new Encoded(OBJECTS, list, null, objects, header + objects.length);
        }

        int size()
        {
            return size;
        }

        void writeTo(final ByteBuffer out)
        {
            out.put(tag);
            switch (tag)
            {
                case INTS:
                    out.putInt(list.size());
                    for (final Object element : list)
                    {
                        out.putInt((Integer)element);
                    }
                    break;
                case LONGS:
                    out.putInt(list.size());
                    for (final Object element : list)
                    {
                        out.putLong((Long)element);
                    }
                    break;
                case DOUBLES:
                    out.putInt(list.size());
                    for (final Object element : list)
                    {
                        out.putDouble((Double)element);
                    }
                    break;
                case STRINGS:
                    out.putInt(strings.length);
                    for (final byte[] string : strings)
                    {
                        out.putInt(string.length).put(string);
                    }
                    break;
                default:
                    out.putInt(objects.length).put(objects);
                    break;
            }
        }

        /** The one class all elements share, or {@code null} if they differ or one is {@code null}. */
        private static Class<?> commonType(final List<?> list)
        {
            Class<?> type = null;
            for (final Object element : list)
            {
                if (null == element || (null != type && element.getClass() != type))
                {
                    return null;
                }
                type = element.getClass();
            }
            return type;
        }
    }
}
