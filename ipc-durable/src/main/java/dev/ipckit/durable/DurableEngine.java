package dev.ipckit.durable;

import dev.ipckit.IpcException;
import dev.ipckit.internal.ProcessIdentity;
import dev.ipckit.internal.Waiter;
import org.agrona.collections.IntArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.ipckit.durable.StateDescriptor.APPEND_LOCK_OFFSET;
import static dev.ipckit.durable.StateDescriptor.CLAIM_FREE;
import static dev.ipckit.durable.StateDescriptor.CONSUME_LOCK_OFFSET;
import static dev.ipckit.durable.StateDescriptor.NO_INDEX;
import static dev.ipckit.durable.StateDescriptor.PUT_COUNT_OFFSET;

/**
 * One JVM's use of a durable queue's directory, shared by every handle of it in the JVM: the
 * Chronicle log of the items ({@link DurableLog}) and the state file beside it (locks, counts,
 * claims; {@link StateDescriptor}).
 * <p>
 * Producers append under the append lock: the put count goes up first (so {@code join} counts the
 * item at once), then the excerpt is written. A producer that dies in between is repaired by the
 * next process to take the lock, or by any process's periodic check: Chronicle's write lock is
 * forced and the put count set back to one past the last complete excerpt.
 * <p>
 * Consumers take items under the consume lock: an orphaned claim first (an item whose consumer
 * died), else the excerpt after the last one read. A joinable get records a claim owned by this
 * process; {@code taskDone} frees this process's oldest claim and counts the item done. Every
 * change is made through {@link ConsumerBook#commit}, so a consumer killed at any point leaves
 * nothing half-done. Every 100 ms, a process waiting in {@code get} or {@code join} checks for dead
 * producers and consumers and repairs after them. While the engine is open, the queue is listed in
 * the runtime directory for the inspector ({@link RuntimeListing}).
 * <p>
 * <b>Note:</b> thread-safe; the handles count their users.
 */
final class DurableEngine
{
    private static final long DEAD_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int SYNCED_STATE_LENGTH = 512;
    private static final Map<Path, DurableEngine> ENGINES = new HashMap<>();

    /** One item taken. */
    static final class Taken
    {
        final byte[] data;
        final long sequence;
        final boolean redelivered;

        Taken(final byte[] data, final long sequence, final boolean redelivered)
        {
            this.data = data;
            this.sequence = sequence;
            this.redelivered = redelivered;
        }
    }

    private final Path dir;
    final UnsafeBuffer state;
    final DurableLog log;
    final ProcessMutex appendLock;
    private final ProcessMutex consumeLock;
    private final ConsumerBook book;
    private final RuntimeListing listing;
    private final IntArrayQueue mine = new IntArrayQueue();
    private final DurableLog.Excerpt excerpt = new DurableLog.Excerpt();
    private final Waiter itemWaiter;
    private final Waiter joinWaiter;
    private final Waiter.Poll<Taken> takeAcked = () -> takeIfAny(true);
    private final Waiter.Poll<Taken> takeClaimed = () -> takeIfAny(false);
    private final Waiter.Condition allDone = this::allDone;
    private volatile long nextDeadCheck = System.nanoTime();
    private int handles = 1;

    private DurableEngine(final Path dir, final UnsafeBuffer state, final DurableLog log)
    {
        this.dir = dir;
        this.state = state;
        this.log = log;
        this.appendLock = new ProcessMutex(state, APPEND_LOCK_OFFSET);
        this.consumeLock = new ProcessMutex(state, CONSUME_LOCK_OFFSET);
        this.book = new ConsumerBook(state, dir.toString());
        this.listing = RuntimeListing.of(dir);
        final Runnable checkDead = () -> checkDead(false);
        this.itemWaiter = Waiter.create(() -> "interrupted while waiting for an item of durable queue " + dir)
            .recovering(0, checkDead);
        this.joinWaiter = Waiter.create(() -> "interrupted while joining durable queue " + dir).recovering(0, checkDead);
    }

    /**
     * @param dir     the queue's directory; made if missing.
     * @param options how to open it.
     * @return this JVM's engine of that directory, with one more handle.
     * @throws IpcException if the directory cannot hold a durable queue, or the JVM lacks a flag.
     */
    static DurableEngine open(final Path dir, final DurableOptions options)
    {
        Objects.requireNonNull(dir, "dir");
        ChronicleAccess.check();
        final Path d = checkDirectory(dir);
        synchronized (ENGINES)
        {
            final DurableEngine existing = ENGINES.get(d);
            if (null != existing)
            {
                existing.handles++;
                return existing;
            }
            final UnsafeBuffer state = StateFile.map(d);
            final DurableEngine engine = new DurableEngine(d, state, DurableLog.open(d, options.rollPeriod().rollCycle()));
            try
            {
                engine.checkDead(true);
            }
            catch (final RuntimeException ex)
            {
                engine.log.close();
                engine.unlist();
                throw ex;
            }
            ENGINES.put(d, engine);
            return engine;
        }
    }

