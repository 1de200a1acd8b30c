package dev.ipckit.process;

import dev.ipckit.Configuration;
import dev.ipckit.internal.ExitHooks;
import dev.ipckit.internal.PrivateDirectory;
import dev.ipckit.pipe.Connection;
import dev.ipckit.pipe.Pipe;
import dev.ipckit.queue.IpcQueue;
import dev.ipckit.shm.SharedInt;
import dev.ipckit.sync.IpcRLock;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Makes child JVMs start faster with a dynamic class-data-sharing archive (JDK CDS) of what a
 * child loads before and around its task: ipckit's classes, deserialization, lambdas, pipes. A
 * child that runs this JVM's {@code java} of release 25 or later gets the ahead-of-time cache
 * instead (JEPs 483, 514 and 515: {@code -XX:AOTCacheOutput}, then {@code -XX:AOTCache}), which also
 * holds those classes linked, the module graph, and the method profiles of the training run, so
 * that the JIT compiles a child's hot code sooner.
 * <p>
 * The archive belongs to one command line (java, flags, class path), the jars it names (their
 * sizes and times) and the registered warm-ups ({@link ChildWarmUps}), so it lives in
 * {@link ProcessConfiguration#cacheDir()} under a hash of those. The first child started with a
 * command line that has no archive yet triggers a background run of a training child
 * ({@code -XX:ArchiveClassesAtExit}, with a runtime directory of its own in the cache directory,
 * removed after it, so that nothing it makes can be left in the program's) and starts without
 * one; children started once the archive is published use it ({@code -XX:SharedArchiveFile}). The JDK checks an archive
 * before it uses it and ignores one that does not match (ipckit silences its CDS logging), but a
 * damaged one can crash the JVM at start: so the first child of a JVM that uses an archive is
 * watched until it has taken its task, and if it died before, it is started again without the
 * archive and, when that works, the archive is removed ({@link ChildLauncher}). A failed training
 * or a removed archive is remembered (a {@code .failed} file) and not retried. The cache
 * directory must belong to this user (by uid) and is kept {@code rwx------}; otherwise no archive
 * is used. A JVM that exits while its training child runs waits up to five seconds for it (once
 * per class path and machine); past that the partial archive is removed and the next JVM trains
 * again.
 * <p>
 * Only a class path of jar files can be archived; with a directory on it (an IDE, Maven's
 * surefire) nothing is done. Archives no JVM has used for 30 days are removed when a new one is
 * published.
 */
final class ClassDataSharing
{
    private static final List<String> QUIET = List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    private static final List<String> QUIET_AOT = List.of("-Xlog:cds=off", "-Xlog:aot=off");
    private static final long TRAINING_PATIENCE_SECONDS = 60;
    private static final long EXIT_PATIENCE_SECONDS = 5;
    private static final Map<List<List<String>>, Path> ARCHIVES = new ConcurrentHashMap<>();
    private static final Path NONE = Path.of("");
    private static final String ARCHIVE_FLAG = "-XX:SharedArchiveFile=";
    private static final String AOT_CACHE_FLAG = "-XX:AOTCache=";
    private static final Set<Path> PROVEN = ConcurrentHashMap.newKeySet();

    private ClassDataSharing()
    {
    }

    /**
     * @param command   a child's command line, {@code java} first.
     * @param taskClass the class whose code the child's task runs: the training run, if this
     *                  starts one, loads it too.
     * @return the command line with the archive flags when the archive exists; otherwise the
     * command line unchanged, and the archive is made in the background if it can be.
     */
    static List<String> apply(final List<String> command, final String taskClass)
    {
        if (!ProcessConfiguration.childCds())
        {
            return command;
        }
        final ChildWarmUps warmUps = ChildWarmUps.registered();
        final Path archive =
            ARCHIVES.computeIfAbsent(List.of(command, warmUps.names), key -> archiveFor(command, warmUps, taskClass));
        if (NONE == archive)
        {
            return command;
        }
        if (Files.isRegularFile(archive))
        {
            return aotCache(command) ?
                withFlags(command, AOT_CACHE_FLAG + archive, QUIET_AOT) : withFlags(command, ARCHIVE_FLAG + archive, QUIET);
        }
        return command;
    }

    /**
     * @param command a command line from {@link #apply}.
     * @return the archive it uses if no child of this JVM has started with that archive yet, else
     * {@code null}.
     */
    static Path unproven(final List<String> command)
    {
        for (final String arg : command)
        {
            final String flag = arg.startsWith(ARCHIVE_FLAG) ? ARCHIVE_FLAG : arg.startsWith(AOT_CACHE_FLAG) ? AOT_CACHE_FLAG : null;
            if (null != flag)
            {
                final Path archive = Path.of(arg.substring(flag.length()));
                return PROVEN.contains(archive) ? null : archive;
            }
        }
        return null;
    }

    /**
     * @param archive an archive a child of this JVM started with.
     */
    static void proven(final Path archive)
    {
        PROVEN.add(archive);
    }

    /**
     * Removes an archive a child failed to start with, though it starts without: it is broken.
     * The {@code .failed} mark keeps it from being made again.
     *
     * @param archive the archive.
     */
    static void discard(final Path archive)
    {
        Lazy.LOGGER.log(System.Logger.Level.WARNING, "ipckit: a child JVM failed to start with class-data-sharing " +
            "archive " + archive + " and started without it: the archive is removed");
        quietDelete(archive);
        final String name = archive.getFileName().toString();
        markFailed(archive.getParent(), name.substring("cds-".length(), name.lastIndexOf('.')));
    }

    /** Made on first use: loading the logging provider slows a child's start. */
    private static final class Lazy
    {
        static final System.Logger LOGGER = System.getLogger(ClassDataSharing.class.getName());
    }

    private static Path archiveFor(final List<String> command, final ChildWarmUps warmUps, final String taskClass)
    {
        final List<Path> jars = archivableJars(command);
        if (null == jars)
        {
            return NONE;
        }
        try
        {
            final Path dir = ProcessConfiguration.cacheDir();
            final String refused = PrivateDirectory.ensure(dir);
            if (null != refused)
            {
                Lazy.LOGGER.log(System.Logger.Level.WARNING, "ipckit: class-data-sharing cache " + dir +
                    " is not this user's, so children start without an archive: " + refused +
                    " (set -D" + ProcessConfiguration.CACHE_DIR_PROP_NAME + "=<dir> to use another)");
                return NONE;
            }
            final String key = key(command, jars, warmUps.names);
            final Path archive = dir.resolve("cds-" + key + (aotCache(command) ? ".aot" : ".jsa"));
            if (Files.isRegularFile(archive))
            {
                Files.setLastModifiedTime(archive, FileTime.from(Instant.now()));
            }
            else if (!Files.exists(dir.resolve("cds-" + key + ".failed")))
            {
                train(command, dir, key, archive, warmUps, taskClass);
            }
            return archive;
        }
        catch (final IOException | RuntimeException ex)
        {
            return NONE;
        }
    }

    /** @return the jars of the class path, or null if it holds anything else (a directory). */
    private static List<Path> archivableJars(final List<String> command)
    {
        final int cp = command.indexOf("-cp");
        if (cp < 0 || command.contains("--module-path"))
        {
            return null;
        }
        final List<Path> jars = new ArrayList<>();
        for (final String entry : command.get(cp + 1).split(File.pathSeparator))
        {
            final Path jar = Path.of(entry).toAbsolutePath();
            if (!entry.endsWith(".jar") || !Files.isRegularFile(jar) || !addManifestClassPath(jar, jars))
            {
                return null;
            }
            jars.add(jar);
        }
        return jars;
    }

    private static boolean addManifestClassPath(final Path jar, final List<Path> jars)
    {
        try (JarFile file = new JarFile(jar.toFile()))
        {
            final Manifest manifest = file.getManifest();
            final String classPath = null == manifest ? null :
                manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
            if (null != classPath && !classPath.isBlank())
            {
                for (final String entry : classPath.trim().split("\\s+"))
                {
                    final Path referenced = jar.resolveSibling(entry.replaceFirst("^file:", ""));
                    if (!entry.endsWith(".jar") || !Files.isRegularFile(referenced))
                    {
                        return false;
                    }
                    jars.add(referenced);
                }
            }
            return true;
        }
        catch (final IOException | RuntimeException ex)
        {
            return false;
        }
    }

    private static String key(final List<String> command, final List<Path> jars, final List<String> warmUps)
        throws IOException
    {
        try
        {
            final MessageDigest digest = MessageDigest.getInstance("SHA-256");
            final StringBuilder text = new StringBuilder(System.getProperty("java.vm.version")).append('\0');
            for (final String arg : command)
            {
                text.append(arg).append('\0');
            }
            for (final String warmUp : warmUps)
            {
                text.append(warmUp).append('\0');
            }
            for (final Path jar : jars)
            {
                text.append(jar).append('\0').append(Files.size(jar)).append('\0')
                    .append(Files.getLastModifiedTime(jar).toMillis()).append('\0');
            }
            final byte[] hash = digest.digest(text.toString().getBytes(StandardCharsets.UTF_8));
            final StringBuilder hex = new StringBuilder();
            for (int i = 0; i < 12; i++)
            {
                hex.append(Character.forDigit((hash[i] >> 4) & 0xF, 16)).append(Character.forDigit(hash[i] & 0xF, 16));
            }
            return hex.toString();
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 is not available in this JVM", ex);
        }
    }

    /**
     * @return whether the child runs this JVM's {@code java}, of a release with the ahead-of-time
     * cache and its one-step training ({@code -XX:AOTCacheOutput}, JDK 25).
     */
    private static boolean aotCache(final List<String> command)
    {
        return Runtime.version().feature() >= 25 &&
            Path.of(System.getProperty("java.home"), "bin", "java").toString().equals(command.get(0));
    }

    private static void train(
        final List<String> command, final Path dir, final String key, final Path archive, final ChildWarmUps warmUps,
        final String taskClass)
    {
        final Thread trainer = new Thread(() ->
        {
            final Path partial = dir.resolve("cds-" + key + "." + ProcessHandle.current().pid() + ".tmp");
            final Path runtime = dir.resolve("cds-" + key + "." + ProcessHandle.current().pid() + ".dir");
            final CountDownLatch done = new CountDownLatch(1);
            final AtomicBoolean abandoned = new AtomicBoolean();
            Process process = null;
            AutoCloseable atExit = null;
            boolean published = false;
            try
            {
                Files.createDirectory(runtime);
                final List<String> trainingCommand = aotCache(command) ?
                    withFlags(command, "-XX:AOTCacheOutput=" + partial, QUIET_AOT) :
                    withFlags(command, "-XX:ArchiveClassesAtExit=" + partial, QUIET);
                process = new ProcessBuilder(withLastFlag(trainingCommand, "-D" + Configuration.DIR_PROP_NAME + "=" + runtime))
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
                final Process training = process;
                atExit = () -> awaitOrAbandon(done, abandoned, training, partial, runtime);
                ExitHooks.register(atExit);
                try (OutputStream in = process.getOutputStream())
                {
                    final List<Task> registered = warmUps.tasks;
                    in.write(ControlBlocks.warmUpBlock(warmUps));
                    in.write(ControlBlocks.controlBlock(false, "ipckit-cds-training", "", false,
                        LambdaTasks.encode((Task)() -> exercise(registered, taskClass))));
                }
                if (process.waitFor(TRAINING_PATIENCE_SECONDS, TimeUnit.SECONDS) && 0 == process.exitValue() &&
                    Files.isRegularFile(partial) && Files.size(partial) > 0)
                {
                    Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    published = true;
                    removeUnused(dir);
                }
            }
            catch (final IOException | RuntimeException ex)
            {
                published = false;
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            finally
            {
                if (null != process)
                {
                    destroyWithDescendants(process);
                }
                quietDelete(partial);
                quietDeleteTree(runtime);
                done.countDown();
                if (null != atExit)
                {
                    ExitHooks.unregister(atExit);
                }
                if (!published && !abandoned.get())
                {
                    markFailed(dir, key);
                }
            }
        }, "ipckit-cds-training");
        trainer.setDaemon(true);
        trainer.start();
    }

    /**
     * At exit: gives the training child a few seconds, then kills it and removes its partial
     * archive; a training cut short so is not a failed one (the next JVM trains again).
     */
    private static void awaitOrAbandon(
        final CountDownLatch done, final AtomicBoolean abandoned, final Process training, final Path partial,
        final Path runtime) throws InterruptedException
    {
        if (!done.await(EXIT_PATIENCE_SECONDS, TimeUnit.SECONDS))
        {
            abandoned.set(true);
            destroyWithDescendants(training).waitFor(1, TimeUnit.SECONDS);
            quietDelete(partial);
            quietDeleteTree(runtime);
        }
    }

    /**
     * Kills a training child and what it started: a JVM writing an ahead-of-time cache at its exit
     * does so in a child JVM of its own.
     */
    private static Process destroyWithDescendants(final Process process)
    {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        return process.destroyForcibly();
    }

    private static void markFailed(final Path dir, final String key)
    {
        try
        {
            Files.write(dir.resolve("cds-" + key + ".failed"), new byte[0]);
        }
        catch (final IOException ignore)
        {
            // tried again by the next JVM
        }
    }

    /**
     * What the training child runs, so that the archive holds the classes a child's task most
     * often needs: a pipe, a shared value and its lock, a queue, each as a handle decoded as a
     * child decodes the ones its task captures, and the class of the task that caused the training
     * (loaded, not initialised). A class left out is loaded from the class path's jar, which a
     * child then opens and indexes (tens of milliseconds for a large one).
     */
    private static void exercise(final List<Task> warmUps, final String taskClass) throws Exception
    {
        try
        {
            Class.forName(taskClass, false, ClassLoader.getSystemClassLoader());
        }
        catch (final ClassNotFoundException | LinkageError ignore)
        {
            // not on the class path: the archive just does not hold it
        }
        final Pipe pipe = Pipe.open();
        try (Connection left = pipe.left(); Connection right = pipe.right())
        {
            left.send("warm");
            right.recv();
            right.sendBytes(new byte[8]);
            left.recvBytes();
        }
        try (SharedInt created = SharedInt.create(1);
            SharedInt counter = decoded(created);
            IpcQueue<Integer> createdQueue = IpcQueue.create();
            IpcQueue<Integer> queue = decoded(createdQueue))
        {
            final IpcRLock lock = counter.getLock();
            lock.lock();
            try
            {
                counter.set(counter.get() - 1);
            }
            finally
            {
                lock.unlock();
            }
            queue.put(counter.get());
            queue.get();
        }
        for (final Task warmUp : warmUps)
        {
            warmUp.run();
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T decoded(final T handle)
    {
        final byte[] bytes = ControlBlocks.TASK_CODEC.encode(handle);
        return (T)ControlBlocks.TASK_CODEC.decode(bytes, 0, bytes.length);
    }

    private static List<String> withFlags(final List<String> command, final String archiveFlag, final List<String> quiet)
    {
        final List<String> flagged = new ArrayList<>(command.size() + 3);
        flagged.add(command.get(0));
        flagged.add(archiveFlag);
        flagged.addAll(quiet);
        flagged.addAll(command.subList(1, command.size()));
        return List.copyOf(flagged);
    }

    /** @return the command line with {@code flag} last before the main class, where it overrides the others. */
    private static List<String> withLastFlag(final List<String> command, final String flag)
    {
        final List<String> flagged = new ArrayList<>(command);
        flagged.add(command.size() - 1, flag);
        return List.copyOf(flagged);
    }

    private static void removeUnused(final Path dir) throws IOException
    {
        final FileTime cutoff = FileTime.from(Instant.now().minus(30, ChronoUnit.DAYS));
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "cds-*"))
        {
            for (final Path entry : entries)
            {
                if (Files.getLastModifiedTime(entry).compareTo(cutoff) < 0)
                {
                    quietDelete(entry);
                }
            }
        }
    }

    private static void quietDeleteTree(final Path dir)
    {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir))
        {
            for (final Path entry : entries)
            {
                quietDelete(entry);
            }
        }
        catch (final IOException ignore)
        {
            // gone already, or never made
        }
        quietDelete(dir);
    }

    private static void quietDelete(final Path path)
    {
        try
        {
            Files.deleteIfExists(path);
        }
        catch (final IOException ignore)
        {
            // removed by a later run
        }
    }
}
