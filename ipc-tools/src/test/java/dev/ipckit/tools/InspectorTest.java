package dev.ipckit.tools;

import dev.ipckit.RuntimeDirectory;
import dev.ipckit.durable.DurableJoinableQueue;
import dev.ipckit.durable.DurableQueue;
import dev.ipckit.manager.Manager;
import dev.ipckit.pipe.Pipe;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.queue.JoinableQueue;
import dev.ipckit.shm.SharedMemory;
import dev.ipckit.sync.IpcBarrier;
import dev.ipckit.sync.IpcEvent;
import dev.ipckit.sync.IpcLock;
import dev.ipckit.sync.IpcSemaphore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The inspector reads what live and killed children hold, changes nothing, and sweeps what the dead left. */
@Timeout(120)
@ExtendWith(RuntimeDirectoryClean.class)
class InspectorTest
{
    private static final Duration BOUND = Duration.ofSeconds(30);
    /** A child's first durable queue loads Chronicle Queue: seconds on a quiet machine, far more on a loaded one. */
    private static final Duration DURABLE_BOUND = Duration.ofSeconds(120);
    private static final Pattern ID = Pattern.compile("([0-9a-z]{20})");

    @Test
    void shouldReportEveryKindTheProcessesHoldingItAndADeadOwner() throws Exception
    {
        try (JoinableQueue<String> queue = JoinableQueue.create();
             IpcLock held = IpcLock.create();
             IpcLock orphaned = IpcLock.create();
             IpcSemaphore semaphore = IpcSemaphore.create(3);
             IpcEvent event = IpcEvent.create();
             IpcEvent release = IpcEvent.create();
             IpcBarrier barrier = IpcBarrier.create(2);
             SharedMemory memory = SharedMemory.create("inspector-shm", 8192))
        {
            queue.put("a");
            queue.put("b");
            queue.put("c");
            event.set();
            final Pipe ready = Pipe.open();
            final IpcProcess holder = IpcProcess.start(() ->
            {
                queue.get();
                held.lock();
                semaphore.acquire();
                final Thread party = new Thread(() -> awaitQuietly(barrier));
                party.start();
                while (barrier.waiting() < 1)
                {
                    Thread.onSpinWait();
                }
                ready.right().send("holding");
                release.await();
                party.join();
                held.unlock();
                semaphore.release();
                queue.taskDone();
            });
            final Thread localWaiter = new Thread(() ->
            {
                held.lock();
                held.unlock();
            }, "waits for the held lock");
            final Pipe doomedReady = Pipe.open();
            IpcProcess doomed = null;
            try
            {
                assertTrue(ready.left().poll(BOUND), "the holder holds in time");
                assertEquals("holding", ready.left().recv());
                localWaiter.start();
                doomed = IpcProcess.start(() ->
                {
                    orphaned.lock();
                    for (int i = 0; i < 2; i++)
                    {
                        final Thread waiter = new Thread(held::lock);
                        waiter.setDaemon(true);
                        waiter.start();
                    }
                    doomedReady.right().send("holding");
                    Thread.sleep(60_000);
                });
                assertTrue(doomedReady.left().poll(BOUND), "the doomed child holds in time");
                assertEquals("holding", doomedReady.left().recv());
                awaitWaiters(id(held), 3);
                doomed.kill();
                assertTrue(doomed.join(BOUND));

                final List<String> before = listing();
                final List<String> objects = Json.objects(run("ls", "--json"));
                final String text = run("ls");
                System.out.print(text);
                assertEquals(before, listing(), "reading changes nothing in the runtime directory");

                final String q = Json.named(objects, id(queue));
                assertEquals("queue", Json.field(q, "kind"));
                assertEquals("2", Json.field(q, "items"));
                assertEquals("3", Json.field(q, "unfinished"));
                assertTrue(Json.field(q, "pids").contains(Long.toString(holder.pid())), q);
                assertTrue(Json.field(q, "pids").contains(Long.toString(ProcessHandle.current().pid())), q);

                final String h = Json.named(objects, id(held));
                assertEquals("lock", Json.field(h, "kind"));
                assertEquals(Long.toString(holder.pid()), Json.field(h, "owner"));
                assertEquals("true", Json.field(h, "ownerAlive"));
                assertEquals("1", Json.field(h, "waiters"), h);
                assertEquals("2", Json.field(h, "deadWaiterSlots"), h);
                assertTrue(h.contains("{\"pid\":" + ProcessHandle.current().pid() + ",\"alive\":true,\"threadsWaiting\":1}"), h);
                assertTrue(h.contains("{\"pid\":" + doomed.pid() + ",\"alive\":false,\"threadsWaiting\":2}"), h);

                final String o = Json.named(objects, id(orphaned));
                assertEquals(Long.toString(doomed.pid()), Json.field(o, "owner"));
                assertEquals("false", Json.field(o, "ownerAlive"));
                assertTrue(o.contains("{\"pid\":" + doomed.pid() + ",\"alive\":false}"), o);

                final String s = Json.named(objects, id(semaphore));
                assertEquals("semaphore", Json.field(s, "kind"));
                assertEquals("2", Json.field(s, "permits"));
                assertTrue(s.contains("\"pid\":" + holder.pid() + ",\"alive\":true,\"permitsHeld\":1"), s);

                assertEquals("true", Json.field(Json.named(objects, id(event)), "set"));
                final String b = Json.named(objects, id(barrier));
                assertEquals("2", Json.field(b, "parties"));
                assertEquals("1", Json.field(b, "waiting"));
                assertEquals("false", Json.field(b, "broken"));
                final String m = Json.named(objects, "inspector-shm");
                assertEquals("shared-memory", Json.field(m, "kind"));
                assertEquals("8192", Json.field(m, "size"));
                assertTrue(objects.stream().allMatch(x -> "null".equals(Json.field(x, "problem"))), objects.toString());

                assertTrue(text.contains(doomed.pid() + "(dead)"), text);
                assertTrue(text.lines().anyMatch(l -> l.contains(id(held)) && l.contains("owner=" + holder.pid()) &&
                    l.contains("waiters=1")), text);

                final String stat = run("stat", id(orphaned));
                assertTrue(stat.matches("(?s).*\\nowner: +" + doomed.pid() + "\\n.*"), stat);
                assertTrue(stat.contains("ownerAlive: false"), stat);
                assertEquals(Long.toString(doomed.pid()), Json.field(run("stat", "--json", id(orphaned)), "owner"));
            }
            finally
            {
                barrier.await(BOUND);
                release.set();
                assertTrue(holder.join(BOUND));
                assertEquals(0, holder.exitCode());
                if (null != doomed)
                {
                    doomed.kill();
                }
                localWaiter.join(BOUND.toMillis());
                assertFalse(localWaiter.isAlive(), "the waiting thread got the lock once the holder let it go");
                ready.left().close();
                ready.right().close();
                doomedReady.left().close();
                doomedReady.right().close();
                memory.unlink();
            }
        }
    }

