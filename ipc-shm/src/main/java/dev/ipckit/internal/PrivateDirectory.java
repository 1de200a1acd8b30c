package dev.ipckit.internal;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * A directory only this process's user may use ({@code rwx------}): the runtime directory, the
 * class-data-sharing cache. Ownership is compared by numeric uid ({@code unix:uid}), so a user
 * without a name (an arbitrary uid without a passwd entry, as OpenShift runs containers) works.
 * <p>
 * <b>Note:</b> internal to ipckit; all methods are thread-safe.
 */
public final class PrivateDirectory
{
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    /** Owned by the process's effective uid (the link {@code /proc/self} itself is root's). */
    private static final Path SELF = Path.of("/proc/self");

    private PrivateDirectory()
    {
    }

    /**
     * Creates {@code dir} (and its parents) if it is missing, then checks it.
     *
     * @param dir the directory.
     * @return {@code null} if it is a directory owned by this process's user, now {@code rwx------};
     * otherwise why it may not be used, as {@code key=value} facts.
     * @throws IOException if it cannot be created or read.
     */
    public static String ensure(final Path dir) throws IOException
    {
        try
        {
            if (null != dir.getParent())
            {
                Files.createDirectories(dir.getParent());
            }
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        }
        catch (final FileAlreadyExistsException ignore)
        {
            // made earlier: checked below
        }
        catch (final UnsupportedOperationException ex)
        {
            Files.createDirectories(dir);
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS))
        {
            return "not a directory: " + dir;
        }
        final String foreign = foreignOwner(dir);
        if (null != foreign)
        {
            return foreign;
        }
        try
        {
            if (!Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS).equals(OWNER_ONLY))
            {
                Files.setPosixFilePermissions(dir, EnumSet.copyOf(OWNER_ONLY));
            }
        }
        catch (final UnsupportedOperationException ignore)
        {
            // not a POSIX file system
        }
        return null;
    }

    /**
     * @param path a file or directory.
     * @return {@code null} if this process's user owns it, else who does, as {@code key=value}
     * facts: by uid where the file system and {@code /proc} tell it, else by user name.
     * @throws IOException if its owner cannot be read.
     */
    public static String foreignOwner(final Path path) throws IOException
    {
        final Integer uid = uid(path, LinkOption.NOFOLLOW_LINKS);
        final Integer self = Files.isDirectory(SELF) ? uid(SELF) : null;
        if (null != uid && null != self)
        {
            return uid.equals(self) ? null : "owner uid=" + uid + ", this process's uid=" + self;
        }
        final String owner = Files.getOwner(path, LinkOption.NOFOLLOW_LINKS).getName();
        final String user = System.getProperty("user.name");
        return null == user || owner.equals(user) ? null : "owner=" + owner + ", user=" + user;
    }

    private static Integer uid(final Path path, final LinkOption... options) throws IOException
    {
        try
        {
            return (Integer)Files.getAttribute(path, "unix:uid", options);
        }
        catch (final UnsupportedOperationException | IllegalArgumentException ex)
        {
            return null;
        }
    }
}
