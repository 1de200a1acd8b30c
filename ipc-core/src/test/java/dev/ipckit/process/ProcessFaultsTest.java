package dev.ipckit.process;

import dev.ipckit.IpcException;
import dev.ipckit.pipe.Connection;
import dev.ipckit.pipe.Pipe;
import dev.ipckit.support.RuntimeDirectoryClean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Exit codes told from signals; a pool whose reader thread fails keeps serving. */
@Timeout(120)
@ExtendWith(RuntimeDirectoryClean.class)
class ProcessFaultsTest
{
    private static final Duration BOUND = Duration.ofSeconds(30);

    @Test
    void shouldTellSystemExitAboveOneHundredTwentyEightFromASignal() throws Exception
    {
        for (final int status : new int[] { 129, 137, 143, 192 })
        {
            final IpcProcess child = IpcProcess.start(() -> System.exit(status));
            assertTrue(child.join(BOUND));
            assertEquals(status, child.exitCode(), "System.exit(" + status + ")");
        }

        final Pipe ready = Pipe.open();
        final IpcProcess killed = IpcProcess.start(() ->
        {
            try (Connection out = ready.right())
            {
                out.send("ready");
            }
            Thread.sleep(120_000);
        });
        ready.right().close();
        assertEquals("ready", ready.left().recv());
        new ProcessBuilder("kill", "-9", Long.toString(killed.pid())).inheritIO().start().waitFor();
        assertTrue(killed.join(BOUND));
        assertEquals(-9, killed.exitCode());
        ready.left().close();

        final Pipe ready2 = Pipe.open();
        final IpcProcess terminated = IpcProcess.start(() ->
        {
            try (Connection out = ready2.right())
            {
                out.send("ready");
            }
            Thread.sleep(120_000);
        });
        ready2.right().close();
        assertEquals("ready", ready2.left().recv());
        terminated.terminate();
        assertTrue(terminated.join(BOUND));
        assertEquals(-15, terminated.exitCode());
        ready2.left().close();
    }

    @Test
    void shouldFailTheTaskWhoseResultOverflowsTheReadersHeapAndKeepServing() throws Exception
    {
        final IpcProcess parent = IpcProcess.builder().jvmArgs("-Xmx48m").target(() ->
        {
            try (ProcessPool pool = ProcessPool.builder().processes(1).jvmArgs("-Xmx512m").build())
            {
                try
                {
                    pool.apply(() -> new byte[150 << 20]);
                    System.exit(3);
                }
                catch (final TaskFailedException expected)
                {
                    if (!(expected.getCause() instanceof IpcException) ||
                        !(expected.getCause().getCause() instanceof OutOfMemoryError))
                    {
                        expected.printStackTrace();
                        System.exit(4);
                    }
                }
                System.exit(42 == pool.apply(() -> 42) ? 0 : 5);
            }
        }).start();
        assertTrue(parent.join(Duration.ofSeconds(90)));
        assertEquals(0, parent.exitCode());
    }
}
