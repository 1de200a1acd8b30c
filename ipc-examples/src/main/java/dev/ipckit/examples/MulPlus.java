package dev.ipckit.examples;

import dev.ipckit.process.IpcProcess;

import java.io.Serializable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntBinaryOperator;

/**
 * The tasks of CPython's pool examples ({@code mul}, {@code plus}, {@code calculate}), shared by
 * {@link PoolTest} and {@link WorkerPoolQueues}: a call names a function and its two arguments,
 * and each function pauses at random before it answers.
 */
final class MulPlus
{
    private MulPlus()
    {
    }

    /**
     * The functions the calls name, by their Python names.
     */
    enum Func
    {
        MUL("mul", (a, b) -> a * b),
        PLUS("plus", (a, b) -> a + b);

        private final String pythonName;
        private final IntBinaryOperator operator;

        Func(final String pythonName, final IntBinaryOperator operator)
        {
            this.pythonName = pythonName;
            this.operator = operator;
        }

        @Override
        public String toString()
        {
            return pythonName;
        }
    }

    /**
     * A call: a function and its two arguments, Python's {@code (func, args)} tuple.
     *
     * @param func the function.
     * @param a    its first argument.
     * @param b    its second argument.
     */
    record Call(Func func, int a, int b) implements Serializable
    {
        /**
         * Python's {@code calculate(func, args)}: pauses up to {@code maxPauseMillis} at random,
         * applies the function, and says so.
         *
         * @param maxPauseMillis the longest pause.
         * @return "{@code <process name> says that mul(3, 7) = 21}".
         * @throws java.util.concurrent.CancellationException if interrupted while pausing.
         */
        String calculate(final long maxPauseMillis)
        {
            Pause.millis((long)(maxPauseMillis * ThreadLocalRandom.current().nextDouble()));
            final int result = func.operator.applyAsInt(a, b);
            return IpcProcess.currentName() + " says that " + this + " = " + result;
        }

        @Override
        public String toString()
        {
            return func + "(" + a + ", " + b + ")";
        }
    }
}
