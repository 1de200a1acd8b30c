package dev.ipckit.examples;

import dev.ipckit.internal.ProcessIdentity;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * One run of {@code java -jar ipc-examples.jar <args>} as a separate process, bounded: its pid, its
 * exit code, and its standard output and error read to the end (which comes once its children have
 * exited too, as they inherit both).
 */
record JarRun(String command, long pid, int exitCode, List<String> stdout, List<String> stderr)
{
    static final Path JAR = Path.of(System.getProperty("ipckit.examples.jar", "target/ipc-examples.jar"));
    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    /**
     * What a demo must not exceed on a loaded 2-core machine (one start of a JVM there can take
     * seconds); demos that start a hundred children get {@link #HUNDRED_CHILDREN_BOUND}.
     */
    static final Duration BOUND = Duration.ofSeconds(90);
    static final Duration HUNDRED_CHILDREN_BOUND = Duration.ofSeconds(240);
    private static final Duration CLEANUP_GRACE = Duration.ofSeconds(5);
    private static final Path SHM = Path.of("/dev/shm");
    /** The tests' runtime directory, which the jar is given, so that others' runs meanwhile do not count. */
    private static final String RUNTIME_DIR = System.getProperty("ipckit.dir");

    /**
     * Runs the jar, kills it and its children if it takes longer than {@link #BOUND}, and fails
     * if it leaves anything in an ipckit runtime directory.
     */
    static JarRun run(final String java, final String... args) throws Exception
    {
        return run(List.of(), java, args);
    }

    /**
     * As {@link #run(String, String...)}, with JVM flags before {@code -jar}.
     */
    static JarRun run(final List<String> jvmFlags, final String java, final String... args) throws Exception
    {
        return run(BOUND, jvmFlags, java, args);
    }

    /**
     * As {@link #run(List, String, String...)}, within {@code bound}.
     */
    static JarRun run(final Duration bound, final List<String> jvmFlags, final String java, final String... args)
        throws Exception
    {
        final List<String> command = new ArrayList<>(List.of(java));
        if (null != RUNTIME_DIR)
        {
            command.add("-Dipckit.dir=" + RUNTIME_DIR);
        }
        command.addAll(jvmFlags);
        if (null != RUNTIME_DIR)
        {
            command.add("-Dipckit.dir=" + RUNTIME_DIR);
        }
        command.addAll(List.of("-jar", JAR.toString()));
        command.addAll(List.of(args));
        final Set<Path> before = runtimeEntries();
        final ProcessBuilder builder = new ProcessBuilder(command);
        // the demos print Chinese text from the tutorials: read as UTF-8, so print as UTF-8
        builder.environment().put("LC_ALL", "C.UTF-8");
        final Process process = builder.start();
        process.getOutputStream().close();
        final List<String> stdout = new ArrayList<>();
        final List<String> stderr = new ArrayList<>();
        final Thread outReader = drain(process.getInputStream(), stdout);
        final Thread errReader = drain(process.getErrorStream(), stderr);

        final long deadline = System.nanoTime() + bound.toNanos();
        final Set<ProcessHandle> family = new HashSet<>();
        while (process.isAlive() && System.nanoTime() - deadline < 0)
        {
            process.descendants().forEach(family::add);
            process.waitFor(20, TimeUnit.MILLISECONDS);
        }
        outReader.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        errReader.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        final String description = String.join(" ", command);
        if (process.isAlive() || outReader.isAlive() || errReader.isAlive())
        {
            process.descendants().forEach(family::add);
            family.forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            fail("not done within " + bound + " (killed): " + description +
                "\nstdout: " + snapshot(stdout) + "\nstderr: " + snapshot(stderr));
        }

        final JarRun run = new JarRun(
            description, process.pid(), process.exitValue(), List.copyOf(stdout), withoutSweepLog(stderr));
        run.assertLeftNothingSince(before);
        return run;
    }

