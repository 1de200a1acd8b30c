package dev.ipckit.process;

import dev.ipckit.RuntimeDirectory;
import dev.ipckit.pipe.Connection;
import dev.ipckit.pipe.Pipe;
import dev.ipckit.support.Await;
import dev.ipckit.support.RuntimeDirectoryClean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
@ExtendWith(RuntimeDirectoryClean.class)
class IpcProcessTest
{
    private static final Duration BOUND = Duration.ofSeconds(20);

    @Test
    void shouldExitWithZeroWhenTheTaskReturns() throws Exception
    {
        final IpcProcess child = IpcProcess.start(() -> { });
        child.join();
        assertEquals(0, child.exitCode());
        assertFalse(child.isAlive());
    }

    @Test
    void shouldExitWithOneWhenTheTaskThrows() throws Exception
    {
        final IpcProcess child = IpcProcess.builder().name("thrower").target(() ->
        {
            throw new IllegalStateException("expected by IpcProcessTest: this stack trace is supposed to be printed");
        }).start();
        assertTrue(child.join(BOUND));
        assertEquals(1, child.exitCode());
    }

    @Test
    void shouldStartChildrenWithTheFlagsModulesRequired() throws Exception
    {
        ChildJvmFlags.require("-Dipckit-test.required-flag=present");
        final IpcProcess child = IpcProcess.start(() ->
            System.exit("present".equals(System.getProperty("ipckit-test.required-flag")) ? 42 : 3));
        assertTrue(child.join(BOUND));
        assertEquals(42, child.exitCode());
        assertThrows(IllegalArgumentException.class, () -> ChildJvmFlags.require("add-opens"));
    }

    @Test
    void shouldExitWithTheCodeGivenToSystemExit() throws Exception
    {
        final IpcProcess child = IpcProcess.start(() -> System.exit(7));
        assertTrue(child.join(BOUND));
        assertEquals(7, child.exitCode());
    }

    @Test
    void shouldReportSignalsAsNegativeExitCodes() throws Exception
    {
        final Pipe ready = Pipe.open();
        final IpcProcess terminated = IpcProcess.start(() -> blockAfterSaying(ready.right()));
        ready.right().close();
        assertEquals("ready", ready.left().recv());
        assertNull(terminated.exitCode());
        assertTrue(terminated.isAlive());
        terminated.terminate();
        assertTrue(terminated.join(BOUND));
        assertEquals(-15, terminated.exitCode());
        ready.left().close();

        final Pipe ready2 = Pipe.open();
        final IpcProcess killed = IpcProcess.start(() -> blockAfterSaying(ready2.right()));
        ready2.right().close();
        assertEquals("ready", ready2.left().recv());
        killed.kill();
        assertTrue(killed.join(BOUND));
        assertEquals(-9, killed.exitCode());
        killed.kill();
        killed.terminate();
        assertEquals(-9, killed.exitCode());
        ready2.left().close();
    }

    @Test
    void shouldReportTerminateAsMinusFifteenEvenRightAfterStart() throws Exception
    {
        for (int i = 0; i < 4; i++)
        {
            final IpcProcess child = IpcProcess.start(() -> Thread.sleep(60_000));
            child.terminate();
            assertTrue(child.join(BOUND));
            assertEquals(-15, child.exitCode());
        }
    }

    @Test
    void shouldTimeOutJoinOnALiveChild() throws Exception
    {
        final Pipe ready = Pipe.open();
        final IpcProcess child = IpcProcess.start(() -> blockAfterSaying(ready.right()));
        ready.right().close();
        assertEquals("ready", ready.left().recv());
        final long start = System.nanoTime();
        assertFalse(child.join(Duration.ofMillis(300)));
        assertTrue(System.nanoTime() - start >= 300_000_000L);
        assertTrue(child.isAlive());
        assertNull(child.exitCode());
        child.terminate();
        assertTrue(child.join(BOUND));
        ready.left().close();
    }

