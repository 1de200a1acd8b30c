package dev.ipckit.process;

import dev.ipckit.pipe.Connection;
import dev.ipckit.pipe.Pipe;
import dev.ipckit.support.RuntimeDirectoryClean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(90)
@ExtendWith(RuntimeDirectoryClean.class)
class AsyncProcessTest
{
    private static final long BOUND_SECONDS = 30;
    private static final Duration BOUND = Duration.ofSeconds(BOUND_SECONDS);

    @Test
    void shouldCompleteOnExitWhenTheChildReturns() throws Exception
    {
        final IpcProcess child = IpcProcess.start(() -> { });
        final IpcProcess exited = child.onExit().get(BOUND_SECONDS, TimeUnit.SECONDS);
        assertSame(child, exited);
        assertEquals(0, exited.exitCode());
        assertFalse(exited.isAlive());
    }

    @Test
    void shouldCompleteOnExitWhenTheTaskFails() throws Exception
    {
        final IpcProcess child = IpcProcess.start(() ->
        {
            throw new IllegalStateException("expected by AsyncProcessTest: this stack trace is supposed to be printed");
        });
        assertEquals(1, child.onExit().get(BOUND_SECONDS, TimeUnit.SECONDS).exitCode());
    }

    @Test
    void shouldCompleteOnExitWhenKilled() throws Exception
    {
        final Pipe ready = Pipe.open();
        final IpcProcess child = IpcProcess.start(() -> blockAfterSaying(ready.right()));
        ready.right().close();
        assertEquals("ready", ready.left().recv());
        final CompletableFuture<IpcProcess> exit = child.onExit();
        assertFalse(exit.isDone());
        child.kill();
        assertEquals(-9, exit.get(BOUND_SECONDS, TimeUnit.SECONDS).exitCode());
        ready.left().close();
    }

    @Test
    void shouldNotBeAffectedByCompletingTheReturnedFuture() throws Exception
    {
        final Pipe ready = Pipe.open();
        final IpcProcess child = IpcProcess.start(() -> blockAfterSaying(ready.right()));
        ready.right().close();
        assertEquals("ready", ready.left().recv());
        child.onExit().cancel(true);
        assertFalse(child.onExit().isDone());
        assertTrue(child.isAlive());
        child.terminate();
        assertEquals(-15, child.onExit().get(BOUND_SECONDS, TimeUnit.SECONDS).exitCode());
        ready.left().close();
    }

    @Test
    void shouldBuildAProcessThatStartsLater() throws Exception
    {
        final Pipe out = Pipe.open(false);
        final Connection childEnd = out.right();
        final IpcProcess process = IpcProcess.builder().name("later").target(() ->
        {
            try (childEnd)
            {
                childEnd.send(IpcProcess.currentName());
            }
        }).build();
        childEnd.close();
        final CompletableFuture<IpcProcess> exit = process.onExit();
        assertFalse(process.isAlive());
        assertNull(process.exitCode());
        assertEquals("later", process.name());
        assertThrows(IllegalStateException.class, process::pid);
        assertThrows(IllegalStateException.class, process::join);
        assertThrows(IllegalStateException.class, process::terminate);
        assertThrows(IllegalStateException.class, process::kill);
        assertTrue(process.toString().contains("initial"));
        assertFalse(exit.isDone());

        assertSame(process, process.start());
        assertEquals("later", out.left().recv());
        assertSame(process, exit.get(BOUND_SECONDS, TimeUnit.SECONDS));
        assertEquals(0, process.exitCode());
        assertThrows(IllegalStateException.class, process::start);
        out.left().close();
    }

    @Test
    void shouldRefuseToBuildWithoutATarget()
    {
        assertThrows(IllegalStateException.class, () -> IpcProcess.builder().build());
    }

