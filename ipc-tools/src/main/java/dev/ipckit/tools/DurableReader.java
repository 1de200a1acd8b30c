package dev.ipckit.tools;

import dev.ipckit.internal.ProcessIdentity;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads a durable queue ({@code ipc-durable}) that a process lists in the runtime directory: the
 * group {@code durable@<id>} names the queue's directory in its {@code <pid>-<ns>.dir} files, and
 * the queue's state file {@value #STATE_FILE} there, mapped read-only, gives its counts, locks,
 * consumers and the items each consumer got and has not marked done. Chronicle's own files are
 * only measured, never opened.
 * <p>
 * The offsets are those of {@code dev.ipckit.durable.StateDescriptor} at layout version
 * {@value #VERSION} (that class is internal to {@code ipc-durable}, which needs Chronicle Queue; the
 * inspector does not): a file with another magic, version or length is reported, not decoded.
 * <p>
 * <b>Note:</b> stateless; values are acquire loads from a live mapping, each one a writer stored.
 */
final class DurableReader
{
    /** The kind of a durable queue's group ({@code dev.ipckit.durable.RuntimeListing.KIND}). */
    static final String KIND = "durable";
    /** The ending of a group entry that holds the queue's directory. */
    static final String DIR_SUFFIX = ".dir";
    static final String STATE_FILE = "ipckit-durable.state";
    static final int MAGIC = 0x49504B44;
    static final int VERSION = 1;
    private static final int MAGIC_OFFSET = 0;
    private static final int VERSION_OFFSET = 4;
    private static final int APPEND_LOCK_OFFSET = 64;
    private static final int CONSUME_LOCK_OFFSET = 128;
    private static final int PUT_COUNT_OFFSET = 192;
    private static final int DONE_COUNT_OFFSET = 256;
    private static final int READ_COUNT_OFFSET = 264;
    private static final int ORPHANS_OFFSET = 280;
    private static final int INTENT_PENDING_OFFSET = 320;
    private static final int CONSUMERS_OFFSET = 512;
    private static final int MAX_CONSUMERS = 1024;
    private static final int CLAIMS_OFFSET = CONSUMERS_OFFSET + MAX_CONSUMERS * 8 + 128;
    private static final int MAX_CLAIMS = 65536;
    private static final int CLAIM_LENGTH = 32;
    private static final long CLAIM_ORPHAN = -1;
    private static final int FILE_LENGTH = CLAIMS_OFFSET + MAX_CLAIMS * CLAIM_LENGTH;

    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private DurableReader()
    {
    }

    /**
     * Fills {@code entry} from the queue its group names.
     *
     * @param dirFiles the group's {@code .dir} entries.
     * @param entry    what to fill: directory, size (Chronicle's files), state, consumers, or a problem.
     */
    static void read(final List<Path> dirFiles, final Entry entry)
    {
        final Path dir = directory(dirFiles);
        if (null == dir)
        {
            entry.problem = "no readable .dir entry: the queue is being opened or closed";
            return;
        }
        entry.state.put("directory", dir.toString());
        final Path file = dir.resolve(STATE_FILE);
        final ByteBuffer map;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            if (channel.size() != FILE_LENGTH)
            {
                entry.problem = "not a durable queue's state: " + file + " size=" + channel.size() +
                    ", expected size=" + FILE_LENGTH;
                return;
            }
            map = channel.map(FileChannel.MapMode.READ_ONLY, 0, FILE_LENGTH).order(ByteOrder.nativeOrder());
            entry.size = logBytes(dir);
        }
        catch (final IOException ex)
        {
            entry.problem = "cannot read " + file + ": " + ex;
            return;
        }
        final int magic = (int)INT.getAcquire(map, MAGIC_OFFSET);
        final int version = (int)INT.getAcquire(map, VERSION_OFFSET);
        if (MAGIC != magic)
        {
            entry.problem = 0 == magic ? "state not ready: its creator is still writing it, or died doing so" :
                "not a durable queue's state: magic=0x" + Integer.toHexString(magic);
            return;
        }
        if (VERSION != version)
        {
            entry.problem = "state layout version=" + version + ", this inspector reads version=" + VERSION;
            return;
        }
        decode(map, entry);
    }

    private static void decode(final ByteBuffer map, final Entry entry)
    {
        final long put = readLong(map, PUT_COUNT_OFFSET);
        final long done = readLong(map, DONE_COUNT_OFFSET);
        final long read = readLong(map, READ_COUNT_OFFSET);
        final long orphans = readLong(map, ORPHANS_OFFSET);
        entry.state.put("items", Math.max(0, put - read + orphans));
        entry.state.put("unfinished", Math.max(0, put - done));
        entry.state.put("put", put);
        entry.state.put("done", done);
        entry.state.put("toRedeliver", orphans);
        lockOwner(map, APPEND_LOCK_OFFSET, "appendLockOwner", entry);
        lockOwner(map, CONSUME_LOCK_OFFSET, "consumeLockOwner", entry);
        entry.state.put("changeInProgress", 0 != readLong(map, INTENT_PENDING_OFFSET));

        final Map<Long, Long> claims = new HashMap<>();
        for (int slot = 0; slot < MAX_CLAIMS; slot++)
        {
            final long owner = readLong(map, CLAIMS_OFFSET + slot * CLAIM_LENGTH);
            if (0 != owner && CLAIM_ORPHAN != owner)
            {
                claims.merge(owner, 1L, Long::sum);
            }
        }
        int consumers = 0;
        for (int slot = 0; slot < MAX_CONSUMERS; slot++)
        {
            final long token = readLong(map, CONSUMERS_OFFSET + slot * 8);
            if (0 != token)
            {
                consumers++;
                final Map<String, Object> row = new LinkedHashMap<>();
                row.put("pid", ProcessIdentity.pidOfToken(token));
                row.put("alive", ProcessIdentity.isAliveToken(token));
                row.put("getsNotDone", claims.getOrDefault(token, 0L));
                entry.slots.add(row);
            }
        }
        entry.state.put("consumers", consumers);
    }

    private static void lockOwner(final ByteBuffer map, final int offset, final String key, final Entry entry)
    {
        final long token = readLong(map, offset);
        entry.state.put(key, 0 == token ? null : ProcessIdentity.pidOfToken(token));
        entry.state.put(key + "Alive", 0 == token ? null : ProcessIdentity.isAliveToken(token));
    }

    private static Path directory(final List<Path> dirFiles)
    {
        for (final Path file : dirFiles)
        {
            try
            {
                final String text = Files.readString(file, StandardCharsets.UTF_8);
                if (!text.isEmpty())
                {
                    return Path.of(text);
                }
            }
            catch (final IOException ex)
            {
                // removed while listed (its process closed the queue): another holder's may do.
            }
        }
        return null;
    }

    private static long logBytes(final Path dir) throws IOException
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files.filter(Files::isRegularFile).mapToLong(DurableReader::sizeOf).sum();
        }
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

    private static long readLong(final ByteBuffer map, final int offset)
    {
        return (long)LONG.getAcquire(map, offset);
    }
}
