package dev.ipckit.process;

import dev.ipckit.IpcException;
import dev.ipckit.codec.CodecConfiguration;
import dev.ipckit.codec.CodecException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a task, or a pool's function, is encoded for a child JVM. A serializable lambda made for
 * {@link Task}, {@link SerializableCallable}, {@link SerializableFunction} or
 * {@link SerializableBiFunction} goes as its parts, and the child calls its implementation by
 * reflection ({@link ReflectiveLambda}) instead of deserialising it, which would spin a
 * serialization constructor and the lambda's class. Anything else goes by
 * {@link ControlBlocks#TASK_CODEC} (Java serialization), as does a lambda whose parts do not fit:
 * an implementation this class cannot reach or call as the lambda would (a named module that does
 * not open its package, an unknown kind), a lambda of another interface, or one inside a captured
 * object. So what cannot be sent fails as it would by Java serialization, with the same exception.
 * <pre>
 *   task   := 'L' | group length (int, 0 for none) | group | lambda
 *   group  := the captured values that are not lambdas, null, strings or boxed primitives, as one
 *             Object[] encoded by the task codec (so that objects they share stay shared)
 *   lambda := capturing class | implementation class | name | signature | kind (byte)
 *             | functional interface | its method | its signature | instantiated type
 *             (modified UTF-8, as {@link SerializedLambda} has them)
 *             | captured count (unsigned byte) | captured value ...
 *   value  := 0 | length (int) | the value encoded by the task codec     null, a string, a boxed primitive
 *           | 1 | index in the group (int)
 *           | 2 | lambda                                                a captured lambda of those interfaces
 * </pre>
 * Decoding applies what the task codec applies: its limits and the JVM-wide filter
 * ({@code jdk.serialFilter}) to the group, the filter to the capturing and implementation classes
 * (and to {@link SerializedLambda}), and the depth limit
 * ({@link CodecConfiguration#SERIAL_MAX_DEPTH_PROP_NAME}) to lambdas within lambdas.
 * <p>
 * <b>Note:</b> thread-safe (stateless, but for a per-class cache).
 */
final class LambdaTasks
{
    static final byte LAMBDA = 'L';
    private static final byte VALUE = 0;
    private static final byte SHARED = 1;
    private static final byte NESTED = 2;
    private static final Object[] NO_VALUES = new Object[0];

    /** The functional interfaces, each as internal name, method name and signature, in {@link ReflectiveLambda}'s order. */
    private static final String[][] INTERFACES = {
        { internalName(Task.class), "run", "()V" },
        { internalName(SerializableCallable.class), "call", "()Ljava/lang/Object;" },
        { internalName(SerializableFunction.class), "apply", "(Ljava/lang/Object;)Ljava/lang/Object;" },
        { internalName(SerializableBiFunction.class), "apply", "(Ljava/lang/Object;Ljava/lang/Object;)Ljava/lang/Object;" },
    };

    private static final ClassValue<Shape> SHAPES = new ClassValue<>()
    {
        @Override
        protected Shape computeValue(final Class<?> type)
        {
            return Shape.of(type);
        }
    };

    private LambdaTasks()
    {
    }

    /**
     * @param task a task or a pool's function.
     * @return the class whose code it runs: a lambda's implementation class (where it was written),
     * otherwise the task's own class.
     */
    static String codeClassName(final Object task)
    {
        final SerializedLambda form = formOf(task);
        return null == form ? task.getClass().getName() : form.getImplClass().replace('/', '.');
    }

    /**
     * @param task a task or a pool's function.
     * @return its bytes for {@link #decode}.
     * @throws CodecException if it cannot be encoded (as {@link ControlBlocks#TASK_CODEC} throws).
     */
    static byte[] encode(final Object task)
    {
        final SerializedLambda form = formOf(task);
        if (null != form)
        {
            try
            {
                final Encoder encoder = new Encoder();
                if (encoder.lambda(task, form, 1))
                {
                    final byte[] bytes = encoder.finish();
                    if (null != bytes)
                    {
                        return bytes;
                    }
                }
            }
            catch (final IOException | ReflectiveOperationException | RuntimeException | LinkageError doesNotFit)
            {
                // sent by Java serialization below, which fails as it always did if the task cannot be sent
            }
        }
        return ControlBlocks.TASK_CODEC.encode(task);
    }

    /**
     * @param data   bytes made by {@link #encode}.
     * @param offset where they start.
     * @param length how many there are.
     * @return the task or function.
     * @throws CodecException if the bytes are corrupt, name a class or method this JVM does not
     *                        have, or are refused by the task codec's limits or filter.
     * @throws IpcException   if a captured handle cannot be attached here.
     */
    static Object decode(final byte[] data, final int offset, final int length)
    {
        if (length < 1 || LAMBDA != data[offset])
        {
            return ControlBlocks.TASK_CODEC.decode(data, offset, length);
        }
        try
        {
            final DataInputStream in = new DataInputStream(new ByteArrayInputStream(data, offset + 1, length - 1));
            final int groupLength = in.readInt();
            if (groupLength < 0 || groupLength > in.available())
            {
                throw new IOException("group length=" + groupLength + ", left=" + in.available());
            }
            final Object[] group = 0 == groupLength ?
                NO_VALUES : (Object[])ControlBlocks.TASK_CODEC.decode(data, offset + 5, groupLength);
            in.skipNBytes(groupLength);
            checkFilter(SerializedLambda.class, length);
            final Object task = readLambda(in, group, length, 1);
            if (0 != in.available())
            {
                throw new IOException("bytes left after the task=" + in.available());
            }
            return task;
        }
        catch (final IpcException ex)
        {
            throw ex;
        }
        catch (final ClassNotFoundException ex)
        {
            throw unknownClass(ex.getMessage(), ex);
        }
        catch (final TypeNotPresentException ex)
        {
            throw unknownClass(ex.typeName(), ex);
        }
        catch (final IOException | ClassCastException | IndexOutOfBoundsException ex)
        {
            throw new CodecException("corrupt message: length=" + length + ": " + ex, ex);
        }
        catch (final ReflectiveOperationException | RuntimeException | LinkageError ex)
        {
            throw new CodecException("cannot decode message: " + ex, ex);
        }
    }

    private static Object readLambda(final DataInputStream in, final Object[] group, final int length, final int depth)
        throws IOException, ReflectiveOperationException
    {
        final long maxDepth = CodecConfiguration.serialMaxDepth();
        if (depth > maxDepth)
        {
            throw new CodecException("cannot decode message: lambda depth=" + depth + " exceeds maxDepth=" + maxDepth +
                " (" + CodecConfiguration.SERIAL_MAX_DEPTH_PROP_NAME + ")", null);
        }
        final String capturingClass = in.readUTF();
        final String implClass = in.readUTF();
        final String implName = in.readUTF();
        final String implSignature = in.readUTF();
        final int implKind = in.readByte();
        final String functionalInterface = in.readUTF();
        final String functionalMethod = in.readUTF();
        final String functionalSignature = in.readUTF();
        final String instantiatedType = in.readUTF();
        final Object[] captured = new Object[in.readUnsignedByte()];
        for (int i = 0; i < captured.length; i++)
        {
            final byte tag = in.readByte();
            switch (tag)
            {
                case VALUE:
                    final int valueLength = in.readInt();
                    if (valueLength < 0 || valueLength > in.available())
                    {
                        throw new IOException("value length=" + valueLength + ", left=" + in.available());
                    }
                    final byte[] value = new byte[valueLength];
                    in.readFully(value);
                    captured[i] = ControlBlocks.TASK_CODEC.decode(value, 0, valueLength);
                    break;
                case SHARED:
                    captured[i] = group[in.readInt()];
                    break;
                case NESTED:
                    captured[i] = readLambda(in, group, length, depth + 1);
                    break;
                default:
                    throw new IOException("unknown captured value tag=" + tag);
            }
        }
        final int kind = interfaceKind(functionalInterface, functionalMethod, functionalSignature);
        if (kind < 0)
        {
            throw new IOException("not a task interface: " + functionalInterface + '.' + functionalMethod);
        }
        final ClassLoader loader = LambdaTasks.class.getClassLoader();
        final Class<?> capturing = load(capturingClass, loader);
        final Class<?> implementation = implClass.equals(capturingClass) ? capturing : load(implClass, loader);
        checkFilter(capturing, length);
        checkFilter(implementation, length);
        final SerializedLambda form = new SerializedLambda(capturing, functionalInterface, functionalMethod,
            functionalSignature, implKind, implClass, implName, implSignature, instantiatedType, captured);
        return ReflectiveLambda.of(form, implementation, loader, kind);
    }

    /** @return the lambda's form, or {@code null} if the task is not a serializable lambda. */
    private static SerializedLambda formOf(final Object task)
    {
        final SerializedLambda remade = ReflectiveLambda.formOf(task);
        if (null != remade)
        {
            return remade;
        }
        final Method writeReplace = null == task ? null : SHAPES.get(task.getClass()).writeReplace;
        if (null == writeReplace)
        {
            return null;
        }
        try
        {
            final Object form = writeReplace.invoke(task);
            return form instanceof SerializedLambda ? (SerializedLambda)form : null;
        }
        catch (final ReflectiveOperationException | RuntimeException ex)
        {
            return null;
        }
    }

    private static int interfaceKind(final String functionalInterface, final String method, final String signature)
    {
        for (int i = 0; i < INTERFACES.length; i++)
        {
            if (INTERFACES[i][0].equals(functionalInterface) && INTERFACES[i][1].equals(method) &&
                INTERFACES[i][2].equals(signature))
            {
                return i;
            }
        }
        return -1;
    }

    private static Class<?> load(final String internalName, final ClassLoader loader) throws ClassNotFoundException
    {
        final String name = internalName.replace('/', '.');
        try
        {
            return Class.forName(name, false, loader);
        }
        catch (final ClassNotFoundException ex)
        {
            final ClassLoader context = Thread.currentThread().getContextClassLoader();
            if (null == context || context == loader)
            {
                throw ex;
            }
            return Class.forName(name, false, context);
        }
    }

    /** Applies the JVM-wide filter to a class the lambda names, as Java serialization would. */
    private static void checkFilter(final Class<?> type, final int length)
    {
        final ObjectInputFilter filter = ObjectInputFilter.Config.getSerialFilter();
        if (null != filter && ObjectInputFilter.Status.REJECTED == filter.checkInput(new ClassInfo(type, length)))
        {
            throw new CodecException(
                "cannot decode message: class=" + type.getName() + " rejected by the JVM-wide filter jdk.serialFilter", null);
        }
    }

    private static CodecException unknownClass(final String name, final Throwable cause)
    {
        return new CodecException(
            "cannot decode message: unknown class=" + name + " (not on this JVM's class path)", cause);
    }

    private static String internalName(final Class<?> type)
    {
        return type.getName().replace('.', '/');
    }

    /** What is known of a class as a task: how a serializable lambda of it gives its form, and whether it fits. */
    private static final class Shape
    {
        private static final Shape NONE = new Shape(null);

        final Method writeReplace;
        /** 0 unknown, 1 its lambdas fit, 2 they do not: the same for all lambdas of a class. */
        volatile int fits;

        private Shape(final Method writeReplace)
        {
            this.writeReplace = writeReplace;
        }

        static Shape of(final Class<?> type)
        {
            if (!type.isHidden() || !type.isSynthetic())
            {
                return NONE;
            }
            try
            {
                final Method writeReplace = type.getDeclaredMethod("writeReplace");
                if (SerializedLambda.class != writeReplace.getReturnType() &&
                    Object.class != writeReplace.getReturnType())
                {
                    return NONE;
                }
                writeReplace.setAccessible(true);
                return new Shape(writeReplace);
            }
            catch (final NoSuchMethodException | RuntimeException notALambdaWeCanRead)
            {
                return NONE;
            }
        }
    }

    /** Writes a lambda's record and collects the group; one per encoding. */
    private static final class Encoder
    {
        private final ByteArrayOutputStream body = new ByteArrayOutputStream(256);
        private final DataOutputStream out = new DataOutputStream(body);
        private final List<Object> group = new ArrayList<>();
        private final Map<Object, Boolean> lambdas = new IdentityHashMap<>();
        private final long maxDepth = CodecConfiguration.serialMaxDepth();

        /** @return whether the lambda fits; if not, the task goes by Java serialization. */
        boolean lambda(final Object task, final SerializedLambda form, final int depth)
            throws IOException, ReflectiveOperationException
        {
            final int kind = interfaceKind(form.getFunctionalInterfaceClass(), form.getFunctionalInterfaceMethodName(),
                form.getFunctionalInterfaceMethodSignature());
            if (depth > maxDepth || kind < 0 || null != lambdas.put(task, Boolean.TRUE) || !fits(task, form, kind))
            {
                return false;
            }
            out.writeUTF(form.getCapturingClass());
            out.writeUTF(form.getImplClass());
            out.writeUTF(form.getImplMethodName());
            out.writeUTF(form.getImplMethodSignature());
            out.writeByte(form.getImplMethodKind());
            out.writeUTF(form.getFunctionalInterfaceClass());
            out.writeUTF(form.getFunctionalInterfaceMethodName());
            out.writeUTF(form.getFunctionalInterfaceMethodSignature());
            out.writeUTF(form.getInstantiatedMethodType());
            out.writeByte(form.getCapturedArgCount());
            for (int i = 0; i < form.getCapturedArgCount(); i++)
            {
                final Object value = form.getCapturedArg(i);
                final SerializedLambda nested = formOf(value);
                if (null != nested)
                {
                    out.writeByte(NESTED);
                    if (!lambda(value, nested, depth + 1))
                    {
                        return false;
                    }
                }
                else if (isPlain(value))
                {
                    final byte[] bytes = ControlBlocks.TASK_CODEC.encode(value);
                    out.writeByte(VALUE);
                    out.writeInt(bytes.length);
                    out.write(bytes);
                }
                else
                {
                    out.writeByte(SHARED);
                    out.writeInt(group.size());
                    group.add(value);
                }
            }
            return true;
        }

        /** @return the whole encoding, or {@code null} if the group holds a lambda. */
        byte[] finish() throws IOException
        {
            out.flush();
            byte[] groupBytes = new byte[0];
            if (!group.isEmpty())
            {
                final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
                bytes.write(Serialized.TAG);
                try (GroupStream stream = new GroupStream(bytes))
                {
                    stream.writeObject(group.toArray());
                    if (stream.sawLambda)
                    {
                        return null;
                    }
                }
                groupBytes = bytes.toByteArray();
            }
            final ByteArrayOutputStream all = new ByteArrayOutputStream(5 + groupBytes.length + body.size());
            final DataOutputStream head = new DataOutputStream(all);
            head.writeByte(LAMBDA);
            head.writeInt(groupBytes.length);
            head.write(groupBytes);
            body.writeTo(head);
            head.flush();
            return all.toByteArray();
        }

        /**
         * Whether the parts resolve here as they will in the child (the same class path); known per
         * class once one of its lambdas was tried, but for a remade lambda.
         */
        private static boolean fits(final Object task, final SerializedLambda form, final int kind)
            throws ReflectiveOperationException
        {
            final Shape shape = null != ReflectiveLambda.formOf(task) ? null : SHAPES.get(task.getClass());
            if (null != shape && 0 != shape.fits)
            {
                return 1 == shape.fits;
            }
            boolean fits = false;
            try
            {
                final ClassLoader loader = LambdaTasks.class.getClassLoader();
                load(form.getCapturingClass(), loader);
                ReflectiveLambda.of(form, load(form.getImplClass(), loader), loader, kind);
                fits = true;
            }
            catch (final ReflectiveOperationException | RuntimeException | LinkageError doesNotFit)
            {
                fits = false;
            }
            if (null != shape)
            {
                shape.fits = fits ? 1 : 2;
            }
            return fits;
        }

        private static boolean isPlain(final Object value)
        {
            if (null == value || value instanceof String)
            {
                return true;
            }
            final Class<?> type = value.getClass();
            return type == Integer.class || type == Long.class || type == Double.class || type == Float.class ||
                type == Short.class || type == Byte.class || type == Character.class || type == Boolean.class;
        }
    }

    /** The tag the task codec puts in front of a value it encodes by Java serialization. */
    private static final class Serialized
    {
        static final int TAG = ControlBlocks.TASK_CODEC.encode(NO_VALUES)[0];
    }

    /** Java serialization of the group that notes whether a lambda is in it. */
    private static final class GroupStream extends ObjectOutputStream
    {
        boolean sawLambda;

        GroupStream(final OutputStream out) throws IOException
        {
            super(out);
            enableReplaceObject(true);
        }

        @Override
        protected Object replaceObject(final Object obj)
        {
            sawLambda |= obj instanceof SerializedLambda;
            return obj;
        }
    }

    /** What the filter is told of a class a lambda names. */
    private static final class ClassInfo implements ObjectInputFilter.FilterInfo
    {
        private final Class<?> type;
        private final long length;

        ClassInfo(final Class<?> type, final long length)
        {
            this.type = type;
            this.length = length;
        }

        @Override
        public Class<?> serialClass()
        {
            return type;
        }

        @Override
        public long arrayLength()
        {
            return -1;
        }

        @Override
        public long depth()
        {
            return 1;
        }

        @Override
        public long references()
        {
            return 1;
        }

        @Override
        public long streamBytes()
        {
            return length;
        }
    }
}
