package dev.ipckit.process;

import java.lang.invoke.LambdaConversionException;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The class of a lambda that {@link ReflectiveLambda} calls by reflection, made once the lambda has
 * been called often enough: a pool worker that maps millions of elements then calls it as fast as
 * the lambda itself (a reflective call costs 2 to 10 ns more), while a short program never pays for
 * the class (spinning it costs a fresh JVM some tens of milliseconds, the cost this path avoids).
 * One class per implementation and interface, made as deserialising the lambda would make it (but
 * not serializable): by {@link LambdaMetafactory} in the capturing class. If it cannot be made (the
 * capturing class's package is not open to ipckit, for one), the lambda stays reflective.
 * <p>
 * <b>Note:</b> thread-safe.
 */
final class DirectLambdas
{
    /**
     * Calls of one remade function after which its class is made: about the cost of spinning the
     * class in a fresh JVM, counted in what reflective calls cost more than direct ones.
     */
    static final int CALLS_BEFORE_DIRECT = 1 << 20;

    private static final ConcurrentHashMap<String, DirectLambdas> BY_IMPLEMENTATION = new ConcurrentHashMap<>();

    private volatile MethodHandle factory;
    private boolean failed;

    private DirectLambdas()
    {
    }

    /**
     * @param form a lambda's form.
     * @return what makes lambdas of the form's implementation and interface, shared by all of them.
     */
    static DirectLambdas of(final SerializedLambda form)
    {
        final String key = form.getCapturingClass() + ' ' + form.getImplClass() + ' ' + form.getImplMethodName() +
            form.getImplMethodSignature() + ' ' + form.getImplMethodKind() + ' ' + form.getFunctionalInterfaceClass() +
            ' ' + form.getInstantiatedMethodType();
        return BY_IMPLEMENTATION.computeIfAbsent(key, ignored -> new DirectLambdas());
    }

    /**
     * @return whether the class is made, so that any lambda of it may be made at once.
     */
    boolean isMade()
    {
        return null != factory;
    }

    /**
     * Makes the lambda, and its class if it is the first.
     *
     * @param form           the lambda's form.
     * @param implementation its implementation, made accessible.
     * @param type           the interface to make it for ({@code Function} or {@code BiFunction}).
     * @param loader         where the form's classes are loaded from.
     * @param captured       its captured values.
     * @return the lambda, or {@code null} if it cannot be made here.
     */
    Object make(final SerializedLambda form, final Executable implementation, final Class<?> type,
        final ClassLoader loader, final Object[] captured)
    {
        final MethodHandle made = factory(form, implementation, type, loader, captured.length);
        if (null == made)
        {
            return null;
        }
        try
        {
            return made.invokeWithArguments(captured);
        }
        catch (final Throwable cannotMake)
        {
            return null;
        }
    }

    private synchronized MethodHandle factory(final SerializedLambda form, final Executable implementation,
        final Class<?> type, final ClassLoader loader, final int capturedCount)
    {
        if (null == factory && !failed)
        {
            try
            {
                final Class<?> capturing = Class.forName(form.getCapturingClass().replace('/', '.'), false, loader);
                final MethodHandles.Lookup caller = MethodHandles.privateLookupIn(capturing, MethodHandles.lookup());
                final MethodHandle target = implementation instanceof Method ?
                    caller.unreflect((Method)implementation) : caller.unreflectConstructor((Constructor<?>)implementation);
                final MethodType factoryType =
                    MethodType.methodType(type, target.type().parameterList().subList(0, capturedCount));
                factory = LambdaMetafactory.metafactory(caller, form.getFunctionalInterfaceMethodName(), factoryType,
                    MethodType.fromMethodDescriptorString(form.getFunctionalInterfaceMethodSignature(), loader),
                    target, MethodType.fromMethodDescriptorString(form.getInstantiatedMethodType(), loader)).getTarget();
            }
            catch (final ReflectiveOperationException | LambdaConversionException | RuntimeException | LinkageError ex)
            {
                failed = true;
            }
        }
        return factory;
    }
}
