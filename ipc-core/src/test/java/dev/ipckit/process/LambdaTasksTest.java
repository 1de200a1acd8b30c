package dev.ipckit.process;

import dev.ipckit.codec.CodecException;
import dev.ipckit.pipe.Connection;
import dev.ipckit.pipe.Pipe;
import dev.ipckit.support.RuntimeDirectoryClean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.Serializable;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Lambdas sent as their parts ({@link LambdaTasks}) and called by reflection in real child JVMs,
 * for each kind of implementation, and what falls back to Java serialization.
 */
@Timeout(120)
@ExtendWith(RuntimeDirectoryClean.class)
class LambdaTasksTest
{
    private static final Duration BOUND = Duration.ofSeconds(30);

    @Test
    void shouldRunAStaticLambdaCapturingPlainValuesAndAPipeEndInAChild() throws Exception
    {
        final Pipe pipe = Pipe.open();
        final Connection out = pipe.right();
        final int n = 7;
        final long big = 1L << 40;
        final double half = 0.5;
        final char letter = 'x';
        final boolean flag = true;
        final String word = "seven";
        final Task task = () -> out.send(word + n + big + half + letter + flag);
        assertCompact(task, MethodHandleInfo.REF_invokeStatic);

        final IpcProcess child = IpcProcess.start(task);
        out.close();
        try (Connection in = pipe.left())
        {
            assertEquals("seven710995116277760.5xtrue", in.recv());
        }
        assertTrue(child.join(BOUND));
        assertEquals(0, child.exitCode());
    }

    @Test
    void shouldRunInstanceLambdasAndAMethodReferenceBoundToAnObjectInAChild() throws Exception
    {
        final Greeter greeter = new Greeter("hello");
        final Pipe[] pipes = { Pipe.open(), Pipe.open(), Pipe.open() };
        final Task instance = greeter.greet(pipes[0].right(), "child");
        assertCompact(instance, MethodHandleInfo.REF_invokeVirtual);
        final SerializedLambda form = formOf(instance);
        final SerializedLambda special = new SerializedLambda(Greeter.class, form.getFunctionalInterfaceClass(),
            form.getFunctionalInterfaceMethodName(), form.getFunctionalInterfaceMethodSignature(),
            MethodHandleInfo.REF_invokeSpecial, form.getImplClass(), form.getImplMethodName(),
            form.getImplMethodSignature(), form.getInstantiatedMethodType(),
            new Object[]{ greeter, pipes[1].right(), "special" });
        final Object remade = ReflectiveLambda.of(
            special, Greeter.class, Greeter.class.getClassLoader(), ReflectiveLambda.TASK);
        assertEquals(LambdaTasks.LAMBDA, LambdaTasks.encode(remade)[0], "as javac before 11 made them");
        final Task superCall = greeter.superGreeting(pipes[2].right());
        assertCompact(superCall, MethodHandleInfo.REF_invokeStatic);

        final List<IpcProcess> children =
            List.of(IpcProcess.start(instance), IpcProcess.start((Task)remade), IpcProcess.start(superCall));
        final List<String> expected = List.of("hello, child", "hello, special", "base");
        for (int i = 0; i < pipes.length; i++)
        {
            pipes[i].right().close();
            try (Connection in = pipes[i].left())
            {
                assertEquals(expected.get(i), in.recv());
            }
            assertTrue(children.get(i).join(BOUND));
            assertEquals(0, children.get(i).exitCode());
        }

        final Task bound = greeter::exitWithLength;
        assertCompact(bound, MethodHandleInfo.REF_invokeVirtual);
        final IpcProcess exiting = IpcProcess.start(bound);
        assertTrue(exiting.join(BOUND));
        assertEquals(5, exiting.exitCode());
    }