    private static Path checkDirectory(final Path dir)
    {
        final Path d = dir.toAbsolutePath().normalize();
        if (Files.exists(d) && !Files.isDirectory(d))
        {
            throw new IpcException("a durable queue needs a directory: " + d + " is a file");
        }
        try
        {
            Files.createDirectories(d);
        }
        catch (final IOException ex)
        {
            throw new IpcException("cannot make the directory of durable queue " + d + ": " + ex, ex);
        }
        if (!Files.isWritable(d))
        {
            throw new IpcException("cannot write in the directory of durable queue " + d);
        }
        if (!Files.exists(d.resolve(StateDescriptor.FILE_NAME)))
        {
            try (Stream<Path> entries = Files.list(d))
            {
                if (entries.findAny().isPresent())
                {
                    throw new IpcException("not a durable queue: " + d + " holds other files and no " +
                        StateDescriptor.FILE_NAME + " (give a new or empty directory)");
                }
            }
            catch (final IOException ex)
            {
                throw new IpcException("cannot list the directory of durable queue " + d + ": " + ex, ex);
            }
        }
        return d;
    }

    Path dir()
    {
        return dir;
    }

    /**
     * Appends one item.
     *
     * @param data the encoded item.
     * @param sync whether to write it to the disk before returning.
     * @throws InterruptedException if interrupted while waiting for the append lock; nothing was put.
     */
    void put(final byte[] data, final boolean sync) throws InterruptedException
    {
        final int taken = appendLock.lock(Waiter.FOREVER);
        try
        {
            if (ProcessMutex.FROM_DEAD == taken)
            {
                recoverAppend();
            }
            final long sequence = state.getLong(PUT_COUNT_OFFSET);
            state.putLongRelease(PUT_COUNT_OFFSET, sequence + 1);
            try
            {
                log.append(sequence, data, sync);
            }
            catch (final RuntimeException ex)
            {
                state.putLongRelease(PUT_COUNT_OFFSET, sequence);
                throw ex;
            }
            if (sync)
            {
                ((MappedByteBuffer)state.byteBuffer()).force(0, SYNCED_STATE_LENGTH);
            }
        }
        finally
        {
            appendLock.unlock();
        }
    }

    /**
     * Takes the next item: one whose consumer died first, else the next in the log.
     *
     * @param timeoutNanos how long to wait; {@link Waiter#FOREVER} for ever.
     * @param ack          true to count it done at once (a plain queue), false to claim it for
     *                     this process until {@link #taskDone()}.
     * @return the item, or null if none came in time.
     * @throws InterruptedException if interrupted while waiting; nothing was taken.
     */
    Taken take(final long timeoutNanos, final boolean ack) throws InterruptedException
    {
        checkDead(false);
        return itemWaiter.poll(timeoutNanos, ack ? takeAcked : takeClaimed);
    }

    /**
     * @return the next item, one whose consumer died first; null if there is none.
     * @throws InterruptedException if interrupted while waiting for the consume lock.
     */
    private Taken takeIfAny(final boolean ack) throws InterruptedException
    {
        if (!mayHaveItem())
        {
            return null;
        }
        final int taken = consumeLock.lock(Waiter.FOREVER);
        try
        {
            if (ProcessMutex.FROM_DEAD == taken)
            {
                recoverConsume();
            }
            return takeLocked(ack);
        }
        finally
        {
            consumeLock.unlock();
        }
    }

    private boolean mayHaveItem()
    {
        return state.getLongVolatile(PUT_COUNT_OFFSET) > book.readCount() || book.orphans() > 0;
    }

    private Taken takeLocked(final boolean ack)
    {
        book.load();
        final long[] v = book.values;
        if (v[3] > 0)
        {
            final int slot = book.oldestOrphan();
            if (slot >= 0)
            {
                final long index = book.claimIndex(slot);
                final long sequence = book.claimSequence(slot);
                log.readAt(index, excerpt);
                v[3]--;
                claimOrAck(ack, slot, index, sequence, 1);
                return new Taken(excerpt.data, sequence, true);
            }
            v[3] = 0;
            book.commit(-1, CLAIM_FREE, 0, 0, 0);
        }
        final long lastIndex = v[2];
        if (!log.readNext(lastIndex, excerpt))
        {
            return null;
        }
        v[1] = Math.max(v[1], excerpt.sequence + 1);
        v[2] = excerpt.index;
        if (ack)
        {
            claimOrAck(true, -1, 0, 0, 0);
        }
        else
        {
            final int slot = book.freeClaim();
            v[4] = slot + 1;
            claimOrAck(false, slot, excerpt.index, excerpt.sequence, 0);
        }
        if (NO_INDEX != lastIndex && log.cycleOf(lastIndex) != log.cycleOf(excerpt.index))
        {
            deleteFinishedFiles();
        }
        return new Taken(excerpt.data, excerpt.sequence, false);
    }