    @Test
    void shouldGiveTheChildItsNameAndJvmArguments() throws Exception
    {
        final Pipe pipe = Pipe.open();
        final IpcProcess child = IpcProcess.builder()
            .name("alex")
            .jvmArgs("-Dipckit.test.flavour=mint", "-Xmx64m")
            .target(() ->
            {
                try (Connection out = pipe.right())
                {
                    out.send(List.of(IpcProcess.currentName(), System.getProperty("ipckit.test.flavour"),
                        ProcessHandle.current().pid()));
                }
            })
            .start();
        assertEquals("alex", child.name());
        assertFalse(child.isDaemon());
        final List<Object> report = pipe.left().recv();
        assertEquals(List.of("alex", "mint", child.pid()), report);
        assertEquals(IpcProcess.MAIN_PROCESS_NAME, IpcProcess.currentName());
        assertTrue(child.join(BOUND));
        pipe.left().close();
        assertTrue(child.toString().contains("alex") && child.toString().contains("exitCode=0"), child.toString());
    }

    @Test
    void shouldNumberUnnamedChildren() throws Exception
    {
        final IpcProcess first = IpcProcess.start(() -> { });
        final IpcProcess second = IpcProcess.start(() -> { });
        assertTrue(first.name().matches("IpcProcess-\\d+"), first.name());
        assertEquals(Integer.parseInt(first.name().substring(11)) + 1, Integer.parseInt(second.name().substring(11)));
        assertTrue(first.join(BOUND) && second.join(BOUND));
    }