    @Test
    void shouldCallMethodReferencesOfEveryKindAndPrimitiveSignaturesInAWorker() throws Exception
    {
        final SerializableFunction<String, Integer> length = String::length;
        final SerializableFunction<List<Integer>, Integer> size = List::size;
        final SerializableFunction<String, BigInteger> parse = BigInteger::new;
        final SerializableBiFunction<Integer, Integer, Integer> max = Math::max;
        final SerializableBiFunction<Integer, Integer, Long> product = LambdaTasksTest::product;
        final SerializableCallable<String> upper = "abc"::toUpperCase;
        final int k = 3;
        final SerializableFunction<Integer, Integer> times = x -> x * k;
        final SerializableFunction<Integer, Long> square = x -> (long)x * x;
        assertCompact(length, MethodHandleInfo.REF_invokeVirtual);
        assertCompact(size, MethodHandleInfo.REF_invokeInterface);
        assertCompact(parse, MethodHandleInfo.REF_newInvokeSpecial);
        assertCompact(max, MethodHandleInfo.REF_invokeStatic);
        assertCompact(product, MethodHandleInfo.REF_invokeStatic);
        assertCompact(upper, MethodHandleInfo.REF_invokeVirtual);
        assertCompact(times, MethodHandleInfo.REF_invokeStatic);

        try (ProcessPool pool = ProcessPool.create(1))
        {
            assertEquals(List.of(0, 1, 3), pool.map(length, List.of("", "a", "abc")));
            assertEquals(List.of(0, 2), pool.map(size, List.of(List.of(), List.of(1, 2))));
            assertEquals(List.of(BigInteger.TEN, BigInteger.ONE.shiftLeft(70)),
                pool.map(parse, List.of("10", BigInteger.ONE.shiftLeft(70).toString())));
            final List<Map.Entry<Integer, Integer>> pairs = List.of(Map.entry(1, 2), Map.entry(-4, -9));
            assertEquals(List.of(2, -4), pool.starmap(max, pairs));
            final List<Map.Entry<Integer, Integer>> large = List.of(Map.entry(1 << 30, 1 << 30));
            assertEquals(List.of(1L << 60), pool.starmap(product, large));
            assertEquals("ABC", pool.apply(upper));
            assertEquals(List.of(0, 3, 6), pool.map(times, List.of(0, 1, 2)));
            assertEquals(List.of(1L << 32), pool.map(square, List.of(1 << 16)));
        }
    }

    @Test
    void shouldThrowWhatTheImplementationThrowsAsTheLambdaWould() throws Exception
    {
        final SerializableFunction<Integer, Integer> abs = Math::abs;
        try (ProcessPool pool = ProcessPool.create(1))
        {
            final TaskFailedException checked = assertThrows(TaskFailedException.class,
                () -> pool.apply(LambdaTasksTest::failChecked));
            assertInstanceOf(IOException.class, checked.getCause());
            assertEquals("expected by LambdaTasksTest", checked.getCause().getMessage());

            final TaskFailedException unboxed = assertThrows(TaskFailedException.class,
                () -> pool.map(abs, Arrays.asList(1, null)));
            assertInstanceOf(NullPointerException.class, unboxed.getCause());

            final List<Object> mixed = new ArrayList<>(List.of(1, "two"));
            @SuppressWarnings({ "unchecked", "rawtypes" })
            final List<Integer> polluted = (List)mixed;
            final TaskFailedException cast = assertThrows(TaskFailedException.class, () -> pool.map(abs, polluted));
            assertInstanceOf(ClassCastException.class, cast.getCause());

            assertEquals(List.of(1, 4), pool.map(abs, List.of(-1, 4)), "the worker serves on");
        }
        final IpcProcess failing = IpcProcess.start(LambdaTasksTest::failChecked);
        assertTrue(failing.join(BOUND));
        assertEquals(1, failing.exitCode());
    }

    @Test
    void shouldRunALambdaCapturingALambdaAndHandItOnToAGrandchild() throws Exception
    {
        final Task inner = () -> System.exit(9);
        final Task outer = () ->
        {
            final IpcProcess grandchild = IpcProcess.start(inner);
            grandchild.join();
            System.exit(grandchild.exitCode());
        };
        assertCompact(outer, MethodHandleInfo.REF_invokeStatic);
        final IpcProcess child = IpcProcess.start(outer);
        assertTrue(child.join(BOUND));
        assertEquals(9, child.exitCode());
    }

    @Test
    void shouldFallBackToJavaSerializationForWhatDoesNotFit() throws Exception
    {
        final Named named = () -> System.exit(5);
        assertNotEquals(LambdaTasks.LAMBDA, LambdaTasks.encode(named)[0], "not one of ipckit's task interfaces");
        final List<Task> held = List.of(() -> System.exit(6));
        final Task holding = () -> held.get(0).run();
        assertNotEquals(LambdaTasks.LAMBDA, LambdaTasks.encode(holding)[0], "a lambda inside a captured object");

        final IpcProcess first = IpcProcess.start(named);
        final IpcProcess second = IpcProcess.start(holding);
        assertTrue(first.join(BOUND));
        assertTrue(second.join(BOUND));
        assertEquals(5, first.exitCode());
        assertEquals(6, second.exitCode());

        final Object notSerializable = new Object();
        final Task unsendable = () -> notSerializable.hashCode();
        final CodecException asBefore =
            assertThrows(CodecException.class, () -> ControlBlocks.TASK_CODEC.encode(unsendable));
        final IllegalArgumentException refused =
            assertThrows(IllegalArgumentException.class, () -> IpcProcess.builder().target(unsendable).build());
        assertEquals("task cannot be sent to a child process: " + asBefore.getMessage(), refused.getMessage());
    }

