package dev.ipckit;

import dev.ipckit.internal.ProcessIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class RuntimeDirectoryTest
{
    @Test
    void shouldCreateTheDirectoryClosedToOthers() throws Exception
    {
        final Path dir = RuntimeDirectory.path();
        assertTrue(Files.isDirectory(dir));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals(Configuration.dir(), dir);
    }

    @ParameterizedTest
    @ValueSource(strings = { "a", "queue-1", "Value_2.tmp", "x-", "9" })
    void shouldAcceptValidNames(final String name)
    {
        assertEquals(name, RuntimeDirectory.validateName(name));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", ".hidden", "../escape", "a/b", "a b", "pipe@x", "ä", "semi;colon" })
    void shouldRejectInvalidNames(final String name)
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> RuntimeDirectory.validateName(name));
        assertTrue(ex.getMessage().contains("[A-Za-z0-9._-]{1,200}"), ex.getMessage());
    }

    @Test
    void shouldRejectNullAndOverlongNames()
    {
        assertThrows(IllegalArgumentException.class, () -> RuntimeDirectory.validateName(null));
        assertEquals(200, RuntimeDirectory.validateName("n".repeat(200)).length());
        assertThrows(IllegalArgumentException.class, () -> RuntimeDirectory.validateName("n".repeat(201)));
    }

    @Test
    void shouldMakeDistinctIds()
    {
        final String a = RuntimeDirectory.newId();
        final String b = RuntimeDirectory.newId();
        assertEquals(20, a.length());
        assertTrue(a.matches("[0-9a-z]+"));
        assertFalse(a.equals(b));
    }

    @Test
    void shouldSweepGroupsWhoseOwnersAllExitedAndNothingElse() throws Exception
    {
        final String deadToken = "2147483646:1";
        assertFalse(ProcessIdentity.isAlive(deadToken));

        final Path deadLink = RuntimeDirectory.groupEntry("test", "dead", "owner");
        final Path deadFile = RuntimeDirectory.groupEntry("test", "dead", "data");
        Files.createSymbolicLink(deadLink, Path.of(deadToken));
        Files.write(deadFile, new byte[]{ 1 });

        final Path liveLink = RuntimeDirectory.groupEntry("test", "live", "owner");
        final Path liveFile = RuntimeDirectory.groupEntry("test", "live", "data");
        final Path liveGroupDeadLink = RuntimeDirectory.groupEntry("test", "live", "other");
        RuntimeDirectory.claim(liveLink);
        Files.createSymbolicLink(liveGroupDeadLink, Path.of(deadToken));
        Files.write(liveFile, new byte[]{ 1 });

        final Path orphanOld = RuntimeDirectory.groupEntry("test", "orphan", "data");
        Files.write(orphanOld, new byte[]{ 1 });
        Files.setLastModifiedTime(orphanOld, FileTime.from(Instant.now().minusSeconds(60)));
        final Path orphanNew = RuntimeDirectory.groupEntry("test", "young", "data");
        Files.write(orphanNew, new byte[]{ 1 });

        final Path named = RuntimeDirectory.path().resolve("user-named");
        Files.write(named, new byte[]{ 1 });
        try
        {
            RuntimeDirectory.sweep();
            assertFalse(Files.exists(deadFile));
            assertFalse(Files.exists(deadLink, java.nio.file.LinkOption.NOFOLLOW_LINKS));
            assertFalse(Files.exists(orphanOld));
            assertTrue(Files.exists(liveFile), "a group with a live owner stays");
            assertTrue(Files.exists(liveGroupDeadLink, java.nio.file.LinkOption.NOFOLLOW_LINKS));
            assertTrue(Files.exists(orphanNew), "a young group without owners may be being created");
            assertTrue(Files.exists(named), "named resources are never swept");
        }
        finally
        {
            for (final Path p : new Path[]{ liveLink, liveFile, liveGroupDeadLink, orphanNew, named })
            {
                Files.deleteIfExists(p);
            }
        }
    }

    @Test
    void shouldNameThisProcessByPidAndStartTime()
    {
        final String token = ProcessIdentity.currentToken();
        assertEquals(ProcessHandle.current().pid(), ProcessIdentity.pidOf(token));
        assertTrue(ProcessIdentity.isAlive(token));
        assertFalse(ProcessIdentity.isAlive(ProcessIdentity.currentPid() + ":12345"), "same pid, other start: reused");
        assertFalse(ProcessIdentity.isAlive("garbage"));
        assertEquals(-1, ProcessIdentity.pidOf(null));
    }
}
