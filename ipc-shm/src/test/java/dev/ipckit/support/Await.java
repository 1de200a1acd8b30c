package dev.ipckit.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/** Polls a condition that another process makes true, with a bound. */
public final class Await
{
    private Await()
    {
    }

    public static void until(final String what, final Duration bound, final BooleanSupplier condition)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                fail("not within " + bound + ": " + what);
            }
            Thread.sleep(10);
        }
    }
}