    @Test
    @Timeout(360)
    void shouldListManagersAndDurableQueuesWithTheirOwnersAliveOrDead(@TempDir final Path temp) throws Exception
    {
        final String orders = temp.resolve("orders").toString();
        final String doomedDir = temp.resolve("doomed").toString();
        try (Manager manager = Manager.start())
        {
            final long managerPid = Long.parseLong(manager.toString().replaceAll(".*serverPid=(\\d+).*", "$1"));
            final Pipe ready = Pipe.open();
            final IpcProcess holder = IpcProcess.start(() ->
            {
                try (DurableJoinableQueue<String> queue = DurableJoinableQueue.open(Path.of(orders)))
                {
                    queue.put("a");
                    queue.put("b");
                    queue.put("c");
                    queue.get();
                    ready.right().send("holding");
                    ready.right().recv();
                }
            });
            final Pipe doomedReady = Pipe.open();
            final IpcProcess doomed = IpcProcess.start(() ->
            {
                final DurableQueue<String> queue = DurableQueue.open(Path.of(doomedDir));
                queue.put("x");
                doomedReady.right().send(queue.toString());
                Thread.sleep(60_000);
            });
            final IpcProcess doomedServer = IpcProcess.start(() -> Manager.builder().serve());
            String doomedManager = null;
            String doomedQueue = null;
            try
            {
                assertTrue(ready.left().poll(DURABLE_BOUND) && doomedReady.left().poll(DURABLE_BOUND), "the children hold in time");
                assertEquals("holding", ready.left().recv());
                doomedReady.left().recv();
                doomedManager = Json.field(awaitManagerOf(doomedServer.pid()), "name");
                doomedQueue = Json.field(withField(Json.objects(run("ls", "--json")), "directory", doomedDir), "name");
                // as if the killed processes were not this JVM's children: it sweeps what a child leaves when it dies
                RuntimeDirectory.hold("manager", doomedManager);
                RuntimeDirectory.hold("durable", doomedQueue);
                doomed.kill();
                doomedServer.kill();
                assertTrue(doomed.join(BOUND));
                assertTrue(doomedServer.join(BOUND));

                final List<String> before = listing();
                final List<String> objects = Json.objects(run("ls", "--json"));
                final String text = run("ls");
                System.out.print(text);
                assertEquals(before, listing(), "reading changes nothing in the runtime directory");
                assertTrue(objects.stream().allMatch(x -> "null".equals(Json.field(x, "problem"))), objects.toString());

                final String live = withField(objects, "ownerPid", Long.toString(managerPid));
                assertEquals("manager", Json.field(live, "kind"));
                assertEquals(manager.address().toString(), Json.field(live, "address"));
                assertEquals("true", Json.field(live, "ownerAlive"));
                final String dead = withField(objects, "ownerPid", Long.toString(doomedServer.pid()));
                assertEquals("false", Json.field(dead, "ownerAlive"));
                assertEquals("true", Json.field(dead, "abandoned"));
                assertTrue(Files.exists(Path.of(Json.field(dead, "address"))), dead);

                final String q = withField(objects, "directory", orders);
                assertEquals("durable-queue", Json.field(q, "kind"));
                assertEquals("2", Json.field(q, "items"));
                assertEquals("3", Json.field(q, "unfinished"));
                assertEquals("[" + holder.pid() + "]", Json.field(q, "pids"));
                assertTrue(q.contains("{\"pid\":" + holder.pid() + ",\"alive\":true,\"getsNotDone\":1}"), q);
                final String d = withField(objects, "directory", doomedDir);
                assertEquals("1", Json.field(d, "items"));
                assertTrue(d.contains("{\"pid\":" + doomed.pid() + ",\"alive\":false}"), d);
                assertTrue(text.lines().anyMatch(l -> l.startsWith("durable-queue") && l.contains(doomed.pid() + "(dead)")),
                    text);
                assertTrue(text.lines().anyMatch(l -> l.startsWith("manager") && l.contains("ownerPid=" + managerPid)),
                    text);

                final String stat = run("stat", orders);
                assertTrue(stat.contains("unfinished: 3"), stat);
                assertEquals("false", Json.field(run("stat", "--json", Json.field(dead, "name")), "ownerAlive"));
            }
            finally
            {
                ready.left().send("release");
                assertTrue(holder.join(BOUND));
                assertEquals(0, holder.exitCode());
                doomed.kill();
                doomedServer.kill();
                ready.left().close();
                ready.right().close();
                doomedReady.left().close();
                doomedReady.right().close();
                if (null != doomedManager)
                {
                    RuntimeDirectory.release("manager", doomedManager);
                }
                if (null != doomedQueue)
                {
                    RuntimeDirectory.release("durable", doomedQueue);
                }
            }
        }
    }

