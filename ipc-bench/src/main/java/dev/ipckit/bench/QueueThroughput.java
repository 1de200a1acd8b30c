package dev.ipckit.bench;

import dev.ipckit.process.Task;
import dev.ipckit.queue.IpcQueue;
import dev.ipckit.queue.JoinableQueue;
import dev.ipckit.queue.JoinableTasks;
import dev.ipckit.shm.SharedLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.Serializable;
import java.util.concurrent.TimeUnit;

/**
 * Cross-process queue throughput with {@link Integer} elements, items per second, as py_mp_bench's
 * queue rows. The children (consumers, and the second producer of {@code joinable2p2c}) are started
 * once per trial and stopped at its end; consumers stop at a {@code null} sentinel, one each.
 * <ul>
 * <li>{@code plain} ({@code queue_1p1c}): the JMH thread puts a batch of {@value #BATCH}
 * Integers on an unbounded {@link IpcQueue}; a child gets them, and publishes its count in a
 * shared long at the end of each batch, which the JMH thread waits for. So an invocation is timed
 * from before the first put until the consumer says it has got the last item, as in CPython's
 * {@code done.wait()}.</li>
 * <li>{@code joinable} ({@code joinable_1p1c_taskdone_join}): the same on an unbounded
 * {@link JoinableQueue}; the child calls {@code taskDone()} after each get, and the JMH thread
 * {@code join()}s at the end of each batch.</li>
 * <li>{@code joinable2p2c} ({@code joinable_2p2c_maxsize1024}): a {@code JoinableQueue} with
 * {@code maxSize} 1024, two producers (the JMH thread and a child, {@link BatchPeer}: both put
 * {@value #BATCH_2P2C_PER_PRODUCER} Integers at the same time), two consumer children that get
 * and call {@code taskDone()}; the JMH thread waits for the producer child to finish its puts,
 * then {@code join()}s. The score counts the items of both producers. CPython's figure includes
 * spawning its two producer processes, this one is steady state.</li>
 * </ul>
 * The joins are {@code join(timeout)} with a timeout of a minute, so that a dead consumer fails
 * the benchmark instead of hanging it; the timeout costs nothing while tasks get done.
 * <p>
 * Not final: JMH subclasses benchmark and state classes.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = { "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED" })
public class QueueThroughput
{
    /**
     * Items per invocation of the one-to-one workloads: CPython's quick {@code N_MSG / 2}; 16-byte
     * records, so a batch (800 KB) fits the default 1 MiB ring and the producer never waits for
     * room, as CPython's never does on an unbounded queue.
     */
    static final int BATCH = 50_000;
    /** Items per producer per invocation of {@code joinable2p2c}: 100 000 in all. */
    static final int BATCH_2P2C_PER_PRODUCER = 50_000;

    /** An unbounded {@link IpcQueue} and a consumer child that publishes its count per batch. */
    @State(Scope.Benchmark)
    public static class Plain
    {
        IpcQueue<Integer> queue;
        SharedLong got;
        Children consumer;
        long expected;

        @Setup(Level.Trial)
        public void start()
        {
            queue = IpcQueue.create();
            got = SharedLong.create(0, false);
            try
            {
                consumer = Children.start("queue-consumer", 1, ready -> counting(queue, ready, got, BATCH));
            }
            catch (final RuntimeException ex)
            {
                got.close();
                queue.close();
                throw ex;
            }
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException
        {
            try
            {
                queue.put(null, Children.ROUND_TIMEOUT);
                consumer.stop();
                if (got.get() != expected || !queue.isEmpty())
                {
                    throw new IllegalStateException("consumer got " + got.get() + " items, expected " + expected +
                        "; queue size " + queue.qsize());
                }
            }
            finally
            {
                got.close();
                queue.close();
            }
        }
    }

    /**
     * A {@link JoinableQueue}, consumer children that call {@code taskDone()} after each get, and
     * what subclasses add.
     */
    public abstract static class JoinableState
    {
        JoinableQueue<Integer> queue;
        Children consumers;

        /** @return the queue's {@code maxSize}, 0 for none. */
        abstract int maxSize();

        /** @return how many consumer children. */
        abstract int consumerCount();

        /** Starts what the subclass needs besides the consumers. */
        void startMore()
        {
        }

        /** Stops what {@link #startMore()} started. */
        void stopMore() throws InterruptedException
        {
        }

        @Setup(Level.Trial)
        public void start()
        {
            queue = JoinableQueue.create(maxSize());
            try
            {
                consumers = Children.start("joinable-consumer", consumerCount(), ready -> taskDone(queue, JoinableQueue::get, ready));
            }
            catch (final RuntimeException ex)
            {
                queue.close();
                throw ex;
            }
            try
            {
                startMore();
            }
            catch (final RuntimeException ex)
            {
                consumers.kill();
                queue.close();
                throw ex;
            }
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException
        {
            try
            {
                stopMore();
            }
            finally
            {
                try
                {
                    stopConsumers();
                }
                finally
                {
                    queue.close();
                }
            }
        }

        private void stopConsumers() throws InterruptedException
        {
            for (int i = 0; i < consumerCount(); i++)
            {
                queue.put(null, Children.ROUND_TIMEOUT);
            }
            consumers.stop();
            if (!queue.join(Children.ROUND_TIMEOUT) || 0 != queue.lostTasks() || !queue.isEmpty())
            {
                throw new IllegalStateException("tasks unfinished or lost at the end: queue size " + queue.qsize() +
                    ", lost " + queue.lostTasks());
            }
        }

        /** {@code join()}, failing instead of hanging if the consumers are gone. */
        void join() throws InterruptedException
        {
            if (!queue.join(Children.ROUND_TIMEOUT))
            {
                consumers.checkAlive();
                throw new IllegalStateException("join() timed out after " + Children.ROUND_TIMEOUT + ", queue size " +
                    queue.qsize());
            }
        }
    }

    /** An unbounded {@link JoinableQueue} and one consumer child. */
    @State(Scope.Benchmark)
    public static class Joinable extends JoinableState
    {
        @Override
        int maxSize()
        {
            return 0;
        }

        @Override
        int consumerCount()
        {
            return 1;
        }
    }

    /**
     * A {@link JoinableQueue} with {@code maxSize} 1024, two consumer children, and a producer
     * child that puts its batch in each invocation while the JMH thread puts its own.
     */
    @State(Scope.Benchmark)
    public static class Joinable2p2c extends JoinableState
    {
        BatchPeer producer;

        @Override
        int maxSize()
        {
            return 1024;
        }

        @Override
        int consumerCount()
        {
            return 2;
        }

        @Override
        void startMore()
        {
            producer = BatchPeer.start("joinable-producer", producing(queue, BATCH_2P2C_PER_PRODUCER));
        }

        @Override
        void stopMore() throws InterruptedException
        {
            producer.stop();
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long plain(final Plain state) throws InterruptedException
    {
        final IpcQueue<Integer> queue = state.queue;
        for (int i = 0; i < BATCH; i++)
        {
            queue.put(i);
        }
        final SharedLong got = state.got;
        state.expected += BATCH;
        state.consumer.await(got::get, state.expected, "get batch ending at " + state.expected);
        return state.expected;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int joinable(final Joinable state) throws InterruptedException
    {
        final JoinableQueue<Integer> queue = state.queue;
        for (int i = 0; i < BATCH; i++)
        {
            queue.put(i);
        }
        state.join();
        return queue.qsize();
    }

    @Benchmark
    @OperationsPerInvocation(2 * BATCH_2P2C_PER_PRODUCER)
    public int joinable2p2c(final Joinable2p2c state) throws InterruptedException
    {
        final JoinableQueue<Integer> queue = state.queue;
        state.producer.runRound(() -> putRange(queue, BATCH_2P2C_PER_PRODUCER));
        state.join();
        return queue.qsize();
    }

    /** The plain consumer's task; static, so that the lambda captures only its arguments. */
    static Task counting(final IpcQueue<Integer> queue, final SharedLong ready, final SharedLong got, final int batch)
    {
        return () ->
        {
            try (queue; ready; got)
            {
                ready.incrementAndGet();
                long count = 0;
                int left = batch;
                while (null != queue.get())
                {
                    if (0 == --left)
                    {
                        count += batch;
                        got.set(count);
                        left = batch;
                    }
                }
            }
        };
    }

    /**
     * Takes the next element from a queue; serializable, so that a child's task may hold it.
     *
     * @param <Q> the queue's type.
     */
    @FunctionalInterface
    interface Take<Q> extends Serializable
    {
        /**
         * @param queue the queue.
         * @return its next element.
         * @throws InterruptedException if interrupted while waiting.
         */
        Object from(Q queue) throws InterruptedException;
    }

    /** A joinable consumer's task, for any joinable queue: get, {@code taskDone()}, until a {@code null}. */
    static <Q extends JoinableTasks & AutoCloseable> Task taskDone(final Q queue, final Take<Q> take, final SharedLong ready)
    {
        return () ->
        {
            try (queue; ready)
            {
                ready.incrementAndGet();
                while (true)
                {
                    final Object item = take.from(queue);
                    queue.taskDone();
                    if (null == item)
                    {
                        return;
                    }
                }
            }
        };
    }

    /** The producer child's batch. */
    static Task producing(final JoinableQueue<Integer> queue, final int n)
    {
        return () -> putRange(queue, n);
    }

    static void putRange(final IpcQueue<Integer> queue, final int n)
    {
        try
        {
            for (int i = 0; i < n; i++)
            {
                queue.put(i);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while putting", ex);
        }
    }
}
