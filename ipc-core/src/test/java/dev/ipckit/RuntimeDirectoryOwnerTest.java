package dev.ipckit;

import dev.ipckit.support.UseRuntimeDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The runtime directory's owner is compared by uid: a uid without a passwd entry works. */
@Timeout(120)
class RuntimeDirectoryOwnerTest
{
    private static final int NAMELESS_UID = 54_321;
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

    @Test
    void shouldAcceptADirectoryOwnedByAUidWithoutAName() throws Exception
    {
        assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(SETPRIV),
            "needs root and setpriv to run a child as another uid");
        final Path dir = Path.of("/dev/shm", "ipckit-uid-test-" + ProcessHandle.current().pid());
        try
        {
            final Run created = run(dir, true);
            assertEquals(0, created.exitCode, created.output);
            assertEquals(NAMELESS_UID, Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));

            final Run reused = run(dir, true);
            assertEquals(0, reused.exitCode, reused.output);

            final Run refused = run(dir, false);
            assertEquals(1, refused.exitCode, refused.output);
            assertTrue(refused.output.contains("uid=" + NAMELESS_UID), refused.output);
        }
        finally
        {
            Files.deleteIfExists(dir);
        }
    }

    private static Run run(final Path dir, final boolean asNamelessUid) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>();
        if (asNamelessUid)
        {
            command.addAll(List.of(SETPRIV.toString(), "--reuid=" + NAMELESS_UID, "--regid=" + NAMELESS_UID,
                "--clear-groups"));
        }
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:-UsePerfData", "-Dipckit.dir=" + dir, "-cp", System.getProperty("java.class.path"),
            UseRuntimeDirectory.class.getName()));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), output);
        return new Run(process.exitValue(), output);
    }

    private record Run(int exitCode, String output)
    {
    }
}
