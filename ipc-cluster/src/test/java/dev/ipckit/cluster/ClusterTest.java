package dev.ipckit.cluster;

import dev.ipckit.IpcException;
import dev.ipckit.process.AsyncResult;
import dev.ipckit.process.TaskFailedException;
import dev.ipckit.queue.QueueEmptyException;
import dev.ipckit.queue.QueueFullException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Queues, join, dict, lock and pool across three members on loopback: this JVM's and two child JVMs'.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class ClusterTest
{
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Members members = new Members("ct");
    private final List<Members.Child> children = new ArrayList<>();
    private Cluster here;
    private ClusterPool pool;

    @BeforeAll
    void startThreeMembers() throws InterruptedException
    {
        here = members.startHere();
        children.add(members.startChild(member -> { }));
        children.add(members.startChild(member -> { }));
        assertTrue(Members.await(() -> 3 == here.members().size(), Duration.ofSeconds(60)),
            () -> "three members expected, got " + here.members());
        pool = here.pool("work");
    }

    @AfterAll
    void stopMembers() throws InterruptedException
    {
        if (null != pool)
        {
            pool.close();
        }
        if (null != here)
        {
            here.hazelcast().getLifecycleService().terminate();
            here.close();
        }
        for (final Members.Child child : children)
        {
            child.stop();
        }
    }

    /** Runs {@code call} in a mapped function, which may not throw checked exceptions. */
    static <T> T quietly(final Interruptible<T> call)
    {
        try
        {
            return call.call();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** A call that may be interrupted. */
    @FunctionalInterface
    interface Interruptible<T>
    {
        T call() throws InterruptedException;
    }

    @Test
    void poolMapRunsOnEveryMemberInOrder() throws InterruptedException
    {
        final List<Integer> squares = pool.map(x -> x * x, IntStream.range(0, 40).boxed().toList());
        assertEquals(IntStream.range(0, 40).map(x -> x * x).boxed().toList(), squares);

        final List<String> ranOn = pool.map(x -> Cluster.current().memberName(), List.of(1, 2, 3, 4, 5, 6), 1);
        assertEquals(Set.copyOf(here.members()), new HashSet<>(ranOn));
    }

    @Test
    void imapGivesResultsInOrderAndApplyReturnsTheResult() throws InterruptedException
    {
        final Iterator<String> it = pool.imap(x -> "r" + x, List.of(1, 2, 3, 4, 5), 2);
        final List<String> got = new ArrayList<>();
        it.forEachRemaining(got::add);
        assertEquals(List.of("r1", "r2", "r3", "r4", "r5"), got);
        assertEquals(42, pool.apply(() -> 6 * 7));
    }

    @Test
    void taskExceptionReachesTheCallerWithItsCause()
    {
        final TaskFailedException failed = assertThrows(TaskFailedException.class,
            () -> pool.apply(() -> { throw new IllegalArgumentException("boom"); }));
        assertInstanceOf(IllegalArgumentException.class, failed.getCause());
        assertEquals("boom", failed.getCause().getMessage());
    }

    @Test
    void queueCarriesElementsBetweenMembersBothWays() throws InterruptedException
    {
        final ClusterQueue<String> queue = here.queue("both-ways");
        final List<String> putters = pool.map(i ->
        {
            final Cluster member = Cluster.current();
            quietly(() ->
            {
                member.queue("both-ways").put(i + "@" + member.memberName());
                return null;
            });
            return member.memberName();
        }, List.of(0, 1, 2, 3, 4, 5), 1);
        final Set<String> got = new HashSet<>();
        for (int i = 0; i < 6; i++)
        {
            got.add(queue.get(WAIT));
        }
        final Set<String> expected = new HashSet<>();
        for (int i = 0; i < 6; i++)
        {
            expected.add(i + "@" + putters.get(i));
        }
        assertEquals(expected, got);
        assertEquals(3, new HashSet<>(putters).size());

        for (int i = 0; i < 6; i++)
        {
            queue.put("to-" + i);
        }
        final List<String> taken = pool.map(i -> quietly(() -> Cluster.current().<String>queue("both-ways").get(WAIT)),
            List.of(0, 1, 2, 3, 4, 5), 1);
        assertEquals(IntStream.range(0, 6).mapToObj(i -> "to-" + i).collect(Collectors.toSet()), Set.copyOf(taken));
        assertThrows(QueueEmptyException.class, queue::getNowait);
    }

    @Test
    void boundedQueueRefusesPastItsSize()
    {
        final ClusterQueue<Integer> queue = here.queue("bounded", 2);
        queue.putNowait(1);
        queue.putNowait(null);
        assertTrue(queue.isFull());
        assertThrows(QueueFullException.class, () -> queue.putNowait(3));
        assertEquals(1, queue.getNowait());
        assertEquals(null, queue.getNowait());
        assertTrue(queue.isEmpty());
    }

    @Test
    void joinCountsTaskDoneFromEveryMember() throws InterruptedException
    {
        final ClusterJoinableQueue<Integer> queue = here.joinableQueue("joined");
        for (int i = 0; i < 6; i++)
        {
            queue.put(i);
        }
        assertEquals(6, queue.unfinishedTasks());
        assertFalse(queue.join(Duration.ofMillis(100)));
        final List<String> doneBy = pool.map(i ->
        {
            final ClusterJoinableQueue<Integer> q = Cluster.current().joinableQueue("joined");
            quietly(() -> q.get(WAIT));
            q.taskDone();
            return Cluster.current().memberName();
        }, List.of(0, 1, 2, 3, 4, 5), 1);
        assertEquals(3, new HashSet<>(doneBy).size());
        assertTrue(queue.join(WAIT));
        assertThrows(IllegalStateException.class, queue::taskDone);
    }

    @Test
    void dictIsSharedByTheMembers() throws InterruptedException
    {
        final Map<String, Integer> dict = here.dict("shared");
        pool.map(i -> Cluster.current().<String, Integer>dict("shared").put("k" + i, i * 10), List.of(1, 2, 3), 1);
        assertEquals(Map.of("k1", 10, "k2", 20, "k3", 30), Map.copyOf(dict));
        assertEquals(20, dict.remove("k2"));
        assertEquals(List.of(false, false, false),
            pool.map(i -> Cluster.current().dict("shared").containsKey("k2"), List.of(1, 2, 3), 1));
    }

    @Test
    void lockExcludesOtherMembersUntilUnlocked() throws InterruptedException
    {
        final Lock lock = here.lock("guard");
        lock.lock();
        try
        {
            assertEquals(List.of(false, false, false),
                pool.map(i -> Cluster.current().lock("guard").tryLock(), List.of(1, 2, 3), 1));
        }
        finally
        {
            lock.unlock();
        }
        assertEquals(List.of(true, true, true), pool.map(i ->
        {
            final Lock l = Cluster.current().lock("guard");
            if (!quietly(() -> l.tryLock(20, TimeUnit.SECONDS)))
            {
                return false;
            }
            l.unlock();
            return true;
        }, List.of(1, 2, 3), 1));
        assertThrows(IllegalMonitorStateException.class, lock::unlock);
    }

    @Test
    void clientWithTheKeyConnectsAndOneWithoutIsRefused() throws InterruptedException
    {
        try (Cluster client = Cluster.connect(members.name, members.key, WAIT, members.seeds()))
        {
            assertFalse(client.isMember());
            client.queue("from-client").put("hi");
            assertEquals("hi", here.queue("from-client").get(WAIT));
            assertEquals(12, client.pool("work").apply(() -> 12));
        }
        final byte[] wrong = members.key.clone();
        wrong[0]++;
        assertThrows(IpcException.class, () -> Cluster.connect(members.name, wrong, Duration.ofSeconds(3), members.seeds()));
    }

    @Test
    void closeWaitsForSubmittedWork() throws InterruptedException
    {
        final ClusterPool closing = here.pool("closing");
        final AtomicBoolean released = new AtomicBoolean();
        final List<AsyncResult<String>> results = new ArrayList<>();
        for (int i = 0; i < 6; i++)
        {
            results.add(closing.applyAsync(() -> Cluster.current().<String>queue("gate").get(WAIT)));
        }
        final Thread opener = new Thread(() ->
        {
            try
            {
                for (int i = 0; i < 6; i++)
                {
                    here.queue("gate").put("open");
                }
                released.set(true);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        });
        opener.start();
        closing.close();
        for (final AsyncResult<String> result : results)
        {
            assertTrue(result.ready());
            assertTrue(result.successful());
        }
        assertThrows(IllegalStateException.class, () -> closing.apply(() -> 1));
        opener.join();
        assertTrue(released.get());
    }
}