    @Test
    void shouldRefuseATaskThatCannotBeSerialised()
    {
        final Object notSerializable = new Object();
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> IpcProcess.start(() -> notSerializable.hashCode()));
        assertTrue(ex.getMessage().contains("java.lang.Object"), ex.getMessage());
        assertThrows(IllegalStateException.class, () -> IpcProcess.builder().start());
    }

    @Test
    void shouldEndADaemonChildWhenItsParentIsKilled() throws Exception
    {
        final Pipe report = Pipe.open();
        final IpcProcess parent = IpcProcess.start(() ->
        {
            final IpcProcess daemon = IpcProcess.builder().name("orphan-to-be").daemon(true)
                .target(() -> Thread.sleep(120_000)).start();
            report.right().send(daemon.pid());
            Thread.sleep(120_000);
        });
        report.right().close();
        final long daemonPid = report.left().recv();
        assertTrue(ProcessHandle.of(daemonPid).isPresent());
        parent.kill();
        assertTrue(parent.join(BOUND));
        Await.until("daemon child " + daemonPid + " exits after its parent was killed", BOUND,
            () -> ProcessHandle.of(daemonPid).map(h -> !h.isAlive()).orElse(true));
        report.left().close();
    }

    @Test
    void shouldLeaveNothingOfItsChildrenWhenTheParentExitsWithoutJoiningThem() throws Exception
    {
        final int children = 4;
        final Pipe report = Pipe.open();
        final IpcProcess parent = IpcProcess.start(() ->
        {
            for (int i = 0; i < children; i++)
            {
                IpcProcess.builder().name("ended-at-exit-" + i).daemon(true).target(() -> Thread.sleep(120_000)).start();
                IpcProcess.builder().name("awaited-at-exit-" + i).target(() -> Thread.sleep(200)).start();
            }
            report.right().send(ProcessHandle.current().pid());
        });
        final long parentPid = report.left().recv();
        assertTrue(parent.join(BOUND));
        assertEquals(0, parent.exitCode());
        try (Stream<Path> entries = Files.list(RuntimeDirectory.path()))
        {
            final List<String> left = entries.map(p -> p.getFileName().toString())
                .filter(name -> name.endsWith("." + parentPid)).collect(Collectors.toList());
            assertEquals(List.of(), left, "what the parent " + parentPid + " left of its children");
        }
        report.left().close();
    }

    @Test
    void shouldNotLaunchAChildWhileAsManyAsAllowedAreStillBooting() throws Exception
    {
        System.setProperty(ProcessConfiguration.MAX_STARTING_PROP_NAME, "1");
        System.setProperty(ProcessConfiguration.SPARE_JVMS_PROP_NAME, "0");
        try
        {
            final Pipe firstReport = Pipe.open();
            final Pipe secondReport = Pipe.open();
            final IpcProcess first = IpcProcess.start(() -> firstReport.right().send("first"));
            final IpcProcess second = IpcProcess.start(() -> secondReport.right().send("second"));
            final boolean firstBooted = !first.isAlive() || startedMarks() > 0;
            firstReport.right().close();
            secondReport.right().close();
            assertTrue(firstBooted, "the second child (freshly launched, so it cannot have marked its start yet) " +
                "was launched while the first was still booting");
            assertEquals("first", firstReport.left().recv());
            assertEquals("second", secondReport.left().recv());
            first.join();
            second.join();
            firstReport.left().close();
            secondReport.left().close();
        }
        finally
        {
            System.clearProperty(ProcessConfiguration.MAX_STARTING_PROP_NAME);
            System.clearProperty(ProcessConfiguration.SPARE_JVMS_PROP_NAME);
        }
    }

    private static long startedMarks() throws Exception
    {
        try (Stream<Path> entries = Files.list(RuntimeDirectory.path()))
        {
            return entries.map(p -> p.getFileName().toString())
                .filter(name -> name.startsWith("exit@") && name.endsWith(".started")).count();
        }
    }

    @Test
    void shouldKeepParentAliveUntilItsNonDaemonChildrenExit() throws Exception
    {
        final Pipe report = Pipe.open();
        final IpcProcess parent = IpcProcess.start(() ->
        {
            final IpcProcess worker = IpcProcess.builder().name("outlives-main").target(() ->
            {
                Thread.sleep(1_000);
            }).start();
            report.right().send(worker.pid());
        });
        final long workerPid = report.left().recv();
        assertTrue(parent.join(BOUND));
        assertEquals(0, parent.exitCode());
        assertTrue(ProcessHandle.of(workerPid).map(h -> !h.isAlive()).orElse(true),
            "the parent exited before its non-daemon child " + workerPid);
        report.left().close();
    }

    @Test
    void shouldLeaveNoSpareJvmBehindWhenTheParentExits() throws Exception
    {
        final Pipe report = Pipe.open();
        final IpcProcess parent = IpcProcess.start(() ->
        {
            IpcProcess.start(() -> { }).join();
            final long deadline = System.nanoTime() + 10_000_000_000L;
            while (ProcessHandle.current().children().count() < 1 && System.nanoTime() < deadline)
            {
                Thread.sleep(10);
            }
            report.right().send(ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toList()));
        });
        final List<Long> spares = report.left().recv();
        assertEquals(1, spares.size(), "one spare JVM waits for the next start: " + spares);
        assertTrue(parent.join(BOUND));
        assertEquals(0, parent.exitCode());
        Await.until("the spare " + spares + " exits with its parent", BOUND,
            () -> ProcessHandle.of(spares.get(0)).map(h -> !h.isAlive()).orElse(true));
        report.left().close();
    }

    @Test
    void shouldStartChildrenWithoutSparesWhenAskedTo() throws Exception
    {
        final Pipe report = Pipe.open();
        final IpcProcess parent = IpcProcess.builder().jvmArgs("-Dipckit.process.spares=0").target(() ->
        {
            final IpcProcess child = IpcProcess.start(() -> Thread.sleep(500));
            report.right().send(ProcessHandle.current().children().count());
            child.join();
        }).start();
        assertEquals(1L, (Long)report.left().recv());
        assertTrue(parent.join(BOUND));
        assertEquals(0, parent.exitCode());
        report.left().close();
    }

    @Test
    void shouldSweepWhatAKilledChildLeftInTheRuntimeDirectory() throws Exception
    {
        final Pipe pipe = Pipe.open();
        final Pipe report = Pipe.open();
        final IpcProcess child = IpcProcess.start(() ->
        {
            pipe.right().poll();
            report.right().send("listening");
            Thread.sleep(120_000);
        });
        assertEquals("listening", report.left().recv());
        final String prefix = "pipe@" + pipeId(pipe) + ".";
        assertEquals(List.of(prefix + "R", prefix + "sock"), entries(prefix), "the child's claim and socket");
        pipe.left().close();
        pipe.right().close();
        child.kill();
        assertTrue(child.join(BOUND));
        Await.until("files of the killed child are swept", BOUND, () -> entries(prefix).isEmpty());
        report.left().close();
    }

    private static String pipeId(final Pipe pipe)
    {
        final String description = pipe.left().toString();
        final int at = description.indexOf("pipe=") + 5;
        return description.substring(at, description.indexOf(' ', at));
    }

    private static List<String> entries(final String prefix)
    {
        try (Stream<Path> entries = Files.list(RuntimeDirectory.path()))
        {
            return entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).sorted()
                .collect(Collectors.toList());
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    private static void blockAfterSaying(final Connection out) throws Exception
    {
        out.send("ready");
        Thread.sleep(120_000);
    }
}
