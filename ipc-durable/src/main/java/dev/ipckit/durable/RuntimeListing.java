package dev.ipckit.durable;

import dev.ipckit.RuntimeDirectory;
import dev.ipckit.internal.ProcessIdentity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Lists an open durable queue in the runtime directory, so that the inspector ({@code ipckit ls})
 * finds it though its files live elsewhere: a group {@value #KIND}{@code @<id>} whose id is a hash
 * of the queue's directory (every process of one queue shares the group), holding per process an
 * owner link and a file {@code <pid>-<ns>.dir} with the directory's path. Whoever opens writes its
 * owner link first and removes it last; what a killed process left is swept with the group once
 * no holder lives.
 * <p>
 * Listing is best-effort: a queue whose listing cannot be written still works, unlisted (logged at
 * {@code DEBUG}).
 * <p>
 * <b>Note:</b> one per {@link DurableEngine}; {@link #close()} is idempotent and thread-safe.
 */
final class RuntimeListing implements AutoCloseable
{
    /** The kind of the group, as the inspector reads it. */
    static final String KIND = "durable";
    /** The suffix of the file that holds the queue's directory (after {@code <pid>-<ns>}). */
    static final String DIR_SUFFIX = ".dir";
    private static final System.Logger LOGGER = System.getLogger(RuntimeListing.class.getName());
    private static final char[] ID_CHARS = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

    private final Path ownerLink;
    private final Path dirFile;
    private boolean closed;

    private RuntimeListing(final Path ownerLink, final Path dirFile)
    {
        this.ownerLink = ownerLink;
        this.dirFile = dirFile;
    }

    /**
     * @param dir the queue's directory, absolute and normalised.
     * @return the listing, or null if it could not be written.
     */
    static RuntimeListing of(final Path dir)
    {
        final String holder = ProcessIdentity.currentPid() + "-" + ProcessIdentity.currentPidNamespace();
        final String id = idOf(dir);
        final Path ownerLink = RuntimeDirectory.groupEntry(KIND, id, holder);
        final Path dirFile = RuntimeDirectory.groupEntry(KIND, id, holder + DIR_SUFFIX);
        try
        {
            try
            {
                RuntimeDirectory.claim(ownerLink);
            }
            catch (final FileAlreadyExistsException ex)
            {
                Files.deleteIfExists(ownerLink);
                RuntimeDirectory.claim(ownerLink);
            }
            final Path partial = RuntimeDirectory.groupEntry(KIND, id, holder + ".partial");
            Files.write(partial, dir.toString().getBytes(StandardCharsets.UTF_8));
            Files.move(partial, dirFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return new RuntimeListing(ownerLink, dirFile);
        }
        catch (final IOException | RuntimeException ex)
        {
            LOGGER.log(System.Logger.Level.DEBUG, "ipckit: durable queue " + dir + " not listed in the runtime " +
                "directory (the inspector will not show it): " + ex);
            quietDelete(dirFile);
            quietDelete(ownerLink);
            return null;
        }
    }

    /** Removes this process's entries: the directory file, then the owner link. */
    @Override
    public synchronized void close()
    {
        if (!closed)
        {
            closed = true;
            quietDelete(dirFile);
            quietDelete(ownerLink);
        }
    }

    /** @return 20 characters of {@code [0-9a-z]} from the SHA-256 of the directory's path. */
    static String idOf(final Path dir)
    {
        try
        {
            final byte[] hash = MessageDigest.getInstance("SHA-256").digest(dir.toString().getBytes(StandardCharsets.UTF_8));
            final char[] id = new char[20];
            for (int i = 0; i < id.length; i++)
            {
                id[i] = ID_CHARS[(hash[i] & 0xFF) % ID_CHARS.length];
            }
            return new String(id);
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("every JDK has SHA-256", ex);
        }
    }

    private static void quietDelete(final Path file)
    {
        try
        {
            Files.deleteIfExists(file);
        }
        catch (final IOException ex)
        {
            LOGGER.log(System.Logger.Level.DEBUG, "ipckit: cannot remove " + file + " (a sweep will, once this " +
                "process has exited)", ex);
        }
    }
}
