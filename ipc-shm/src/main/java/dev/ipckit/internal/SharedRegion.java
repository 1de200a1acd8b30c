package dev.ipckit.internal;

import dev.ipckit.IpcException;
import dev.ipckit.RuntimeDirectory;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * An unnamed block of shared memory behind a primitive (a value, an array, a lock): the file
 * {@code <kind>@<id>.data} in the runtime directory, held by every process that attached it. Each
 * such process has an owner link {@code <kind>@<id>.<pid>-<pid namespace>} (processes of two
 * containers may share a pid); the last process to close its region removes the file, and
 * {@link RuntimeDirectory#sweep()} removes it when every holder died.
 * <p>
 * Layout of the file:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |              Magic "IPKR" (written last: ready)               |
 *  +---------------------------------------------------------------+
 *  |                        Layout version                         |
 *  +---------------------------------------------------------------+
 *  |                     Kind (hash of its name)                   |
 *  +---------------------------------------------------------------+
 *  |                        Payload length                         |
 *  +---------------------------------------------------------------+
 *  |                     Reserved, up to byte 64                  ...
 *  +---------------------------------------------------------------+
 *  |                  Payload (64-byte aligned) ...               ...
 *  +---------------------------------------------------------------+
 * </pre>
 * A process that attaches while the creator is still writing the header waits (up to 5 s) for the
 * magic number, which the creator stores last with a volatile write.
 * <p>
 * Within a JVM, every handle of one region shares one mapping, counted. Closing the last handle
 * detaches the process (owner link, and the file if it was the last holder) but leaves the memory
 * mapped until the garbage collector unmaps it, so that a thread still using a closed handle reads
 * stale but valid memory instead of crashing the JVM.
 * <p>
 * <b>Note:</b> internal to ipckit; thread-safe. A handle must not be used after {@link #close()}.
 */
public final class SharedRegion implements AutoCloseable
{
    /** Where the payload starts in the file. */
    public static final int HEADER_LENGTH = RegionDescriptor.HEADER_LENGTH;
    static final int MAGIC = RegionDescriptor.MAGIC;
    static final int VERSION = RegionDescriptor.VERSION;
    private static final int MAGIC_OFFSET = RegionDescriptor.MAGIC_OFFSET;
    private static final int VERSION_OFFSET = RegionDescriptor.VERSION_OFFSET;
    private static final int KIND_OFFSET = RegionDescriptor.KIND_OFFSET;
    private static final int LENGTH_OFFSET = RegionDescriptor.LENGTH_OFFSET;
    private static final long READY_PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final Map<String, Mapping> MAPPINGS = new ConcurrentHashMap<>();

    private final Mapping mapping;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SharedRegion(final Mapping mapping)
    {
        this.mapping = mapping;
    }

    /**
     * Creates a region and attaches it.
     *
     * @param kind          what it is, e.g. {@code lock}; part of the file name.
     * @param payloadLength bytes of payload, zero-filled.
     * @return the region.
     * @throws IpcException if it cannot be created (no room, no Agrona access).
     */
    public static SharedRegion create(final String kind, final int payloadLength)
    {
        AgronaAccess.check();
        if (payloadLength < 0)
        {
            throw new IllegalArgumentException("payload length must not be negative, length=" + payloadLength);
        }
        final String id = RuntimeDirectory.newId();
        final String group = kind + '@' + id;
        final Path ownerLink = ownerLink(group);
        final Path data = dataFile(group);
        try
        {
            RuntimeDirectory.claim(ownerLink);
            final MappedByteBuffer mapped;
            try
            {
                mapped = MappedFiles.create(data, HEADER_LENGTH + (long)align(payloadLength));
            }
            catch (final IOException | RuntimeException ex)
            {
                Files.deleteIfExists(ownerLink);
                throw ex;
            }
            final UnsafeBuffer whole = new UnsafeBuffer(mapped);
            whole.putInt(VERSION_OFFSET, VERSION);
            whole.putInt(KIND_OFFSET, RegionDescriptor.kindHash(kind));
            whole.putInt(LENGTH_OFFSET, payloadLength);
            whole.putIntVolatile(MAGIC_OFFSET, MAGIC);
            final Mapping mapping = new Mapping(kind, id, mapped, payloadLength);
            MAPPINGS.put(group, mapping);
            ExitHooks.register(mapping);
            return new SharedRegion(mapping);
        }
        catch (final IOException ex)
        {
            throw new IpcException("cannot create shared " + kind + " in " + data.getParent() + ": " + ex, ex);
        }
    }

    /**
     * Attaches a region that a process created.
     *
     * @param kind what it is.
     * @param id   its id.
     * @return the region.
     * @throws IpcException if it no longer exists, or is not of this kind.
     */
    public static SharedRegion attach(final String kind, final String id)
    {
        AgronaAccess.check();
        final long start = System.nanoTime();
        final String group = kind + '@' + id;
        while (true)
        {
            final Mapping existing = MAPPINGS.get(group);
            if (null != existing)
            {
                if (existing.retain())
                {
                    FlightEvents.attached(group, start);
                    return new SharedRegion(existing);
                }
                MAPPINGS.remove(group, existing);
                continue;
            }
            final Mapping mapping = map(kind, id);
            if (null == MAPPINGS.putIfAbsent(group, mapping))
            {
                ExitHooks.register(mapping);
                FlightEvents.attached(group, start);
                return new SharedRegion(mapping);
            }
        }
    }

    private static Mapping map(final String kind, final String id)
    {
        final String group = kind + '@' + id;
        final Path ownerLink = ownerLink(group);
        boolean claimed = false;
        try
        {
            try
            {
                RuntimeDirectory.claim(ownerLink);
                claimed = true;
            }
            catch (final FileAlreadyExistsException ex)
            {
                if (!ProcessIdentity.currentToken().equals(RuntimeDirectory.ownerOf(ownerLink)))
                {
                    Files.deleteIfExists(ownerLink);
                    RuntimeDirectory.claim(ownerLink);
                }
                claimed = true;
            }
            final MappedByteBuffer mapped = MappedFiles.map(dataFile(group));
            final UnsafeBuffer whole = new UnsafeBuffer(mapped);
            awaitReady(whole, group);
            if (whole.getInt(KIND_OFFSET) != RegionDescriptor.kindHash(kind) || whole.getInt(VERSION_OFFSET) != VERSION)
            {
                MappedFiles.unmap(mapped);
                throw new IpcException("shared " + group + " has another layout: version=" +
                    whole.getInt(VERSION_OFFSET) + ", expected version=" + VERSION);
            }
            return new Mapping(kind, id, mapped, whole.getInt(LENGTH_OFFSET));
        }
        catch (final NoSuchFileException ex)
        {
            quietDelete(claimed ? ownerLink : null);
            throw new IpcException("shared " + kind + " " + id + " no longer exists: every process that held it " +
                "has closed it or exited; a handle sent in a queue item or a pipe message needs the sender's " +
                "handle open until the receiver has attached it (file=" + dataFile(group) + ")", ex);
        }
        catch (final IOException ex)
        {
            quietDelete(claimed ? ownerLink : null);
            throw new IpcException("cannot attach shared " + kind + " " + id + ": " + ex, ex);
        }
        catch (final RuntimeException ex)
        {
            quietDelete(claimed ? ownerLink : null);
            throw ex;
        }
    }

    /**
     * Gives a process an owner link in a group that exists: the process then counts as a holder
     * until it has attached the group (and taken the link over) and let it go, or has died.
     *
     * @param group {@code <kind>@<id>}.
     * @param pid   the process.
     * @param token its token.
     * @return whether the group exists and the process now has a link in it.
     */
    static boolean keepAlive(final String group, final long pid, final String token)
    {
        if (!Files.exists(dataFile(group)))
        {
            return false;
        }
        final Path link = ownerLink(group, pid);
        try
        {
            while (true)
            {
                try
                {
                    Files.createSymbolicLink(link, Path.of(token));
                    return true;
                }
                catch (final FileAlreadyExistsException ex)
                {
                    final String owner = RuntimeDirectory.ownerOf(link);
                    if (token.equals(owner))
                    {
                        return true;
                    }
                    if (ProcessIdentity.isAlive(owner))
                    {
                        return false;
                    }
                    Files.deleteIfExists(link);
                }
            }
        }
        catch (final IOException ex)
        {
            throw new IpcException("cannot keep shared " + group + " alive for pid=" + pid + ": " + ex, ex);
        }
    }

    private static void awaitReady(final UnsafeBuffer whole, final String group)
    {
        final long deadline = System.nanoTime() + READY_PATIENCE_NANOS;
        while (whole.getIntVolatile(MAGIC_OFFSET) != MAGIC)
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new IpcException("shared " + group + " is not ready after 5 s: its creator died while " +
                    "making it, or it is not an ipckit region (magic=0x" +
                    Integer.toHexString(whole.getIntVolatile(MAGIC_OFFSET)) + ")");
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
        }
    }

    /**
     * @return the region's kind.
     */
    public String kind()
    {
        return mapping.kind;
    }

    /**
     * @return the region's id, which {@link #attach} takes.
     */
    public String id()
    {
        return mapping.id;
    }

    /**
     * @return the payload, as an atomic buffer indexed from 0.
     */
    public AtomicBuffer payload()
    {
        return mapping.payload;
    }

    /**
     * @return the payload's length in bytes.
     */
    public int payloadLength()
    {
        return mapping.payloadLength;
    }

    /**
     * Removes the owner links of processes that attached this region and died without closing it.
     *
     * @return their pids; each dead process is reported once.
     */
    public List<Long> removeDeadHolders()
    {
        final List<Long> dead = new ArrayList<>();
        try (DirectoryStream<Path> links = Files.newDirectoryStream(RuntimeDirectory.path(), mapping.group() + ".*"))
        {
            for (final Path link : links)
            {
                if (Files.isSymbolicLink(link))
                {
                    final String owner = RuntimeDirectory.ownerOf(link);
                    if (null != owner && !ProcessIdentity.isAlive(owner) && Files.deleteIfExists(link))
                    {
                        dead.add(ProcessIdentity.pidOf(owner));
                    }
                }
            }
        }
        catch (final IOException ignore)
        {
            // nothing known to be dead
        }
        return dead;
    }

    /**
     * Detaches this handle; idempotent. The last handle in this JVM removes this process's owner
     * link; the last process removes the file.
     */
    @Override
    public void close()
    {
        if (closed.compareAndSet(false, true))
        {
            mapping.release(false);
        }
    }

    @Override
    public String toString()
    {
        return "SharedRegion{" + mapping.group() + (closed.get() ? ", closed" : "") + '}';
    }

    static int align(final int length)
    {
        return (length + 63) & ~63;
    }

    private static Path ownerLink(final String group)
    {
        return ownerLink(group, ProcessIdentity.currentPid());
    }

    /** The owner link of a process of this pid namespace (a child is in its parent's). */
    private static Path ownerLink(final String group, final long pid)
    {
        return RuntimeDirectory.path().resolve(group + '.' + pid + '-' + ProcessIdentity.currentPidNamespace());
    }

    private static Path dataFile(final String group)
    {
        return RuntimeDirectory.path().resolve(group + ".data");
    }

    private static void quietDelete(final Path path)
    {
        if (null != path)
        {
            try
            {
                Files.deleteIfExists(path);
            }
            catch (final IOException ignore)
            {
                // swept later
            }
        }
    }

    /** One JVM's mapping of a region, shared by its handles, counted. */
    private static final class Mapping implements AutoCloseable
    {
        final String kind;
        final String id;
        final UnsafeBuffer payload;
        final int payloadLength;
        private int handles = 1;

        Mapping(final String kind, final String id, final MappedByteBuffer mapped, final int payloadLength)
        {
            this.kind = kind;
            this.id = id;
            this.payloadLength = payloadLength;
            this.payload = new UnsafeBuffer(mapped, HEADER_LENGTH, payloadLength);
        }

        String group()
        {
            return kind + '@' + id;
        }

        synchronized boolean retain()
        {
            if (0 == handles)
            {
                return false;
            }
            handles++;
            return true;
        }

        void release(final boolean all)
        {
            synchronized (this)
            {
                if (0 == handles)
                {
                    return;
                }
                handles = all ? 0 : handles - 1;
                if (handles > 0)
                {
                    return;
                }
            }
            MAPPINGS.remove(group(), this);
            ExitHooks.unregister(this);
            detach();
        }

        /**
         * Removes this process's owner link, then the group's files (the data, and any other file
         * the primitive keeps with it, such as a queue's spill files) if no live process holds
         * it any more. The link goes first: of several holders letting go at once, the last to
         * look finds no live link and removes the files, where looking first would let each see
         * the others and none remove them.
         */
        private void detach()
        {
            final Path dir = RuntimeDirectory.path();
            quietDelete(ownerLink(group()));
            final List<Path> deadLinks = new ArrayList<>();
            final List<Path> files = new ArrayList<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, group() + ".*"))
            {
                for (final Path entry : entries)
                {
                    if (!Files.isSymbolicLink(entry))
                    {
                        files.add(entry);
                    }
                    else if (ProcessIdentity.isAlive(RuntimeDirectory.ownerOf(entry)))
                    {
                        return;
                    }
                    else
                    {
                        deadLinks.add(entry);
                    }
                }
            }
            catch (final IOException ignore)
            {
                return;
            }
            files.forEach(SharedRegion::quietDelete);
            deadLinks.forEach(SharedRegion::quietDelete);
        }

        @Override
        public void close()
        {
            release(true);
        }

        @Override
        public String toString()
        {
            return "shared " + group();
        }
    }
}
