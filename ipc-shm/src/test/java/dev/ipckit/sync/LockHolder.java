package dev.ipckit.sync;

import dev.ipckit.support.InChild;

import java.util.concurrent.locks.Lock;

/**
 * A child that takes a lock ({@code args[0]}, a handle), prints {@code holding}, and holds it until
 * the test sends a line (then unlocks and exits) or kills it.
 */
final class LockHolder
{
    private LockHolder()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Lock lock = InChild.attach(args[0]);
        lock.lock();
        InChild.tell("holding");
        InChild.hear();
        lock.unlock();
    }
}
