package dev.ipckit.durable;

import java.io.Serializable;
import java.util.Objects;

/**
 * How a durable queue is opened: whether each {@code put} is written through to the disk, and the
 * roll period of a new queue.
 * <pre>{@code
 * DurableQueue<Order> q = DurableQueue.open(dir, DurableOptions.defaults().sync(true));
 * }</pre>
 * <b>Note:</b> immutable; thread-safe.
 */
public final class DurableOptions implements Serializable
{
    private static final long serialVersionUID = 1L;
    private static final DurableOptions DEFAULTS = new DurableOptions(false, RollPeriod.HOUR);

    /** Whether each put is forced to the storage device before it returns. */
    private final boolean sync;
    /** How often the log starts a new file. */
    private final RollPeriod rollPeriod;

    private DurableOptions(final boolean sync, final RollPeriod rollPeriod)
    {
        this.sync = sync;
        this.rollPeriod = rollPeriod;
    }

    /**
     * @return no sync, a file an hour.
     */
    public static DurableOptions defaults()
    {
        return DEFAULTS;
    }

    /**
     * @param sync true to have every {@code put} return only once its item is on the disk
     *             ({@code msync} of the log): the item then survives a power loss too, at the cost
     *             of a disk write per put (hundreds of microseconds to milliseconds).
     * @return options with that setting.
     */
    public DurableOptions sync(final boolean sync)
    {
        return new DurableOptions(sync, rollPeriod);
    }

    /**
     * @param rollPeriod the roll period of a new queue; an existing queue keeps its own.
     * @return options with that setting.
     */
    public DurableOptions rollPeriod(final RollPeriod rollPeriod)
    {
        return new DurableOptions(sync, Objects.requireNonNull(rollPeriod, "rollPeriod"));
    }

    /**
     * @return whether every put is written through to the disk.
     */
    public boolean isSync()
    {
        return sync;
    }

    /**
     * @return the roll period of a new queue.
     */
    public RollPeriod rollPeriod()
    {
        return rollPeriod;
    }

    @Override
    public String toString()
    {
        return "DurableOptions{sync=" + sync + ", rollPeriod=" + rollPeriod + '}';
    }
}
