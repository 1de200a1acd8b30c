package dev.ipckit.tools;

import dev.ipckit.RuntimeDirectory;
import dev.ipckit.internal.ProcessIdentity;
import dev.ipckit.queue.QueueDescriptor;
import dev.ipckit.sync.PermitCounterDescriptor;
import dev.ipckit.sync.SyncDescriptor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Lists the objects in a runtime directory: each unnamed group {@code <kind>@<id>.*} (its owner
 * links name the processes that hold it) and each named entry. Nothing is created, changed or
 * removed; the directory is not even created when it does not exist.
 * <p>
 * <b>Note:</b> stateless; entries may come and go while it lists, and such an entry is skipped.
 */
final class Inventory
{
    /** The kind of a manager's group in the runtime directory ({@code dev.ipckit.manager.Manager}). */
    static final String MANAGER_KIND = "manager";

    private Inventory()
    {
    }

    /**
     * @param dir the runtime directory.
     * @return its objects, sorted by kind then name; empty if the directory does not exist.
     * @throws IOException if the directory cannot be listed.
     */
    static List<Entry> read(final Path dir) throws IOException
    {
        final Map<String, List<Path>> groups = new TreeMap<>();
        final List<Path> named = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir))
        {
            files.forEach(file ->
            {
                final String fileName = file.getFileName().toString();
                final int at = fileName.indexOf('@');
                final int dot = at < 0 ? -1 : fileName.indexOf('.', at);
                if (dot > 0)
                {
                    groups.computeIfAbsent(fileName.substring(0, dot), g -> new ArrayList<>()).add(file);
                }
                else if (!fileName.startsWith("."))
                {
                    named.add(file);
                }
            });
        }
        catch (final NoSuchFileException ex)
        {
            return List.of();
        }
        final List<Entry> entries = new ArrayList<>();
        groups.forEach((group, files) -> entries.add(group(group, files)));
        named.forEach(file -> entries.add(named(file)));
        entries.sort((a, b) -> a.kind.equals(b.kind) ? a.name.compareTo(b.name) : a.kind.compareTo(b.kind));
        return entries;
    }

    private static Entry group(final String group, final List<Path> files)
    {
        final int at = group.indexOf('@');
        final String rawKind = group.substring(0, at);
        final Entry entry = new Entry(kindName(rawKind), group.substring(at + 1), group);
        Path data = null;
        Path socket = null;
        int spills = 0;
        long spillBytes = 0;
        final List<String> pipeEnds = new ArrayList<>();
        final List<Path> queueDirs = new ArrayList<>();
        for (final Path file : files)
        {
            final String suffix = file.getFileName().toString().substring(group.length() + 1);
            if (Files.isSymbolicLink(file))
            {
                final String token = RuntimeDirectory.ownerOf(file);
                final long pid = ProcessIdentity.pidOf(token);
                if (pid > 0)
                {
                    entry.addHolder(pid, ProcessIdentity.isAlive(token));
                    if ("pipe".equals(rawKind))
                    {
                        pipeEnds.add(suffix);
                    }
                }
            }
            else if ("data".equals(suffix))
            {
                data = file;
            }
            else if ("sock".equals(suffix))
            {
                socket = file;
            }
            else if (suffix.endsWith(DurableReader.DIR_SUFFIX))
            {
                queueDirs.add(file);
            }
            else if (suffix.startsWith("spill-"))
            {
                spills++;
                spillBytes += sizeOf(file);
            }
        }
        if ("pipe".equals(rawKind))
        {
            entry.state.put("ends", pipeEnds.size());
            entry.state.put("waitingForPeer", null != socket && pipeEnds.size() < 2);
        }
        else if (MANAGER_KIND.equals(rawKind))
        {
            manager(entry, socket);
        }
        else if (DurableReader.KIND.equals(rawKind))
        {
            DurableReader.read(queueDirs, entry);
        }
        else if (null != data)
        {
            RegionReader.read(rawKind, data, entry);
        }
        else if (!"shm-new".equals(rawKind) && !"exit".equals(rawKind))
        {
            entry.problem = "no data file";
        }
        if (spills > 0)
        {
            entry.state.put("spillFiles", spills);
            entry.state.put("spillBytes", spillBytes);
        }
        if (entry.abandoned())
        {
            entry.state.put("abandoned", true);
        }
        return entry;
    }

    private static void manager(final Entry entry, final Path socket)
    {
        entry.state.put("address", null == socket ? null : socket.toString());
        final Entry.Holder owner = entry.holders.isEmpty() ? null : entry.holders.get(0);
        entry.state.put("ownerPid", null == owner ? null : owner.pid);
        entry.state.put("ownerAlive", null != owner && owner.alive);
        if (null == socket)
        {
            entry.problem = "no socket: the server is starting, or stopped half-way";
        }
    }

    private static Entry named(final Path file)
    {
        final BasicFileAttributes attributes;
        try
        {
            attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        }
        catch (final IOException ex)
        {
            final Entry gone = new Entry("unknown", file.getFileName().toString(), file.getFileName().toString());
            gone.problem = "cannot read: " + ex;
            return gone;
        }
        final String kind = attributes.isRegularFile() ? "shared-memory" : attributes.isOther() ? "socket" : "unknown";
        final Entry entry = new Entry(kind, file.getFileName().toString(), file.getFileName().toString());
        entry.size = attributes.size();
        if ("unknown".equals(kind))
        {
            entry.problem = "not a file or socket ipckit makes";
        }
        return entry;
    }

    private static String kindName(final String rawKind)
    {
        return switch (rawKind)
        {
            case QueueDescriptor.KIND -> "queue";
            case PermitCounterDescriptor.SEMAPHORE_KIND, PermitCounterDescriptor.BOUNDED_SEMAPHORE_KIND -> "semaphore";
            case SyncDescriptor.LOCK_KIND -> "lock";
            case SyncDescriptor.RLOCK_KIND -> "rlock";
            case SyncDescriptor.CONDITION_KIND -> "condition";
            case "int", "long", "double" -> "value";
            case "ints", "longs", "doubles", "bytes" -> "array";
            case "shm-new" -> "shared-memory";
            case DurableReader.KIND -> "durable-queue";
            default -> rawKind;
        };
    }

    private static long sizeOf(final Path file)
    {
        try
        {
            return Files.size(file);
        }
        catch (final IOException ex)
        {
            return 0;
        }
    }
}
