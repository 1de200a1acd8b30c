package dev.ipckit.examples;

import dev.ipckit.manager.Manager;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * CPython's custom manager example: a class registered twice, each time exposing different
 * methods (the interface given to {@code register}), a generator served as an iterator, and an
 * "operator module" object; the registered objects print in the server process.
 */
public final class CustomManager
{
    /** What {@code Foo1} exposes. */
    public interface FooFG
    {
        /** Prints a line in the server. */
        void f();

        /** Prints a line in the server. */
        void g();
    }

    /** What {@code Foo2} exposes. */
    public interface FooGH
    {
        /** Prints a line in the server. */
        void g();

        /** Prints a line in the server. */
        void h();
    }

    /** Arithmetic, as Python's {@code operator} module. */
    public interface Operator
    {
        /**
         * @param a a number.
         * @param b another.
         * @return their sum.
         */
        int add(int a, int b);

        /**
         * @param base     the base.
         * @param exponent the exponent.
         * @return {@code base} to the {@code exponent}.
         */
        BigInteger pow(BigInteger base, int exponent);
    }

    private CustomManager()
    {
    }

    /**
     * @param args ignored.
     */
    public static void main(final String[] args)
    {
        try (Manager manager = Manager.builder()
            .register("Foo1", Foo::new, FooFG.class)
            .register("Foo2", Foo::new, FooGH.class)
            .register("baz", CustomManager::baz, Iterator.class)
            .register("operator", Arithmetic::new, Operator.class)
            .start())
        {
            System.out.println("-".repeat(20));
            final FooFG f1 = manager.proxy("Foo1", FooFG.class);
            f1.f();
            f1.g();
            System.out.println("f1 exposes " + exposed(FooFG.class) + ", is a FooGH: " + (f1 instanceof FooGH));

            System.out.println("-".repeat(20));
            final FooGH f2 = manager.proxy("Foo2", FooGH.class);
            f2.g();
            f2.h();
            System.out.println("f2 exposes " + exposed(FooGH.class) + ", is a FooFG: " + (f2 instanceof FooFG));

            System.out.println("-".repeat(20));
            final Iterator<?> it = manager.proxy("baz", Iterator.class);
            final StringBuilder line = new StringBuilder();
            while (it.hasNext())
            {
                line.append('<').append(it.next()).append("> ");
            }
            System.out.println(line.toString().trim());

            System.out.println("-".repeat(20));
            final Operator op = manager.proxy("operator", Operator.class);
            System.out.println("op.add(23, 45) = " + op.add(23, 45));
            System.out.println("op.pow(2, 94) = " + op.pow(BigInteger.TWO, 94));
            System.out.println("op exposes " + exposed(Operator.class));
        }
    }

    private static String exposed(final Class<?> iface)
    {
        return Arrays.toString(Arrays.stream(iface.getMethods()).map(java.lang.reflect.Method::getName).sorted().toArray());
    }

    private static Iterator<Integer> baz()
    {
        return new Iterator<>()
        {
            private int i;

            @Override
            public boolean hasNext()
            {
                return i < 10;
            }

            @Override
            public Integer next()
            {
                if (!hasNext())
                {
                    throw new NoSuchElementException();
                }
                final int n = i++;
                return n * n;
            }
        };
    }

    /** The registered class: three methods, of which each registration exposes two. */
    static final class Foo implements FooFG, FooGH
    {
        @Override
        public void f()
        {
            System.out.println("you called Foo.f()");
        }

        @Override
        public void g()
        {
            System.out.println("you called Foo.g()");
        }

        @Override
        public void h()
        {
            System.out.println("you called Foo.h()");
        }
    }

    /** The "operator module". */
    static final class Arithmetic implements Operator
    {
        @Override
        public int add(final int a, final int b)
        {
            return a + b;
        }

        @Override
        public BigInteger pow(final BigInteger base, final int exponent)
        {
            return base.pow(exponent);
        }
    }
}