    @Override
    public String toString()
    {
        return command + "\npid: " + pid + ", exit code: " + exitCode + "\nstdout:\n" + String.join("\n", stdout) +
            "\nstderr:\n" + String.join("\n", stderr);
    }

    private void assertLeftNothingSince(final Set<Path> before) throws IOException, InterruptedException
    {
        final long deadline = System.nanoTime() + CLEANUP_GRACE.toNanos();
        Set<Path> left = unheldEntriesSince(before);
        while (!left.isEmpty() && System.nanoTime() - deadline < 0)
        {
            Thread.sleep(50);
            left = unheldEntriesSince(before);
        }
        if (!left.isEmpty())
        {
            fail("left in the runtime directory: " + left + "\nby " + this);
        }
    }

    /**
     * Entries made since {@code before} that no live process holds: entries of other ipckit users
     * running meanwhile are held by their owners.
     */
    private static Set<Path> unheldEntriesSince(final Set<Path> before) throws IOException
    {
        final Set<Path> now = runtimeEntries();
        final Set<String> heldGroups = new HashSet<>();
        for (final Path entry : now)
        {
            if (Files.isSymbolicLink(entry) && ProcessIdentity.isAlive(ownerOf(entry)))
            {
                heldGroups.add(groupOf(entry));
            }
        }
        final Set<Path> left = new TreeSet<>();
        for (final Path entry : now)
        {
            if (!before.contains(entry) && !heldGroups.contains(groupOf(entry)))
            {
                left.add(entry);
            }
        }
        return left;
    }

    private static Set<Path> runtimeEntries() throws IOException
    {
        final Set<Path> entries = new HashSet<>();
        if (null != RUNTIME_DIR)
        {
            addEntries(Path.of(RUNTIME_DIR), entries);
            return entries;
        }
        if (!Files.isDirectory(SHM))
        {
            return entries;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(SHM, "ipckit-*"))
        {
            for (final Path dir : dirs)
            {
                addEntries(dir, entries);
            }
        }
        return entries;
    }

    private static void addEntries(final Path dir, final Set<Path> entries) throws IOException
    {
        if (Files.isDirectory(dir) && Files.isReadable(dir))
        {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir))
            {
                files.forEach(entries::add);
            }
        }
    }

    /**
     * Drops what the runtime directory's sweep says (at INFO, two lines in the JDK's console
     * format) when a demo removes what an earlier killed process left: the demo's own output is
     * the rest.
     */
    private static List<String> withoutSweepLog(final List<String> stderr)
    {
        final List<String> kept = new ArrayList<>();
        for (int i = 0; i < stderr.size(); i++)
        {
            final String line = stderr.get(i);
            if (line.endsWith("dev.ipckit.RuntimeDirectory sweep") && i + 1 < stderr.size() &&
                stderr.get(i + 1).startsWith("INFO: ipckit: removed "))
            {
                i++;
            }
            else
            {
                kept.add(line);
            }
        }
        return List.copyOf(kept);
    }

    private static String ownerOf(final Path link)
    {
        try
        {
            return Files.readSymbolicLink(link).toString();
        }
        catch (final IOException ex)
        {
            return null;
        }
    }

    private static String groupOf(final Path entry)
    {
        final String name = entry.getFileName().toString();
        final int dot = name.indexOf('.', name.indexOf('@'));
        return entry.getParent().resolve(dot < 0 ? name : name.substring(0, dot)).toString();
    }

    private static Thread drain(final InputStream in, final List<String> lines)
    {
        final Thread reader = new Thread(() ->
        {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)))
            {
                for (String line = r.readLine(); null != line; line = r.readLine())
                {
                    synchronized (lines)
                    {
                        lines.add(line);
                    }
                }
            }
            catch (final IOException ignore)
            {
                // the process was killed
            }
        }, "jar-run-reader");
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    private static List<String> snapshot(final List<String> lines)
    {
        synchronized (lines)
        {
            return List.copyOf(lines);
        }
    }
}
