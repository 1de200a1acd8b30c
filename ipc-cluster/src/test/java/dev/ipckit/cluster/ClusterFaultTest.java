package dev.ipckit.cluster;

import com.hazelcast.cluster.Member;
import dev.ipckit.process.AsyncResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A member killed with SIGKILL: this JVM's member and a child's stay, a third member (a child JVM)
 * is started for each test and killed in it. Nothing acknowledged is lost, its lock is released,
 * and its tasks fail or re-run within a bound.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class ClusterFaultTest
{
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** The cluster notices a killed member within max.no.heartbeat (8 s) plus slack for a loaded machine. */
    private static final long NOTICE_BOUND_SECONDS = 40;

    private final Members members = new Members("cf");
    private Members.Child stable;
    private Members.Child victim;
    private Cluster here;

    @BeforeAll
    void startTwoMembers() throws InterruptedException
    {
        here = members.startHere();
        stable = members.startChild(member -> { });
        assertTrue(Members.await(() -> 2 == here.members().size(), Duration.ofSeconds(60)));
    }

    @AfterEach
    void stopVictim() throws InterruptedException
    {
        if (null != victim)
        {
            victim.process().kill();
            victim.process().join(Duration.ofSeconds(10));
            victim = null;
        }
        assertTrue(Members.await(() -> 2 == here.members().size(), WAIT), () -> "members: " + here.members());
    }

    @AfterAll
    void stopMembers() throws InterruptedException
    {
        if (null != here)
        {
            here.hazelcast().getLifecycleService().terminate();
            here.close();
        }
        if (null != stable)
        {
            stable.stop();
        }
    }

    @Test
    void killedMemberLosesNoAcknowledgedItemAndReleasesItsLock() throws Exception
    {
        startVictim(member ->
        {
            member.lock("held").lock();
            member.queue("locked").put("yes");
        });
        assertEquals("yes", here.queue("locked").get(WAIT));
        final Lock lock = here.lock("held");
        assertFalse(lock.tryLock());
        final ClusterQueue<Integer> onVictim = here.queue(queueOwnedBy(victim.address()));
        final ClusterQueue<Integer> onStable = here.queue(queueOwnedBy(stable.address()));
        for (int i = 0; i < 500; i++)
        {
            onVictim.put(i);
            onStable.put(i);
        }

        final long killed = killVictim();

        assertTrue(lock.tryLock(NOTICE_BOUND_SECONDS, TimeUnit.SECONDS));
        final long released = System.nanoTime() - killed;
        assertTrue(released < TimeUnit.SECONDS.toNanos(NOTICE_BOUND_SECONDS));
        System.out.println("lock of the killed member released after " + released / 1_000_000 + " ms");
        lock.unlock();
        for (final ClusterQueue<Integer> queue : List.of(onVictim, onStable))
        {
            assertEquals(500, queue.qsize(), queue.name());
            for (int i = 0; i < 500; i++)
            {
                assertEquals(i, queue.get(WAIT));
            }
        }
    }

    @Test
    void killedMemberFailsItsApplyNamingItAndItsMapChunksRunElsewhere() throws Exception
    {
        startVictim(member -> { });
        final String target = victim.address();
        try (ClusterPool applying = here.pool("doomed"); ClusterPool mapping = here.pool("rerun"))
        {
            final List<AsyncResult<String>> results = new ArrayList<>();
            for (int i = 0; i < 3; i++)
            {
                results.add(applying.applyAsync(() -> blockOn(target, "started-apply")));
            }
            final List<Integer> input = IntStream.range(0, 9).boxed().toList();
            final Iterator<String> mapped = mapping.imap(x -> x + ":" + blockOn(target, "started-map"), input, 1);
            assertEquals("started", here.queue("started-apply").get(WAIT));
            assertEquals("started", here.queue("started-map").get(WAIT));

            final long killed = killVictim();

            int died = 0;
            for (final AsyncResult<String> result : results)
            {
                try
                {
                    assertEquals("ran", result.get(Duration.ofSeconds(NOTICE_BOUND_SECONDS)));
                }
                catch (final ExecutionException ex)
                {
                    final MemberDiedException dead = assertInstanceOf(MemberDiedException.class, ex.getCause());
                    assertEquals(target, dead.member());
                    assertTrue(dead.getMessage().contains(target));
                    died++;
                }
            }
            assertEquals(1, died);
            final long failed = System.nanoTime() - killed;
            assertTrue(failed < TimeUnit.SECONDS.toNanos(NOTICE_BOUND_SECONDS));
            System.out.println("task of the killed member failed after " + failed / 1_000_000 + " ms");

            final Set<String> got = new HashSet<>();
            mapped.forEachRemaining(got::add);
            final Set<String> expected = new HashSet<>();
            input.forEach(x -> expected.add(x + ":ran"));
            assertEquals(expected, got);
        }
        assertThrows(IllegalStateException.class, Cluster::current);
    }

    /** On the target member: says it started, then blocks until the member dies; elsewhere returns at once. */
    private static String blockOn(final String target, final String started)
    {
        final Cluster member = Cluster.current();
        if (!member.memberName().equals(target))
        {
            return "ran";
        }
        try
        {
            member.queue(started).put("started");
            member.queue("never").get();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("the blocked task ended on " + target);
    }

    private void startVictim(final Members.Scenario scenario) throws InterruptedException
    {
        victim = members.startChild(scenario);
        assertTrue(Members.await(() -> 3 == here.members().size(), Duration.ofSeconds(60)),
            () -> "three members expected, got " + here.members());
        assertTrue(Members.await(() -> here.hazelcast().getPartitionService().isClusterSafe(), WAIT));
    }

    private long killVictim() throws InterruptedException
    {
        victim.process().kill();
        assertTrue(victim.process().join(WAIT));
        return System.nanoTime();
    }

    private String queueOwnedBy(final String address)
    {
        for (int i = 0; ; i++)
        {
            final String name = "owned-" + i;
            final Member owner = here.hazelcast().getPartitionService().getPartition(name).getOwner();
            if (null != owner && address.equals(Cluster.describe(owner)))
            {
                return name;
            }
        }
    }
}
