package dev.ipckit.process;

import dev.ipckit.support.RuntimeDirectoryClean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Virtual threads that wait in ipckit's blocking calls leave their carrier thread free: on a JDK of
 * 21 or later (the test JVM's own, or one under {@code /usr/lib/jvm}, or the one named by the
 * system property {@code ipckit.test.vthreadJava}) a {@link PinningProbe} JVM with a single carrier
 * thread runs many waiters at once, and records JFR {@code jdk.VirtualThreadPinned} events.
 * Skipped (an assumption) when no such JDK is found.
 */
@Timeout(180)
@ExtendWith(RuntimeDirectoryClean.class)
class VirtualThreadPinningTest
{
    private static final int WAITERS = 60;
    private static final Pattern JAVA_VERSION = Pattern.compile("^JAVA_VERSION=\"(\\d+)", Pattern.MULTILINE);

    @Test
    void shouldNotPinCarrierThreadsWhileVirtualThreadsWaitInIpckitCalls() throws Exception
    {
        final String java = findJava21Plus();
        assumeTrue(null != java, "no JDK 21+ found: set ipckit.test.vthreadJava to a java of JDK 21 or later");
        final Path jfr = Files.createTempFile("ipckit-pinning", ".jfr");
        try
        {
            final List<String> command = new ArrayList<>(List.of(java,
                "--add-exports", ChildLauncher.AGRONA_EXPORT,
                "-Djdk.virtualThreadScheduler.parallelism=1",
                "-Djdk.virtualThreadScheduler.maxPoolSize=1",
                "-Djdk.tracePinnedThreads=full",
                "-D" + ProcessConfiguration.JAVA_PROP_NAME + "=" + java));
            for (final String key : System.getProperties().stringPropertyNames())
            {
                if (key.startsWith("ipckit.") && !key.equals(ProcessConfiguration.JAVA_PROP_NAME))
                {
                    command.add("-D" + key + "=" + System.getProperty(key));
                }
            }
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), PinningProbe.class.getName(),
                jfr.toString(), Integer.toString(WAITERS)));
            final Process probe = new ProcessBuilder(command).redirectErrorStream(true).start();
            final StringBuilder output = new StringBuilder();
            final Thread drain = new Thread(() ->
            {
                try
                {
                    output.append(new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                }
                catch (final IOException ignore)
                {
                    // the probe was killed: what was read is reported
                }
            });
            drain.start();
            if (!probe.waitFor(150, TimeUnit.SECONDS))
            {
                probe.destroyForcibly().waitFor();
            }
            drain.join(10_000);
            assertEquals(0, probe.exitValue(), output::toString);
            for (final String scenario : List.of("pipe recv", "queue get", "lock", "event await", "pool result"))
            {
                assertTrue(output.toString().contains("ok " + scenario), output::toString);
            }
            assertTrue(output.toString().contains("pinned=0"), output::toString);
        }
        finally
        {
            Files.deleteIfExists(jfr);
        }
    }

    private static String findJava21Plus() throws IOException
    {
        final String configured = System.getProperty("ipckit.test.vthreadJava");
        if (null != configured && !configured.isBlank())
        {
            return configured;
        }
        if (Runtime.version().feature() >= 21)
        {
            return Path.of(System.getProperty("java.home"), "bin", "java").toString();
        }
        final Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms))
        {
            return null;
        }
        try (Stream<Path> homes = Files.list(jvms))
        {
            for (final Path home : (Iterable<Path>)homes.sorted()::iterator)
            {
                final Path release = home.resolve("release");
                final Path java = home.resolve("bin").resolve("java");
                if (Files.isRegularFile(release) && Files.isExecutable(java))
                {
                    final Matcher version = JAVA_VERSION.matcher(Files.readString(release));
                    if (version.find() && Integer.parseInt(version.group(1)) >= 21)
                    {
                        return java.toString();
                    }
                }
            }
        }
        return null;
    }
}
