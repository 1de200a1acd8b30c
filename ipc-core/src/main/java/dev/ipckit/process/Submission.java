package dev.ipckit.process;

import dev.ipckit.internal.SentHandles;

import java.util.function.BiConsumer;

/**
 * A job of a {@link ProcessPool} waiting for, or held by, a worker, and what to do with its
 * outcome.
 * <p>
 * <b>Note:</b> immutable; {@link #done} is called once, by whichever thread learns the outcome.
 */
final class Submission
{
    final long id;
    final byte[] job;
    final Carried carried;
    final BiConsumer<Object, Throwable> done;

    Submission(final long id, final byte[] job, final Carried carried, final BiConsumer<Object, Throwable> done)
    {
        this.id = id;
        this.job = job;
        this.carried = carried;
        this.done = done;
    }

    /**
     * The shared primitives one submission's jobs carry, attached in this JVM from the submission
     * until the last of its jobs has an outcome: by then the worker that ran it has attached them
     * or died (DESIGN.md, "handle lifetime"), whatever the submitter did with its own handles.
     * <p>
     * <b>Note:</b> thread-safe.
     */
    static final class Carried
    {
        private static final Carried NOTHING = new Carried(null, 0);
        private final SentHandles.Retained retained;
        /** Guarded by {@code this}: the jobs without an outcome yet. */
        private int jobs;

        private Carried(final SentHandles.Retained retained, final int jobs)
        {
            this.retained = retained;
            this.jobs = jobs;
        }

        static Carried of(final SentHandles.Capture sent, final int jobs)
        {
            return sent.isEmpty() || 0 == jobs ? NOTHING : new Carried(sent.retain(), jobs);
        }

        void jobDone()
        {
            if (null == retained)
            {
                return;
            }
            synchronized (this)
            {
                if (0 == jobs || --jobs > 0)
                {
                    return;
                }
            }
            retained.close();
        }
    }
}
