package dev.ipckit;

import dev.ipckit.support.UseRuntimeDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

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
        final Path readable = Files.createTempDirectory("ipckit-uid-test-cp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        try
        {
            final String classPath = readableCopy(System.getProperty("java.class.path"), readable);
            final Run created = run(dir, classPath, true);
            assertEquals(0, created.exitCode, created.output);
            assertEquals(NAMELESS_UID, Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));

            final Run reused = run(dir, classPath, true);
            assertEquals(0, reused.exitCode, reused.output);

            final Run refused = run(dir, classPath, false);
            assertEquals(1, refused.exitCode, refused.output);
            assertTrue(refused.output.contains("uid=" + NAMELESS_UID), refused.output);
        }
        finally
        {
            Files.deleteIfExists(dir);
            deleteTree(readable);
        }
    }

    /**
     * The other uid cannot read a class path under a private directory (a clone in {@code mktemp -d},
     * a local repository in root's home): copies it where every uid can.
     */
    private static String readableCopy(final String classPath, final Path into) throws IOException
    {
        final StringJoiner copied = new StringJoiner(File.pathSeparator);
        int n = 0;
        for (final String entry : classPath.split(File.pathSeparator))
        {
            final Path from = Path.of(entry);
            if (!Files.exists(from))
            {
                continue;
            }
            final Path to = into.resolve(n++ + "-" + from.getFileName());
            try (Stream<Path> tree = Files.walk(from))
            {
                for (final Path source : (Iterable<Path>)tree::iterator)
                {
                    final Path target = to.resolve(from.relativize(source).toString());
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(
                        Files.isDirectory(target) ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
            copied.add(to.toString());
        }
        return copied.toString();
    }

    private static void deleteTree(final Path root) throws IOException
    {
        try (Stream<Path> tree = Files.walk(root))
        {
            for (final Path path : (Iterable<Path>)tree.sorted(Comparator.reverseOrder())::iterator)
            {
                Files.delete(path);
            }
        }
    }

    private static Run run(final Path dir, final String classPath, final boolean asNamelessUid)
        throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>();
        if (asNamelessUid)
        {
            command.addAll(List.of(SETPRIV.toString(), "--reuid=" + NAMELESS_UID, "--regid=" + NAMELESS_UID,
                "--clear-groups"));
        }
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:-UsePerfData", "-Dipckit.dir=" + dir, "-cp", classPath,
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
