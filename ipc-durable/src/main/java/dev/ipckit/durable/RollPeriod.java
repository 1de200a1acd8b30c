package dev.ipckit.durable;

import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;

/**
 * How long one file of a durable queue's log covers. Once every item in a file is done, and the
 * queue has moved to a later file, the file is deleted: a shorter period frees the disk sooner, a
 * longer one makes fewer files. A new queue takes the period it is opened with; an existing queue
 * keeps the one it was created with.
 */
public enum RollPeriod
{
    /** A file a second: for tests and very busy short-lived queues. */
    SECOND(TestRollCycles.TEST_SECONDLY),
    /** A file every five minutes. */
    FIVE_MINUTES(RollCycles.FIVE_MINUTELY),
    /** A file an hour: the default. */
    HOUR(RollCycles.FAST_HOURLY),
    /** A file a day. */
    DAY(RollCycles.FAST_DAILY);

    private final RollCycle rollCycle;

    RollPeriod(final RollCycle rollCycle)
    {
        this.rollCycle = rollCycle;
    }

    RollCycle rollCycle()
    {
        return rollCycle;
    }
}
