package dev.ipckit.process;

import dev.ipckit.codec.CodecConfiguration;
import dev.ipckit.codec.CodecException;
import dev.ipckit.internal.SentHandles;

import java.io.Serializable;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/**
 * Turns what is submitted to a {@link ProcessPool} into jobs ({@link PoolMessages}) and queues
 * them with the {@link PoolScheduler}: a callable as one job; the elements of {@code map} and its
 * kin cut into chunks, one job each, with the function encoded once for all of them. Every job is
 * encoded in the submitting thread before any is queued, so a task that cannot be sent submits
 * nothing.
 * <p>
 * <b>Note:</b> thread-safe; holds no mutable state.
 */
final class PoolJobs
{
    private static final int CHUNKS_PER_WORKER = 4;

    private final PoolScheduler scheduler;
    private final int processes;

    PoolJobs(final PoolScheduler scheduler, final int processes)
    {
        this.scheduler = scheduler;
        this.processes = processes;
    }

    /**
     * Submits a callable as one job.
     *
     * @return the submission, for {@link PoolScheduler#withdraw}.
     */
    List<Submission> callable(final Serializable function, final BiConsumer<Object, Throwable> done)
    {
        final long id = scheduler.reserveIds(1);
        final List<Submission> submission;
        try (SentHandles.Capture sent = SentHandles.capture())
        {
            final PoolWorker.EncodedFunction encoded = PoolWorker.encodeFunction(function, id);
            final byte[] job = encodeJob(id, encoded, PoolMessages.CALLABLE, null, null);
            submission = List.of(new Submission(id, job, Submission.Carried.of(sent, 1), done));
        }
        scheduler.enqueue(submission);
        return submission;
    }

    /**
     * Submits the elements in chunks of {@code chunkSize}, one job each; {@link PoolMessages#PAIRS}
     * elements are entries.
     *
     * @return the submissions, for {@link PoolScheduler#withdraw}.
     */
    List<Submission> chunks(final Serializable function, final byte kind, final List<?> elements, final int chunkSize,
        final PoolResults.ChunkDone done)
    {
        final int chunks = (elements.size() + chunkSize - 1) / chunkSize;
        final long firstId = scheduler.reserveIds(chunks + 1);
        final List<Submission> submissions = new ArrayList<>(chunks);
        try (SentHandles.Capture sent = SentHandles.capture())
        {
            final PoolWorker.EncodedFunction encoded = PoolWorker.encodeFunction(function, firstId + chunks);
            final List<byte[]> jobs = new ArrayList<>(chunks);
            for (int c = 0; c < chunks; c++)
            {
                final int from = c * chunkSize;
                final List<?> chunk = elements.subList(from, Math.min(elements.size(), from + chunkSize));
                jobs.add(PoolMessages.FUNCTION == kind ? encodeJob(firstId + c, encoded, kind, chunk, null) :
                    encodeJob(firstId + c, encoded, kind, keys(chunk), values(chunk)));
            }
            final Submission.Carried carried = Submission.Carried.of(sent, chunks);
            for (int c = 0; c < chunks; c++)
            {
                final int from = c * chunkSize;
                final int count = Math.min(elements.size(), from + chunkSize) - from;
                submissions.add(new Submission(firstId + c, jobs.get(c), carried,
                    (value, failure) -> done.accept(from, count, (List<?>)value, failure)));
            }
        }
        scheduler.enqueue(submissions);
        return submissions;
    }

    /** Encodes a function once for the elements {@link #element} submits one by one. */
    PoolWorker.EncodedFunction encodeFunction(final Serializable function)
    {
        return PoolWorker.encodeFunction(function, scheduler.reserveIds(1));
    }

    /**
     * Submits one element as a job of its own; {@code done} gets the one-element result list.
     *
     * @return takes the job back if no worker holds it yet, and says whether it did.
     */
    BooleanSupplier element(
        final PoolWorker.EncodedFunction function, final Object element, final BiConsumer<Object, Throwable> done)
    {
        final long id = scheduler.reserveIds(1);
        final List<Submission> submission;
        try (SentHandles.Capture sent = SentHandles.capture())
        {
            final byte[] job = encodeJob(id, function, PoolMessages.FUNCTION, List.of(element), null);
            submission = List.of(new Submission(id, job, Submission.Carried.of(sent, 1), done));
        }
        scheduler.enqueue(submission);
        return () -> scheduler.withdraw(submission);
    }

    /**
     * @return the chunk size that cuts {@code elements} into four chunks per worker, as CPython does.
     */
    int defaultChunkSize(final int elements)
    {
        final int perWorker = processes * CHUNKS_PER_WORKER;
        return Math.max(1, elements / perWorker + (elements % perWorker > 0 ? 1 : 0));
    }

    /**
     * @throws IllegalArgumentException if {@code chunkSize} is below 1.
     */
    static int checkChunkSize(final int chunkSize)
    {
        if (chunkSize < 1)
        {
            throw new IllegalArgumentException("chunkSize must be at least 1, chunkSize=" + chunkSize);
        }
        return chunkSize;
    }

    static <T> List<T> toList(final Iterable<T> elements)
    {
        final List<T> list = new ArrayList<>();
        elements.forEach(list::add);
        return list;
    }

    /** @return the pairs copied, as entries that any worker can decode. */
    static <A, B> List<Map.Entry<A, B>> pairs(final Iterable<? extends Map.Entry<A, B>> pairs)
    {
        final List<Map.Entry<A, B>> list = new ArrayList<>();
        for (final Map.Entry<A, B> pair : pairs)
        {
            list.add(new AbstractMap.SimpleImmutableEntry<>(pair.getKey(), pair.getValue()));
        }
        return list;
    }

    private static List<Object> keys(final List<?> pairs)
    {
        final List<Object> keys = new ArrayList<>(pairs.size());
        for (final Object pair : pairs)
        {
            keys.add(((Map.Entry<?, ?>)pair).getKey());
        }
        return keys;
    }

    private static List<Object> values(final List<?> pairs)
    {
        final List<Object> values = new ArrayList<>(pairs.size());
        for (final Object pair : pairs)
        {
            values.add(((Map.Entry<?, ?>)pair).getValue());
        }
        return values;
    }

    private static byte[] encodeJob(final long id, final PoolWorker.EncodedFunction function, final byte kind,
        final List<?> elements, final List<?> seconds)
    {
        final byte[] job;
        try
        {
            job = PoolMessages.job(id, function.key, kind, function.bytes, elements, seconds, ControlBlocks.TASK_CODEC);
        }
        catch (final CodecException ex)
        {
            throw new IllegalArgumentException("task cannot be sent to a pool worker: " + ex.getMessage(), ex);
        }
        if (job.length > CodecConfiguration.maxMessageSize())
        {
            throw new IllegalArgumentException("task cannot be sent to a pool worker: it takes " + job.length +
                " bytes, more than " + CodecConfiguration.MAX_MESSAGE_SIZE_PROP_NAME + "=" + CodecConfiguration.maxMessageSize() +
                " (a smaller chunkSize makes smaller jobs)");
        }
        return job;
    }
}
