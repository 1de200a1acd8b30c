package dev.ipckit.manager;

import dev.ipckit.codec.CodecException;
import dev.ipckit.pipe.AuthenticationException;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.ProcessPool;
import dev.ipckit.queue.IpcQueue;
import dev.ipckit.support.Await;
import dev.ipckit.support.RuntimeDirectoryClean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.Serializable;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(120)
@ExtendWith(RuntimeDirectoryClean.class)
class ManagerTest
{
    private static final byte[] KEY = "manager-test-key".getBytes(StandardCharsets.UTF_8);
    private static Manager manager;

    /** A registered type's interface. */
    public interface Calculator
    {
        int add(int a, int b);

        BigInteger pow(BigInteger base, int exponent);

        void failChecked() throws IOException;

        void failUndeclared();
    }

    /** Its implementation, with a method the interface does not expose. */
    static final class CalculatorImpl implements Calculator
    {
        @Override
        public int add(final int a, final int b)
        {
            return a + b;
        }

        @Override
        public BigInteger pow(final BigInteger base, final int exponent)
        {
            return base.pow(exponent);
        }

        @Override
        public void failChecked() throws IOException
        {
            throw new IOException("declared failure");
        }

        @Override
        public void failUndeclared()
        {
            sneaky(new Exception("undeclared failure"));
        }

        public int hidden()
        {
            return 42;
        }

        @SuppressWarnings("unchecked")
        private static <E extends Throwable> void sneaky(final Throwable t) throws E
        {
            throw (E)t;
        }
    }

    /** A class the filtered server refuses. */
    record Refused(int n) implements Serializable
    {
    }

    @BeforeAll
    static void startManager()
    {
        manager = Manager.builder().authKey(KEY).register("calculator", CalculatorImpl::new, Calculator.class).start();
    }

    @AfterAll
    static void stopManager()
    {
        manager.close();
    }

    @Test
    void shouldShareContainersWithAChildProcess() throws Exception
    {
        final Map<String, Integer> dict = manager.dict(Map.of("count", 100));
        final List<String> list = manager.list();
        final Set<Integer> set = manager.set();
        final Namespace ns = manager.namespace();
        final ManagedValue<Double> value = manager.value(0.0);
        final List<Integer> array = manager.array(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);

        final IpcProcess child = IpcProcess.start(() ->
        {
            dict.put("count", dict.get("count") - 1);
            list.add("Hello");
            set.add(7);
            ns.set("x", 10);
            value.set(3.14);
            array.set(0, 5);
        });
        assertTrue(child.join(Duration.ofSeconds(30)));
        assertEquals(0, child.exitCode());

        assertEquals("{count=99}", dict.toString());
        assertEquals(List.of("Hello"), list);
        assertEquals(Set.of(7), set);
        assertEquals(10, (int)ns.get("x"));
        assertEquals("Namespace(x=10)", ns.toString());
        assertEquals(3.14, value.get());
        assertEquals("[5, 1, 2, 3, 4, 5, 6, 7, 8, 9]", array.toString());
        assertThrows(UnsupportedOperationException.class, () -> array.add(10));
        assertThrows(IllegalArgumentException.class, () -> ns.get("missing"));
    }

    @Test
    void shouldKeepTheWholeMapAndListContractThroughProxies()
    {
        final Map<String, Integer> dict = manager.dict();
        for (int i = 0; i < 5; i++)
        {
            dict.put("k" + i, i);
        }
        final Map<String, Integer> local = new LinkedHashMap<>(dict);
        assertEquals(local, dict);
        assertEquals(dict, local);
        assertEquals(local.hashCode(), dict.hashCode());
        assertEquals(dict, dict);

        int sum = 0;
        for (final Map.Entry<String, Integer> e : dict.entrySet())
        {
            sum += e.getValue();
        }
        assertEquals(10, sum);
        assertTrue(dict.keySet().remove("k0"), "keySet is a view: removal writes through");
        assertFalse(dict.containsKey("k0"));
        final Iterator<Integer> values = dict.values().iterator();
        values.next();
        values.remove();
        assertEquals(3, dict.size());
        assertEquals(3, dict.keySet().stream().count());
        dict.merge("k4", 100, Integer::sum);
        assertEquals(104, dict.get("k4"));

        final List<Integer> list = manager.list(List.of(3, 1, 2));
        list.sort(null);
        assertEquals(List.of(1, 2, 3), list);
        assertEquals(List.of(2, 3), list.subList(1, 3));
        list.subList(0, 1).clear();
        assertEquals("[2, 3]", list.toString());
        final IndexOutOfBoundsException failure = assertThrows(IndexOutOfBoundsException.class, () -> list.get(99));
        assertTrue(failure.getStackTrace().length > 0);
    }

    @Test
    void shouldKeepNestedProxiesAsProxies() throws Exception
    {
        final List<Map<String, Integer>> outer = manager.list();
        outer.add(manager.dict());
        final IpcProcess child = IpcProcess.start(() -> outer.get(0).put("seen", 1));
        assertTrue(child.join(Duration.ofSeconds(30)));
        assertEquals(0, child.exitCode());
        assertEquals(Map.of("seen", 1), outer.get(0));
        assertInstanceOf(ManagedProxy.class, outer.get(0));
    }