    @Test
    void shouldSupplyTheChildsResult() throws Exception
    {
        final CompletableFuture<Long> pid = IpcProcess.supply(() -> ProcessHandle.current().pid());
        final CompletableFuture<String> greeting = IpcProcess.supply(() -> "hello from " + IpcProcess.currentName());
        assertNotEquals(ProcessHandle.current().pid(), pid.get(BOUND_SECONDS, TimeUnit.SECONDS));
        assertTrue(greeting.get(BOUND_SECONDS, TimeUnit.SECONDS).startsWith("hello from IpcProcess-"));
        assertTrue(ProcessHandle.of(pid.get()).map(ProcessHandle::isAlive).orElse(false) == false,
            "the future completes once the child has exited");
    }

    @Test
    void shouldSupplyNullAndBigResults() throws Exception
    {
        assertNull(IpcProcess.supply(() -> null).get(BOUND_SECONDS, TimeUnit.SECONDS));
        final int size = 8 << 20;
        assertEquals(size, IpcProcess.supply(() -> new byte[size]).get(BOUND_SECONDS, TimeUnit.SECONDS).length);
    }

    @Test
    void shouldCompleteExceptionallyWithTheChildsException() throws Exception
    {
        final CompletableFuture<Object> failing = IpcProcess.supply(() ->
        {
            throw new IllegalStateException("boom in the child");
        });
        final ExecutionException failed =
            assertThrows(ExecutionException.class, () -> failing.get(BOUND_SECONDS, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, failed.getCause());
        assertEquals("boom in the child", failed.getCause().getMessage());
        assertTrue(failed.getCause().getStackTrace()[0].getClassName().contains("AsyncProcessTest"),
            "the stack trace is the child's");
    }

    @Test
    void shouldFailNamingPidAndExitCodeWhenTheChildIsKilled() throws Exception
    {
        final Pipe ready = Pipe.open();
        final Connection childEnd = ready.right();
        final CompletableFuture<String> never = IpcProcess.supply(() ->
        {
            childEnd.send(ProcessHandle.current().pid());
            Thread.sleep(120_000);
            return "too late";
        });
        childEnd.close();
        final long pid = ready.left().<Long>recv();
        assertTrue(ProcessHandle.of(pid).orElseThrow().destroyForcibly());
        final ExecutionException failed =
            assertThrows(ExecutionException.class, () -> never.get(BOUND_SECONDS, TimeUnit.SECONDS));
        final ProcessDiedException died = assertInstanceOf(ProcessDiedException.class, failed.getCause());
        assertEquals(pid, died.pid());
        assertEquals(-9, died.exitCode());
        assertTrue(died.getMessage().contains("pid=" + pid) && died.getMessage().contains("exitCode=-9"),
            died.getMessage());
        ready.left().close();
    }

    @Test
    void shouldFailWhenTheChildExitsWithoutAResult() throws Exception
    {
        final CompletableFuture<String> exits = IpcProcess.supply(() ->
        {
            System.exit(3);
            return "unreachable";
        });
        final ExecutionException failed =
            assertThrows(ExecutionException.class, () -> exits.get(BOUND_SECONDS, TimeUnit.SECONDS));
        assertEquals(3, assertInstanceOf(ProcessDiedException.class, failed.getCause()).exitCode());
    }

    @Test
    void shouldKillTheChildWhenTheFutureIsCancelled() throws Exception
    {
        final Pipe ready = Pipe.open();
        final Connection childEnd = ready.right();
        final CompletableFuture<String> cancelled = IpcProcess.supply(() ->
        {
            childEnd.send(ProcessHandle.current().pid());
            Thread.sleep(120_000);
            return "too late";
        });
        childEnd.close();
        final long pid = ready.left().<Long>recv();
        assertTrue(cancelled.cancel(true));
        assertThrows(CancellationException.class, cancelled::join);
        final ProcessHandle child = ProcessHandle.of(pid).orElse(null);
        if (null != child)
        {
            child.onExit().get(BOUND_SECONDS, TimeUnit.SECONDS);
        }
        ready.left().close();
    }

    @Test
    void shouldRefuseATaskThatCannotBeSerialised()
    {
        final Object notSerializable = new Object();
        assertThrows(IllegalArgumentException.class, () -> IpcProcess.supply(() -> notSerializable.hashCode()));
    }

    private static void blockAfterSaying(final Connection out) throws Exception
    {
        out.send("ready");
        Thread.sleep(120_000);
    }
}
