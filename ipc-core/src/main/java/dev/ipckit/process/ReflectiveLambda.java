package dev.ipckit.process;

import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.MethodType;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A serializable lambda remade in another JVM from its {@link SerializedLambda} form without making
 * its class: it calls the lambda's implementation method by reflection. Deserialising the lambda
 * instead would spin a serialization constructor and the lambda's class (with the JDK's ASM,
 * interpreted, never from a class-data-sharing archive); a reflective call of a method the JVM has
 * loaded spins nothing for its first calls.
 * <p>
 * {@link #of} gives it as a {@link Task}, {@link SerializableCallable}, {@link SerializableFunction}
 * or {@link SerializableBiFunction}, the interface the lambda was made for ({@link LambdaTasks}
 * sends no other). It behaves as the lambda would: arguments are checked against the lambda's
 * instantiated types ({@link ClassCastException}), a {@code null} for a primitive parameter or
 * receiver throws {@link NullPointerException}, and what the implementation throws is thrown as it
 * is. Serialising it writes the lambda's {@link SerializedLambda}, so it is sent on as the lambda
 * itself would be. A function called often enough is then called as the lambda itself, whose
 * class is made then ({@link DirectLambdas}).
 * <p>
 * <b>Note:</b> thread-safe as far as the implementation method is.
 */
final class ReflectiveLambda
{
    /** The functional interfaces, in the order of {@link #of}'s {@code kind}. */
    static final int TASK = 0;
    static final int CALLABLE = 1;
    static final int FUNCTION = 2;
    static final int BI_FUNCTION = 3;

    private static final Object[] NO_ARGS = new Object[0];

    private final SerializedLambda form;
    private final Method method;
    private final Constructor<?> constructor;
    private final boolean receiverFirst;
    private final Object[] captured;
    private final Class<?>[] callTypes;
    private final Class<?>[] parameterTypes;
    private final ClassLoader loader;
    /** For a function: the class made once it is called often enough ({@link DirectLambdas}); else null. */
    private final DirectLambdas direct;
    /** The lambda made by {@link #direct}, or this if it cannot be; null until then. */
    private volatile Object itself;
    /** Counted without synchronisation: the count matters only roughly. */
    private int calls;

    private ReflectiveLambda(final SerializedLambda form, final Executable implementation, final Class<?>[] callTypes,
        final Object[] captured, final ClassLoader loader, final boolean function)
    {
        this.form = form;
        this.loader = loader;
        this.direct = function ? DirectLambdas.of(form) : null;
        this.method = implementation instanceof Method ? (Method)implementation : null;
        this.constructor = implementation instanceof Constructor ? (Constructor<?>)implementation : null;
        this.receiverFirst = null != method && !Modifier.isStatic(method.getModifiers());
        this.captured = captured;
        this.callTypes = callTypes;
        this.parameterTypes = implementation.getParameterTypes();
    }

    /**
     * Finds the lambda's implementation and makes it callable from here.
     *
     * @param form     the lambda's form; its captured values are the ones to call with.
     * @param implClass the implementation's class, loaded (not necessarily initialised).
     * @param loader   where the classes of the signatures are loaded from.
     * @param kind     the functional interface: {@link #TASK}, {@link #CALLABLE}, {@link #FUNCTION}
     *                 or {@link #BI_FUNCTION}.
     * @return the lambda, an instance of that interface.
     * @throws ReflectiveOperationException if the implementation is not there.
     * @throws IllegalArgumentException     if the form is not one this class can call as the lambda
     *                                      would: an unknown kind, a non-private special call, a
     *                                      signature that does not match the captured values.
     * @throws RuntimeException             if the implementation cannot be made accessible
     *                                      ({@link java.lang.reflect.InaccessibleObjectException},
     *                                      {@link SecurityException}), or a signature names a class
     *                                      that is not there ({@link TypeNotPresentException}).
     */
    static Object of(final SerializedLambda form, final Class<?> implClass, final ClassLoader loader, final int kind)
        throws ReflectiveOperationException
    {
        final int arity = FUNCTION == kind ? 1 : BI_FUNCTION == kind ? 2 : 0;
        final Class<?>[] implTypes =
            MethodType.fromMethodDescriptorString(form.getImplMethodSignature(), loader).parameterArray();
        final Class<?>[] callTypes =
            MethodType.fromMethodDescriptorString(form.getInstantiatedMethodType(), loader).parameterArray();
        final Executable implementation;
        final boolean hasReceiver;
        switch (form.getImplMethodKind())
        {
            case MethodHandleInfo.REF_newInvokeSpecial:
                implementation = implClass.getDeclaredConstructor(implTypes);
                hasReceiver = false;
                break;
            case MethodHandleInfo.REF_invokeStatic:
            case MethodHandleInfo.REF_invokeVirtual:
            case MethodHandleInfo.REF_invokeInterface:
            case MethodHandleInfo.REF_invokeSpecial:
                final Method found = implClass.getDeclaredMethod(form.getImplMethodName(), implTypes);
                final int modifiers = found.getModifiers();
                hasReceiver = !Modifier.isStatic(modifiers);
                if (hasReceiver == (MethodHandleInfo.REF_invokeStatic == form.getImplMethodKind()) ||
                    MethodHandleInfo.REF_invokeSpecial == form.getImplMethodKind() && !Modifier.isPrivate(modifiers))
                {
                    throw new IllegalArgumentException("kind=" + form.getImplMethodKind() + " does not fit " + found);
                }
                implementation = found;
                break;
            default:
                throw new IllegalArgumentException("kind=" + form.getImplMethodKind());
        }
        if (callTypes.length != arity ||
            implTypes.length + (hasReceiver ? 1 : 0) != form.getCapturedArgCount() + arity)
        {
            throw new IllegalArgumentException("signature does not fit: " + form);
        }
        implementation.setAccessible(true);
        final Object[] captured = new Object[form.getCapturedArgCount()];
        for (int i = 0; i < captured.length; i++)
        {
            captured[i] = form.getCapturedArg(i);
        }
        final ReflectiveLambda lambda = new ReflectiveLambda(
            form, implementation, boxed(callTypes), captured, loader, FUNCTION == kind || BI_FUNCTION == kind);
        switch (kind)
        {
            case TASK:
                return new AsTask(lambda);
            case CALLABLE:
                return new AsCallable(lambda);
            case FUNCTION:
                return new AsFunction(lambda);
            default:
                return new AsBiFunction(lambda);
        }
    }

    /**
     * @param task any object.
     * @return the form of the lambda if the object is one remade here, else {@code null}.
     */
    static SerializedLambda formOf(final Object task)
    {
        return task instanceof Remade ? ((Remade)task).lambda().form : null;
    }

    /**
     * Counts a call of a function; once it was called {@link DirectLambdas#CALLS_BEFORE_DIRECT}
     * times, or another lambda of its implementation was, makes the lambda itself.
     *
     * @return the lambda itself, to call instead of {@link #invoke}; null while it is called by reflection.
     */
    private Object direct()
    {
        final Object made = itself;
        if (null != made)
        {
            return this == made ? null : made;
        }
        if (++calls < DirectLambdas.CALLS_BEFORE_DIRECT && !direct.isMade())
        {
            return null;
        }
        return makeDirect();
    }

    private synchronized Object makeDirect()
    {
        if (null == itself)
        {
            final Object made = direct.make(form, null != method ? method : constructor,
                2 == callTypes.length ? BiFunction.class : Function.class, loader, captured);
            itself = null == made ? this : made;
        }
        return this == itself ? null : itself;
    }

    private Object invoke(final Object[] args)
    {
        final int first = captured.length - (receiverFirst ? 1 : 0);
        for (int i = 0; i < args.length; i++)
        {
            final Object arg = args[i];
            if (null == arg)
            {
                if (first + i < 0 || parameterTypes[first + i].isPrimitive())
                {
                    throw new NullPointerException();
                }
            }
            else if (!callTypes[i].isInstance(arg))
            {
                throw new ClassCastException(
                    "class " + arg.getClass().getName() + " cannot be cast to class " + callTypes[i].getName());
            }
        }
        final Object[] all;
        if (0 == captured.length)
        {
            all = args;
        }
        else
        {
            all = Arrays.copyOf(captured, captured.length + args.length);
            System.arraycopy(args, 0, all, captured.length, args.length);
        }
        try
        {
            if (null != constructor)
            {
                return constructor.newInstance(all);
            }
            if (!receiverFirst)
            {
                return method.invoke(null, all);
            }
            return method.invoke(all[0], Arrays.copyOfRange(all, 1, all.length));
        }
        catch (final InvocationTargetException ex)
        {
            throw ReflectiveLambda.<RuntimeException>rethrow(ex.getCause());
        }
        catch (final IllegalAccessException | InstantiationException ex)
        {
            throw new IllegalStateException("implementation made accessible cannot be called: " + form, ex);
        }
    }

    /** Throws what the implementation threw as it is, checked or not, as the lambda would. */
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E rethrow(final Throwable thrown) throws E
    {
        throw (E)thrown;
    }

    private static Class<?>[] boxed(final Class<?>[] types)
    {
        final Class<?>[] boxed = types.clone();
        for (int i = 0; i < boxed.length; i++)
        {
            if (boxed[i].isPrimitive())
            {
                boxed[i] = MethodType.methodType(boxed[i]).wrap().returnType();
            }
        }
        return boxed;
    }

    /** A remade lambda as one of the functional interfaces; serialised as its lambda's form. */
    private interface Remade
    {
        ReflectiveLambda lambda();
    }

    private static final class AsTask implements Task, Remade
    {
        private static final long serialVersionUID = 1L;
        private final transient ReflectiveLambda lambda;

        AsTask(final ReflectiveLambda lambda)
        {
            this.lambda = lambda;
        }

        @Override
        public void run()
        {
            lambda.invoke(NO_ARGS);
        }

        @Override
        public ReflectiveLambda lambda()
        {
            return lambda;
        }

        private Object writeReplace()
        {
            return lambda.form;
        }
    }

    private static final class AsCallable implements SerializableCallable<Object>, Remade
    {
        private static final long serialVersionUID = 1L;
        private final transient ReflectiveLambda lambda;

        AsCallable(final ReflectiveLambda lambda)
        {
            this.lambda = lambda;
        }

        @Override
        public Object call()
        {
            return lambda.invoke(NO_ARGS);
        }

        @Override
        public ReflectiveLambda lambda()
        {
            return lambda;
        }

        private Object writeReplace()
        {
            return lambda.form;
        }
    }

    private static final class AsFunction implements SerializableFunction<Object, Object>, Remade
    {
        private static final long serialVersionUID = 1L;
        private final transient ReflectiveLambda lambda;

        AsFunction(final ReflectiveLambda lambda)
        {
            this.lambda = lambda;
        }

        @Override
        @SuppressWarnings("unchecked")
        public Object apply(final Object value)
        {
            final Object direct = lambda.direct();
            return null != direct ? ((Function<Object, Object>)direct).apply(value) : lambda.invoke(new Object[]{ value });
        }

        @Override
        public ReflectiveLambda lambda()
        {
            return lambda;
        }

        private Object writeReplace()
        {
            return lambda.form;
        }
    }

    private static final class AsBiFunction implements SerializableBiFunction<Object, Object, Object>, Remade
    {
        private static final long serialVersionUID = 1L;
        private final transient ReflectiveLambda lambda;

        AsBiFunction(final ReflectiveLambda lambda)
        {
            this.lambda = lambda;
        }

        @Override
        @SuppressWarnings("unchecked")
        public Object apply(final Object first, final Object second)
        {
            final Object direct = lambda.direct();
            return null != direct ?
                ((BiFunction<Object, Object, Object>)direct).apply(first, second) :
                lambda.invoke(new Object[]{ first, second });
        }

        @Override
        public ReflectiveLambda lambda()
        {
            return lambda;
        }

        private Object writeReplace()
        {
            return lambda.form;
        }
    }
}