    @Test
    void shouldAttachProxiesSentInAPoolJobAndInAQueueItem() throws Exception
    {
        final List<Integer> seen = manager.list();
        try (ProcessPool pool = ProcessPool.create(2))
        {
            pool.map(i -> seen.add(i), List.of(1, 2, 3, 4));
        }
        assertEquals(List.of(1, 2, 3, 4), seen.stream().sorted().toList());

        final Map<String, String> dict = manager.dict();
        final IpcQueue<Map<String, String>> items = IpcQueue.create();
        try
        {
            final IpcProcess child = IpcProcess.start(() -> items.get().put("from", "queue item"));
            items.put(dict);
            assertTrue(child.join(Duration.ofSeconds(30)));
            assertEquals(0, child.exitCode());
            assertEquals(Map.of("from", "queue item"), dict);
        }
        finally
        {
            items.close();
        }
    }

    @Test
    void shouldServeQueuesAndSynchronisationToChildren() throws Exception
    {
        final ManagedQueue<String> queue = manager.queue(2);
        final ManagedJoinableQueue<Integer> jobs = manager.joinableQueue();
        final Lock lock = manager.lock();
        final Lock rlock = manager.rlock();
        final ManagedSemaphore semaphore = manager.semaphore(0);
        final ManagedEvent event = manager.event();
        final ManagedCondition condition = manager.condition();
        final ManagedBarrier barrier = manager.barrier(2);
        final ManagedValue<String> flag = manager.value("no");

        final IpcProcess child = IpcProcess.start(() ->
        {
            queue.put("a");
            queue.put(null);
            jobs.taskDone();
            rlock.lock();
            rlock.lock();
            rlock.unlock();
            rlock.unlock();
            semaphore.release();
            event.await();
            final Lock cl = condition.getLock();
            cl.lock();
            try
            {
                flag.set("yes");
                condition.signalAll();
            }
            finally
            {
                cl.unlock();
            }
            barrier.await();
        });
        jobs.put(1);
        assertEquals("a", queue.get());
        assertEquals(null, queue.get(Duration.ofSeconds(30)));
        assertThrows(dev.ipckit.queue.QueueEmptyException.class, queue::getNowait);
        assertTrue(jobs.join(Duration.ofSeconds(30)));
        assertTrue(semaphore.tryAcquire(Duration.ofSeconds(30)));
        lock.lock();
        assertThrows(IllegalStateException.class, lock::lock, "a Lock is not reentrant");
        lock.unlock();

        final Lock cl = condition.getLock();
        cl.lock();
        try
        {
            event.set();
            while (!"yes".equals(flag.get()))
            {
                assertTrue(condition.await(Duration.ofSeconds(30)));
            }
        }
        finally
        {
            cl.unlock();
        }
        final int index = barrier.await(Duration.ofSeconds(30));
        assertTrue(0 == index || 1 == index);
        assertTrue(child.join(Duration.ofSeconds(30)));
        assertEquals(0, child.exitCode());
    }

    @Test
    void shouldInterruptABlockedCallOnTheClientSide() throws Exception
    {
        final ManagedQueue<String> queue = manager.queue();
        final AtomicReference<Throwable> outcome = new AtomicReference<>();
        final CountDownLatch started = new CountDownLatch(1);
        final Thread waiter = new Thread(() ->
        {
            started.countDown();
            try
            {
                queue.get();
            }
            catch (final Throwable t)
            {
                outcome.set(t);
            }
        });
        waiter.start();
        started.await();
        waiter.interrupt();
        waiter.join(20_000);
        assertInstanceOf(InterruptedException.class, outcome.get());
        queue.put("after");
        assertEquals("after", queue.get(Duration.ofSeconds(20)), "the cancelled get took nothing");
    }

    @Test
    void shouldRethrowDeclaredAndUndeclaredExceptionsOfARegisteredType()
    {
        final Calculator calc = manager.proxy("calculator", Calculator.class);
        assertEquals(68, calc.add(23, 45));
        assertEquals(new BigInteger("19807040628566084398385987584"), calc.pow(BigInteger.TWO, 94));
        final IOException declared = assertThrows(IOException.class, calc::failChecked);
        assertEquals("declared failure", declared.getMessage());
        assertTrue(declared.getStackTrace()[0].getClassName().contains("CalculatorImpl"), "server's stack trace");
        final RemoteException undeclared = assertThrows(RemoteException.class, calc::failUndeclared);
        assertEquals("undeclared failure", undeclared.getCause().getMessage());
        assertThrows(IllegalArgumentException.class, () -> manager.proxy("nothing", Calculator.class));
    }

