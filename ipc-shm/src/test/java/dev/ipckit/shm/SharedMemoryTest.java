package dev.ipckit.shm;

import dev.ipckit.IpcException;
import dev.ipckit.RuntimeDirectory;
import dev.ipckit.support.ChildJvm;
import dev.ipckit.support.InChild;
import dev.ipckit.support.RuntimeDirectoryClean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
@ExtendWith({ RuntimeDirectoryClean.class, ChildJvm.Reaper.class })
class SharedMemoryTest
{
    private static final String NAME = "shared-memory-test";

    @AfterEach
    void unlink() throws Exception
    {
        Files.deleteIfExists(RuntimeDirectory.path().resolve(NAME));
    }

    @Test
    void shouldShareNamedMemoryWithAChildThatAttachesByName() throws Exception
    {
        try (SharedMemory shm = SharedMemory.create(NAME, 4096))
        {
            assertEquals(NAME, shm.name());
            assertEquals(4096, shm.size());
            assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(RuntimeDirectory.path().resolve(NAME))));
            shm.buffer().putLongVolatile(0, 41);
            final ChildJvm child = ChildJvm.start(IncrementByName.class, NAME);
            assertTrue(child.join(Duration.ofSeconds(30)));
            assertEquals(0, child.exitCode());
            assertEquals(42, shm.buffer().getLongVolatile(8));
            shm.unlink();
            shm.unlink();
            assertFalse(Files.exists(RuntimeDirectory.path().resolve(NAME)));
            assertEquals(42, shm.buffer().getLongVolatile(8), "memory stays mapped until closed");
        }
    }

    @Test
    void shouldTravelAsItsName() throws Exception
    {
        try (SharedMemory shm = SharedMemory.create(NAME, 64))
        {
            final ChildJvm child = ChildJvm.start(PutSeven.class, ChildJvm.handle(shm));
            assertTrue(child.join(Duration.ofSeconds(30)));
            assertEquals(0, child.exitCode());
            assertEquals(7, shm.buffer().getIntVolatile(0));
            shm.unlink();
        }
    }

    @Test
    void shouldRefuseDuplicatesMissingNamesBadNamesAndBadSizes()
    {
        try (SharedMemory shm = SharedMemory.create(NAME, 16))
        {
            final IpcException exists = assertThrows(IpcException.class, () -> SharedMemory.create(NAME, 16));
            assertTrue(exists.getMessage().contains("exists already"), exists.getMessage());
            shm.unlink();
        }
        final IpcException missing = assertThrows(IpcException.class, () -> SharedMemory.attach("no-such-block"));
        assertTrue(missing.getMessage().contains("no shared memory name=no-such-block"), missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.create("../escape", 16));
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.create(".hidden", 16));
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.attach("a/b"));
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.create(NAME, 0));
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.create(NAME, -1));
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.create(NAME, 1L << 40));
    }

    @Test
    void shouldRefuseUseAfterClose()
    {
        final SharedMemory shm = SharedMemory.create(NAME, 16);
        shm.close();
        shm.close();
        assertThrows(IllegalStateException.class, shm::buffer);
        shm.unlink();
    }

    /** Attaches the memory named {@code args[0]} and stores the long at 0 plus one at 8. */
    static final class IncrementByName
    {
        public static void main(final String[] args)
        {
            try (SharedMemory same = SharedMemory.attach(args[0]))
            {
                same.buffer().putLongVolatile(8, same.buffer().getLongVolatile(0) + 1);
            }
        }
    }

    /** Stores 7 at 0 of the memory whose handle is {@code args[0]}. */
    static final class PutSeven
    {
        public static void main(final String[] args) throws Exception
        {
            final SharedMemory shm = InChild.attach(args[0]);
            shm.buffer().putIntVolatile(0, 7);
        }
    }
}
