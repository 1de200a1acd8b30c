package dev.ipckit;

import dev.ipckit.internal.FlightEvents;
import dev.ipckit.internal.PrivateDirectory;
import dev.ipckit.internal.ProcessIdentity;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The directory that holds every socket and mapped file of one user's ipckit processes
 * ({@link Configuration#dir()}), created {@code rwx------} on first use.
 * <p>
 * Two kinds of entry live there. A <em>named</em> resource is the user's name as it is
 * ({@code [A-Za-z0-9._-]{1,200}}, not starting with {@code .}) and stays until it is unlinked.
 * An <em>unnamed</em> resource is a group of entries {@code <kind>@<id>.<suffix>}; among them,
 * symbolic links whose target is a process token ({@link ProcessIdentity}) record which processes
 * hold the resource. A group none of whose holders is alive any more is garbage: the first ipckit
 * use in a JVM, and a parent whose child died, remove it ({@link #sweep()}), as CPython's resource
 * tracker does, and lists what it removed on the {@code dev.ipckit.RuntimeDirectory} logger at
 * {@code INFO}. Whoever creates a group writes its owner link first and removes it last.
 * <p>
 * {@link #path()} and {@link #sweep()} are for users; the other public methods are the plumbing
 * ipckit's modules create resources with, <b>internal</b>, not public API: they may change in any
 * release.
 * <p>
 * <b>Note:</b> all methods are thread-safe.
 */
public final class RuntimeDirectory
{
    private static final char[] ID_CHARS = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}");
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

    private static final Map<String, Integer> HELD = new ConcurrentHashMap<>();
    private static final Object LOCK = new Object();
    private static Path ready;
    private static boolean sweepAtStart = true;

    private RuntimeDirectory()
    {
    }

    /** Made on first use: loading the logging and security providers slows a child's start. */
    private static final class Lazy
    {
        static final System.Logger LOGGER = System.getLogger(RuntimeDirectory.class.getName());
        static final SecureRandom RANDOM = new SecureRandom();
    }

    /**
     * The runtime directory, created on first use. The first call in a JVM that is not an ipckit
     * child also removes what exited processes left there.
     *
     * @return the directory, existing, owned by this user and closed to others.
     * @throws IpcException if it cannot be created, or belongs to another user.
     */
    public static Path path()
    {
        final Path configured = Configuration.dir();
        final boolean sweep;
        synchronized (LOCK)
        {
            if (configured.equals(ready))
            {
                return configured;
            }
            create(configured);
            ready = configured;
            sweep = sweepAtStart;
        }
        if (sweep)
        {
            sweep();
        }
        return configured;
    }

    /**
     * Skips the sweep at first use in this JVM: an ipckit child leaves it to its parent, which
     * does it when a child dies, so that starting a child stays cheap.
     */
    public static void skipSweepAtStart()
    {
        synchronized (LOCK)
        {
            sweepAtStart = false;
        }
    }

    /**
     * @param name a resource name given by a user.
     * @return the name.
     * @throws IllegalArgumentException unless it matches {@code [A-Za-z0-9._-]{1,200}} and does not
     *                                  start with {@code .}.
     */
    public static String validateName(final String name)
    {
        if (null == name || !NAME.matcher(name).matches())
        {
            throw new IllegalArgumentException(
                "invalid name=" + (null == name ? "null" : '"' + name + '"') +
                ": names match [A-Za-z0-9._-]{1,200} and do not start with '.'");
        }
        return name;
    }

    /**
     * @return a fresh random id for an unnamed resource (20 characters of {@code [0-9a-z]}).
     */
    public static String newId()
    {
        final byte[] bytes = new byte[20];
        Lazy.RANDOM.nextBytes(bytes);
        final char[] id = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++)
        {
            id[i] = ID_CHARS[(bytes[i] & 0xFF) % ID_CHARS.length];
        }
        return new String(id);
    }

    /**
     * @param kind   what the resource is, e.g. {@code pipe}.
     * @param id     its id from {@link #newId()}.
     * @param suffix which entry of the group.
     * @return {@code <dir>/<kind>@<id>.<suffix>}.
     */
    public static Path groupEntry(final String kind, final String id, final String suffix)
    {
        return path().resolve(kind + '@' + id + '.' + suffix);
    }

    /**
     * Records that this process holds the group of {@code link}: an atomic create of a symbolic
     * link whose target is this process's token.
     *
     * @param link the owner link to create.
     * @throws FileAlreadyExistsException if the link exists: another process holds it.
     * @throws IOException                if the link cannot be created.
     */
    public static void claim(final Path link) throws IOException
    {
        Files.createSymbolicLink(link, Path.of(ProcessIdentity.currentToken()));
    }

    /**
     * @param link an owner link.
     * @return the token of the process the link names, or {@code null} if there is no such link.
     */
    public static String ownerOf(final Path link)
    {
        try
        {
            return Files.readSymbolicLink(link).toString();
        }
        catch (final IOException | UnsupportedOperationException ex)
        {
            return null;
        }
    }

    /**
     * Marks a group as in use by this JVM, though it may have no owner link here yet (a pipe end
     * not attached yet): this JVM's sweeps leave it alone, so that the traces of a peer that died
     * stay readable. Calls nest; each needs a {@link #release}.
     *
     * @param kind what the resource is.
     * @param id   its id.
     */
    public static void hold(final String kind, final String id)
    {
        HELD.merge(kind + '@' + id, 1, Integer::sum);
    }

    /**
     * Undoes one {@link #hold}.
     *
     * @param kind what the resource is.
     * @param id   its id.
     */
    public static void release(final String kind, final String id)
    {
        HELD.computeIfPresent(kind + '@' + id, (k, n) -> n > 1 ? n - 1 : null);
    }

    /**
     * Drops every {@link #hold} and sweeps: what this JVM still holds at its exit can no longer
     * be used by it.
     */
    public static void sweepAtExit()
    {
        HELD.clear();
        sweep();
    }

    /**
     * Makes a file readable and writable by its owner only.
     *
     * @param file a file or socket in the runtime directory.
     * @throws IOException if its permissions cannot be set.
     */
    public static void restrictToOwner(final Path file) throws IOException
    {
        try
        {
            Files.setPosixFilePermissions(file, OWNER_ONLY_FILE);
        }
        catch (final UnsupportedOperationException ignore)
        {
            // not a POSIX file system: the directory's own protection is all there is.
        }
    }

    /**
     * Removes every unnamed group whose holders have all exited and that this JVM does not
     * {@link #hold}, and says what it removed on the
     * {@code dev.ipckit.RuntimeDirectory} logger ({@code INFO}). Named resources are never touched.
     *
     * @return the entries removed.
     */
    public static List<Path> sweep()
    {
        final Path dir = path();
        final Map<String, List<Path>> groups = new HashMap<>();
        final Map<String, Boolean> live = new HashMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*@*"))
        {
            for (final Path entry : entries)
            {
                final String group = groupOf(entry.getFileName().toString());
                groups.computeIfAbsent(group, k -> new ArrayList<>()).add(entry);
                if (Files.isSymbolicLink(entry))
                {
                    live.merge(group, ProcessIdentity.isAlive(ownerOf(entry)), Boolean::logicalOr);
                }
            }
        }
        catch (final IOException ex)
        {
            Lazy.LOGGER.log(System.Logger.Level.WARNING, "ipckit: cannot list runtime directory " + dir, ex);
            return List.of();
        }

        final List<Path> removed = new ArrayList<>();
        for (final Map.Entry<String, List<Path>> group : groups.entrySet())
        {
            if (HELD.containsKey(group.getKey()))
            {
                continue;
            }
            final Boolean anyOwnerAlive = live.get(group.getKey());
            final boolean garbage = null == anyOwnerAlive ? !recentlyCreated(group.getValue()) : !anyOwnerAlive;
            if (!garbage)
            {
                continue;
            }
            final List<Path> entries = group.getValue();
            entries.sort((a, b) -> Boolean.compare(Files.isSymbolicLink(a), Files.isSymbolicLink(b)));
            for (final Path entry : entries)
            {
                try
                {
                    if (Files.deleteIfExists(entry))
                    {
                        removed.add(entry);
                    }
                }
                catch (final IOException ex)
                {
                    Lazy.LOGGER.log(System.Logger.Level.WARNING, "ipckit: cannot remove " + entry, ex);
                }
            }
        }
        if (!removed.isEmpty())
        {
            final List<String> names = removed.stream().map(p -> p.getFileName().toString()).sorted().toList();
            Lazy.LOGGER.log(System.Logger.Level.INFO,
                "ipckit: removed " + removed.size() + " entries left by exited processes in " + dir + ": " + names);
            FlightEvents.swept(dir.toString(), removed.size(), String.join(" ", names));
        }
        return removed;
    }

    /**
     * A group without owner links is either what a process left when it died half-way through
     * removing it, or one whose owner link was created while the directory was being listed.
     */
    private static boolean recentlyCreated(final List<Path> entries)
    {
        for (final Path entry : entries)
        {
            if (!Files.isSymbolicLink(entry))
            {
                try
                {
                    final long ageMillis = System.currentTimeMillis() -
                        Files.getLastModifiedTime(entry, LinkOption.NOFOLLOW_LINKS).toMillis();
                    if (ageMillis < 2_000)
                    {
                        return true;
                    }
                }
                catch (final IOException ignore)
                {
                    // gone already
                }
            }
        }
        return false;
    }

    private static String groupOf(final String fileName)
    {
        final int dot = fileName.indexOf('.', fileName.indexOf('@'));
        return dot < 0 ? fileName : fileName.substring(0, dot);
    }

    private static void create(final Path dir)
    {
        try
        {
            final String refused = PrivateDirectory.ensure(dir);
            if (null != refused)
            {
                throw new IpcException("ipckit runtime directory " + dir + " is not this user's: " + refused +
                    " (set -D" + Configuration.DIR_PROP_NAME + "=<dir> to use another)");
            }
        }
        catch (final NoSuchFileException ex)
        {
            throw new IpcException("cannot create ipckit runtime directory " + dir + ": no such parent " +
                ex.getFile() + " (set -D" + Configuration.DIR_PROP_NAME + "=<dir> to use another)", ex);
        }
        catch (final IOException ex)
        {
            throw new IpcException("cannot create ipckit runtime directory " + dir + ": " + ex +
                " (set -D" + Configuration.DIR_PROP_NAME + "=<dir> to use another)", ex);
        }
    }
}