    @Test
    void shouldServeHundredConcurrentClientsFromTwoChildren() throws Exception
    {
        final Map<String, Integer> dict = manager.dict(Map.of("count", 0));
        final Lock lock = manager.lock();
        final List<IpcProcess> children = new ArrayList<>();
        for (int c = 0; c < 2; c++)
        {
            children.add(IpcProcess.start(() ->
            {
                final List<Thread> threads = new ArrayList<>();
                for (int t = 0; t < 50; t++)
                {
                    final Thread thread = new Thread(() ->
                    {
                        for (int i = 0; i < 5; i++)
                        {
                            lock.lock();
                            try
                            {
                                dict.put("count", dict.get("count") + 1);
                            }
                            finally
                            {
                                lock.unlock();
                            }
                        }
                    });
                    thread.start();
                    threads.add(thread);
                }
                for (final Thread thread : threads)
                {
                    thread.join();
                }
            }));
        }
        for (final IpcProcess child : children)
        {
            assertTrue(child.join(Duration.ofSeconds(90)));
            assertEquals(0, child.exitCode());
        }
        assertEquals(500, dict.get("count"));
    }

    @Test
    void shouldReleaseTheReferencesAndLocksOfAKilledClient() throws Exception
    {
        final Lock lock = manager.lock();
        final ManagedEvent ready = manager.event();
        final String address = manager.address().toString();
        assertThrows(AuthenticationException.class, () -> Manager.connect(Path.of(address), "wrong".getBytes(StandardCharsets.UTF_8)));
        final int before = manager.objectCount();
        final IpcProcess client = IpcProcess.start(() ->
        {
            final Manager m = Manager.connect(Path.of(address), KEY);
            final List<Object> held = new ArrayList<>();
            for (int i = 0; i < 10; i++)
            {
                held.add(m.dict());
            }
            lock.lock();
            ready.set();
            Thread.sleep(600_000);
            held.clear();
        });
        assertTrue(ready.await(Duration.ofSeconds(30)));
        assertTrue(manager.objectCount() >= before + 10);
        assertFalse(lock.tryLock());
        client.kill();
        assertTrue(client.join(Duration.ofSeconds(20)));
        Await.until("the killed client's objects go", Duration.ofSeconds(20), () -> manager.objectCount() <= before);
        assertTrue(lock.tryLock(30, java.util.concurrent.TimeUnit.SECONDS), "its lock is released");
        lock.unlock();
    }

    @Test
    void shouldServeOverTcpAndRefuseWrongKeysAndRefusedClasses() throws Exception
    {
        try (Manager tcp = Manager.builder()
            .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .authKey(KEY)
            .jvmArgs("-Dipckit.serialFilter=java.base/*;!*")
            .start())
        {
            final InetSocketAddress at = (InetSocketAddress)tcp.address();
            assertTrue(at.getPort() > 0);
            assertThrows(AuthenticationException.class, () -> Manager.connect(at, "wrong".getBytes(StandardCharsets.UTF_8)));
            final List<Object> list = tcp.list();
            final IpcProcess child = IpcProcess.start(() ->
            {
                final Manager remote = Manager.connect(at, KEY);
                remote.dict().put("a", 1);
                list.add("from child");
            });
            assertTrue(child.join(Duration.ofSeconds(30)));
            assertEquals(0, child.exitCode());
            assertEquals(List.of("from child"), list);
            assertThrows(CodecException.class, () -> list.add(new Refused(1)));
            assertEquals(1, list.size());
        }
        assertThrows(IllegalArgumentException.class,
            () -> Manager.builder().address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).start());
    }

    @Test
    void shouldFailBlockedAndLaterCallsWhenTheServerIsKilled() throws Exception
    {
        final Manager doomed = Manager.start();
        try
        {
            final ManagedQueue<String> queue = doomed.queue();
            final ManagedEvent event = doomed.event();
            final AtomicReference<Throwable> outcome = new AtomicReference<>();
            final ManagedValue<Boolean> waiting = doomed.value(false);
            final IpcProcess blockedChild = IpcProcess.start(() ->
            {
                try
                {
                    waiting.set(true);
                    event.await();
                    System.exit(3);
                }
                catch (final ManagerUnavailableException expected)
                {
                    System.exit(0);
                }
            });
            final CountDownLatch started = new CountDownLatch(1);
            final Thread waiter = new Thread(() ->
            {
                started.countDown();
                try
                {
                    queue.get();
                }
                catch (final Throwable t)
                {
                    outcome.set(t);
                }
            });
            waiter.start();
            started.await();
            Await.until("the child waits for the event", Duration.ofSeconds(30), waiting::get);
            doomed.serverProcess().kill();
            waiter.join(20_000);
            assertFalse(waiter.isAlive());
            assertInstanceOf(ManagerUnavailableException.class, outcome.get());
            assertThrows(ManagerUnavailableException.class, queue::qsize);
            assertTrue(blockedChild.join(Duration.ofSeconds(30)));
            assertEquals(0, blockedChild.exitCode());
            assertThrows(ManagerUnavailableException.class, doomed::dict);
        }
        finally
        {
            doomed.close();
        }
    }
}