    @Test
    void shouldApplyTheJvmWideFilterToTheLambdasClassInTheChild() throws Exception
    {
        final Task task = () -> System.exit(4);
        assertCompact(task, MethodHandleInfo.REF_invokeStatic);
        final IpcProcess refused = IpcProcess.builder()
            .jvmArgs("-Djdk.serialFilter=!" + LambdaTasksTest.class.getName())
            .target(task)
            .start();
        final IpcProcess allowed = IpcProcess.start(task);
        assertTrue(refused.join(BOUND));
        assertTrue(allowed.join(BOUND));
        assertEquals(1, refused.exitCode(), "the child could not receive its task");
        assertEquals(4, allowed.exitCode());
    }

    @Test
    void shouldCallAFunctionCalledOftenAsTheLambdaItself()
    {
        final int k = 2;
        final SerializableFunction<Integer, Integer> twice = x ->
        {
            if (x < 0)
            {
                throw new IllegalStateException("expected by LambdaTasksTest");
            }
            return x * k;
        };
        final Function<Integer, Integer> remade = remade(twice);
        assertTrue(callsByReflection(remade));
        long sum = 0;
        for (int i = 0; i < DirectLambdas.CALLS_BEFORE_DIRECT; i++)
        {
            sum += remade.apply(i & 1);
        }
        assertEquals(DirectLambdas.CALLS_BEFORE_DIRECT, sum);
        assertFalse(callsByReflection(remade), "called as the lambda itself");
        assertEquals(6, remade.apply(3));
        assertFalse(callsByReflection(remade(twice)), "another of the same implementation at once");
    }

    @SuppressWarnings("unchecked")
    private static Function<Integer, Integer> remade(final SerializableFunction<Integer, Integer> function)
    {
        final byte[] bytes = LambdaTasks.encode(function);
        return (Function<Integer, Integer>)LambdaTasks.decode(bytes, 0, bytes.length);
    }

    private static boolean callsByReflection(final Function<Integer, Integer> function)
    {
        final IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> function.apply(-1));
        return Arrays.stream(thrown.getStackTrace())
            .anyMatch(frame -> ReflectiveLambda.class.getName().equals(frame.getClassName()));
    }

    private static void assertCompact(final Object lambda, final int kind) throws Exception
    {
        assertEquals(kind, formOf(lambda).getImplMethodKind());
        assertEquals(LambdaTasks.LAMBDA, LambdaTasks.encode(lambda)[0], "sent as its parts");
    }

    private static SerializedLambda formOf(final Object lambda) throws Exception
    {
        final Method writeReplace = lambda.getClass().getDeclaredMethod("writeReplace");
        writeReplace.setAccessible(true);
        return (SerializedLambda)writeReplace.invoke(lambda);
    }

    private static long product(final long a, final long b)
    {
        return a * b;
    }

    private static String failChecked() throws IOException
    {
        throw new IOException("expected by LambdaTasksTest");
    }

    /** A task interface of the user's own: its lambdas go by Java serialization. */
    @FunctionalInterface
    interface Named extends Task
    {
    }

    /** What {@link Greeter} overrides. */
    static class BaseGreeter implements Serializable
    {
        private static final long serialVersionUID = 1L;

        public String greeting()
        {
            return "base";
        }
    }

    /** An object whose lambdas capture it. */
    static final class Greeter extends BaseGreeter
    {
        private static final long serialVersionUID = 1L;
        private final String greeting;

        Greeter(final String greeting)
        {
            this.greeting = greeting;
        }

        Task greet(final Connection out, final String name)
        {
            return () -> out.send(greeting + ", " + name);
        }

        @Override
        public String greeting()
        {
            return greeting;
        }

        /** A reference to the overridden method (javac makes it a lambda capturing this), captured by a lambda. */
        Task superGreeting(final Connection out)
        {
            final SerializableCallable<String> base = super::greeting;
            return () -> out.send(base.call());
        }

        public void exitWithLength()
        {
            System.exit(greeting.length());
        }
    }
}
