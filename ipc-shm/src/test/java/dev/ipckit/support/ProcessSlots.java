package dev.ipckit.support;

import dev.ipckit.internal.ProcessIdentity;
import dev.ipckit.internal.ProcessTableDescriptor;
import org.agrona.concurrent.AtomicBuffer;

/**
 * Simulates other processes in a primitive's process table through its layout
 * ({@link ProcessTableDescriptor}): slots claimed with the token of some live process, as that
 * many attached processes would, without starting that many JVMs.
 */
public final class ProcessSlots
{
    private ProcessSlots()
    {
    }

    /** @return the token of a live process other than this JVM (the one that started it). */
    public static long liveOtherToken()
    {
        final long token = ProcessIdentity.longTokenOf(ProcessHandle.current().parent().orElseThrow().pid());
        if (0 == token)
        {
            throw new IllegalStateException("the parent process has no token");
        }
        return token;
    }

    /** @return how many slots are free. */
    public static int free(final AtomicBuffer buffer, final int tableOffset)
    {
        int free = 0;
        for (int slot = 0; slot < ProcessTableDescriptor.SLOTS; slot++)
        {
            if (0 == buffer.getLongVolatile(ProcessTableDescriptor.slotOffset(tableOffset, slot)))
            {
                free++;
            }
        }
        return free;
    }

    /**
     * Claims free slots with a token until {@code leaveFree} are left.
     *
     * @return how many slots were claimed.
     */
    public static int fill(final AtomicBuffer buffer, final int tableOffset, final long token, final int leaveFree)
    {
        int claimed = 0;
        int free = free(buffer, tableOffset);
        for (int slot = 0; slot < ProcessTableDescriptor.SLOTS && free > leaveFree; slot++)
        {
            if (buffer.compareAndSetLong(ProcessTableDescriptor.slotOffset(tableOffset, slot), 0, token))
            {
                claimed++;
                free--;
            }
        }
        return claimed;
    }

    /** Frees every slot that holds the token, values and all. */
    public static void clear(final AtomicBuffer buffer, final int tableOffset, final long token)
    {
        for (int slot = 0; slot < ProcessTableDescriptor.SLOTS; slot++)
        {
            final int at = ProcessTableDescriptor.slotOffset(tableOffset, slot);
            if (buffer.getLongVolatile(at) == token)
            {
                for (int value = 0; value < ProcessTableDescriptor.VALUE_COUNT; value++)
                {
                    buffer.putLong(ProcessTableDescriptor.valueOffset(at, value), 0);
                }
                buffer.putLongVolatile(at, 0);
            }
        }
    }

    /**
     * Claims a free slot for a token.
     *
     * @return the slot's offset.
     */
    public static int claim(final AtomicBuffer buffer, final int tableOffset, final long token)
    {
        for (int slot = 0; slot < ProcessTableDescriptor.SLOTS; slot++)
        {
            final int at = ProcessTableDescriptor.slotOffset(tableOffset, slot);
            if (buffer.compareAndSetLong(at, 0, token))
            {
                return at;
            }
        }
        throw new IllegalStateException("no free slot");
    }

    /** @return the token of a process that ran and has exited: a real pid, now dead. */
    public static long deadToken() throws Exception
    {
        final Process process = new ProcessBuilder("sleep", "30").start();
        final long token = ProcessIdentity.longTokenOf(process.pid());
        process.destroyForcibly();
        process.waitFor();
        if (0 == token || ProcessIdentity.isAliveToken(token))
        {
            throw new IllegalStateException("no dead token");
        }
        return token;
    }

    /** @return the token as a process of another pid namespace would have it (same boot). */
    public static long inOtherNamespace(final long token)
    {
        return token ^ 1L << ProcessIdentity.NAMESPACE_SHIFT;
    }
}
