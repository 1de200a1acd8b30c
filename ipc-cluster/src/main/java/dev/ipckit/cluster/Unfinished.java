package dev.ipckit.cluster;

import com.hazelcast.map.EntryProcessor;

import java.util.Map;

/**
 * Adds to a joinable queue's count of unfinished tasks, on the member that owns the count (and then
 * on its backup), so concurrent changes from any member never lose an update. A change that would
 * make the count negative changes nothing and returns -1.
 * <p>
 * <b>Note:</b> immutable.
 */
final class Unfinished implements EntryProcessor<String, Long, Long>
{
    private static final long serialVersionUID = 1L;

    private final long delta;

    Unfinished(final long delta)
    {
        this.delta = delta;
    }

    @Override
    public Long process(final Map.Entry<String, Long> entry)
    {
        final long current = null == entry.getValue() ? 0 : entry.getValue();
        final long next = current + delta;
        if (next < 0)
        {
            return -1L;
        }
        entry.setValue(0 == next ? null : next);
        return next;
    }
}