    @Test
    void shouldReportAForeignOrCorruptFileWithoutTrustingIt() throws Exception
    {
        final Path dir = RuntimeDirectory.path();
        final Path foreign = dir.resolve("lock@aaaaaaaaaaaaaaaaaaaa.data");
        final Path torn = dir.resolve("queue@bbbbbbbbbbbbbbbbbbbb.data");
        try
        {
            Files.write(foreign, "this is not a region, only a file of some length".repeat(4).getBytes());
            Files.write(torn, new byte[16]);
            final List<String> objects = Json.objects(run("ls", "--json"));
            assertTrue(Json.field(Json.named(objects, "aaaaaaaaaaaaaaaaaaaa"), "problem").contains("not an ipckit region"));
            assertTrue(Json.field(Json.named(objects, "bbbbbbbbbbbbbbbbbbbb"), "problem").contains("size=16"));
        }
        finally
        {
            Files.deleteIfExists(foreign);
            Files.deleteIfExists(torn);
        }
    }

    @Test
    void shouldSweepWhatADeadProcessLeftAndSaySo() throws Exception
    {
        final Path dir = RuntimeDirectory.path();
        long deadPid = 4_000_000;
        while (ProcessHandle.of(deadPid).isPresent())
        {
            deadPid++;
        }
        final Path data = dir.resolve("event@cccccccccccccccccccc.data");
        final Path link = dir.resolve("event@cccccccccccccccccccc." + deadPid + "-0");
        Files.write(data, new byte[128]);
        Files.createSymbolicLink(link, Path.of(deadPid + ":1:0:gone"));
        final String object = Json.named(Json.objects(run("ls", "--json")), "cccccccccccccccccccc");
        assertEquals("true", Json.field(object, "abandoned"));

        final String swept = run("sweep");
        assertTrue(swept.contains("removed 2 entries"), swept);
        assertTrue(swept.contains(link.getFileName().toString()), swept);
        assertTrue(Files.notExists(data) && Files.notExists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    /** Polls the inspector until the lock shows {@code count} waiting threads, alive or not. */
    private static void awaitWaiters(final String lockId, final int count) throws Exception
    {
        final long deadline = System.nanoTime() + BOUND.toNanos();
        while (true)
        {
            final String lock = Json.named(Json.objects(run("ls", "--json")), lockId);
            if (countWaiting(lock) >= count)
            {
                return;
            }
            assertTrue(System.nanoTime() - deadline < 0, "not " + count + " waiters within " + BOUND + ": " + lock);
            Thread.sleep(20);
        }
    }

    private static int countWaiting(final String lock)
    {
        final Matcher m = Pattern.compile("\"threadsWaiting\":(\\d+)").matcher(lock);
        int sum = 0;
        while (m.find())
        {
            sum += Integer.parseInt(m.group(1));
        }
        return sum;
    }

    /** @return the manager owned by {@code pid}, once the inspector lists it with its socket (polled). */
    private static String awaitManagerOf(final long pid) throws Exception
    {
        final long deadline = System.nanoTime() + BOUND.toNanos();
        while (true)
        {
            for (final String o : Json.objects(run("ls", "--json")))
            {
                if ("manager".equals(Json.field(o, "kind")) && Long.toString(pid).equals(Json.field(o, "ownerPid")) &&
                    !"null".equals(Json.field(o, "address")))
                {
                    return o;
                }
            }
            assertTrue(System.nanoTime() - deadline < 0, "no manager of pid=" + pid + " listed within " + BOUND);
            Thread.sleep(20);
        }
    }

    private static String withField(final List<String> objects, final String key, final String value)
    {
        return objects.stream().filter(o -> o.contains("\"" + key + "\":") && value.equals(Json.field(o, key))).findFirst()
            .orElseThrow(() -> new AssertionError("no object with " + key + "=" + value + " in " + objects));
    }

    private static void awaitQuietly(final IpcBarrier barrier)
    {
        try
        {
            barrier.await();
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static String id(final Object handle)
    {
        final Matcher m = ID.matcher(handle.toString());
        assertTrue(m.find(), handle.toString());
        return m.group(1);
    }

    private static String run(final String... args) throws InterruptedException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int status = Ipckit.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    private static List<String> listing() throws IOException
    {
        return RuntimeDirectoryClean.listing();
    }
}