    private void claimOrAck(final boolean ack, final int slot, final long index, final long sequence, final long again)
    {
        if (ack)
        {
            book.values[0]++;
            book.commit(slot, CLAIM_FREE, 0, 0, 0);
        }
        else
        {
            book.register();
            book.commit(slot, ProcessIdentity.currentLongToken(), index, sequence, again);
            mine.addInt(slot);
        }
    }

    /**
     * Marks done the oldest item this process got and has not marked done.
     *
     * @throws IllegalStateException if this process holds no such item.
     */
    void taskDone()
    {
        final int taken = lockUninterruptibly(consumeLock);
        try
        {
            if (ProcessMutex.FROM_DEAD == taken)
            {
                recoverConsume();
            }
            if (mine.isEmpty())
            {
                throw new IllegalStateException("taskDone() called more times than this process got items from " +
                    "durable queue " + dir);
            }
            final int slot = mine.peekInt();
            book.load();
            book.values[0]++;
            book.values[4] = Math.min(book.values[4], slot);
            book.commit(slot, CLAIM_FREE, 0, 0, 0);
            mine.pollInt();
        }
        finally
        {
            consumeLock.unlock();
        }
    }

    /**
     * @param timeoutNanos how long to wait; {@link Waiter#FOREVER} for ever.
     * @return true once every item put has been marked done; false if the time ran out.
     * @throws InterruptedException if interrupted while waiting.
     */
    boolean join(final long timeoutNanos) throws InterruptedException
    {
        return allDone() || joinWaiter.await(timeoutNanos, allDone);
    }

    private boolean allDone()
    {
        return book.doneCount() >= state.getLongVolatile(PUT_COUNT_OFFSET);
    }

    /**
     * @return items put and not yet taken, plus items to deliver again (a snapshot).
     */
    long size()
    {
        return Math.max(0, state.getLongVolatile(PUT_COUNT_OFFSET) - book.readCount() + book.orphans());
    }

    /**
     * @return items put and not yet marked done (a snapshot).
     */
    long unfinished()
    {
        return Math.max(0, state.getLongVolatile(PUT_COUNT_OFFSET) - book.doneCount());
    }

    /**
     * Drops one handle; the last hands this process's unfinished items to other consumers and
     * closes the log.
     */
    void release()
    {
        synchronized (ENGINES)
        {
            if (--handles > 0)
            {
                return;
            }
            ENGINES.remove(dir, this);
        }
        lockUninterruptibly(consumeLock);
        try
        {
            book.recoverIntent();
            book.orphanDeadClaims(true);
            mine.clear();
        }
        finally
        {
            consumeLock.unlock();
        }
        log.close();
        unlist();
    }

    private void unlist()
    {
        if (null != listing)
        {
            listing.close();
        }
    }

    /**
     * Repairs after producers and consumers that died; at most every 100 ms unless {@code now}.
     *
     * @param now whether to check whatever the time.
     */
    private void checkDead(final boolean now)
    {
        final long time = System.nanoTime();
        if (!now && time - nextDeadCheck < 0)
        {
            return;
        }
        nextDeadCheck = time + DEAD_CHECK_NANOS;
        if (appendLock.lockIfOwnerDead())
        {
            try
            {
                recoverAppend();
            }
            finally
            {
                appendLock.unlock();
            }
        }
        if (consumeLock.lockIfOwnerDead())
        {
            try
            {
                recoverConsume();
            }
            finally
            {
                consumeLock.unlock();
            }
        }
        else if (now || book.hasDeadConsumer())
        {
            final int taken = lockUninterruptibly(consumeLock);
            try
            {
                if (ProcessMutex.FROM_DEAD == taken)
                {
                    recoverConsume();
                }
                book.orphanDeadClaims(false);
                if (now)
                {
                    deleteFinishedFiles();
                }
            }
            finally
            {
                consumeLock.unlock();
            }
        }
    }

    private void recoverAppend()
    {
        log.forceWriteLock();
        final long expected = Math.max(log.lastSequence() + 1, book.readCount());
        if (state.getLongVolatile(PUT_COUNT_OFFSET) != expected)
        {
            state.putLongRelease(PUT_COUNT_OFFSET, expected);
        }
    }

    private void recoverConsume()
    {
        book.recoverIntent();
        book.orphanDeadClaims(false);
    }

    private void deleteFinishedFiles()
    {
        final long lastRead = book.lastReadIndex();
        if (NO_INDEX != lastRead)
        {
            log.deleteCyclesBefore(log.cycleOf(book.lowestClaimedIndex(lastRead)));
        }
    }

    private static int lockUninterruptibly(final ProcessMutex mutex)
    {
        boolean interrupted = false;
        try
        {
            while (true)
            {
                try
                {
                    return mutex.lock(Waiter.FOREVER);
                }
                catch (final InterruptedException ex)
                {
                    interrupted = true;
                }
            }
        }
        finally
        {
            if (interrupted)
            {
                Thread.currentThread().interrupt();
            }
        }
    }
}
