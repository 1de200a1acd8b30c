package dev.ipckit.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tokens name a process by boot, pid namespace, pid and start time; real processes, live and dead. */
@Timeout(60)
class ProcessIdentityTest
{
    @Test
    void shouldNameThisProcessWithItsNamespaceAndBoot() throws Exception
    {
        final String[] fields = ProcessIdentity.currentToken().split(":");
        assertEquals(4, fields.length, ProcessIdentity.currentToken());
        assertEquals(Long.toString(ProcessIdentity.currentPid()), fields[0]);
        final String namespace = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
        assertEquals("pid:[" + fields[2] + "]", namespace);
        assertEquals(Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim(), fields[3]);
        assertEquals(ProcessIdentity.currentPid(), ProcessIdentity.pidOfToken(ProcessIdentity.currentLongToken()));
        assertTrue(ProcessIdentity.isAliveToken(ProcessIdentity.currentLongToken()));
        assertTrue(ProcessIdentity.isAlive(ProcessIdentity.currentToken()));
    }

    @Test
    void shouldTakeAProcessOfAnotherPidNamespaceForAliveAndOneOfAnotherBootForDead() throws Exception
    {
        final Process process = new ProcessBuilder("sleep", "30").start();
        try
        {
            final long live = ProcessIdentity.longTokenOf(process.pid());
            assertTrue(ProcessIdentity.isAliveToken(live));
            assertEquals(process.pid(), ProcessIdentity.pidOfToken(live));
            assertFalse(ProcessIdentity.isAliveToken(live ^ 1L << ProcessIdentity.BOOT_SHIFT),
                "a token of another boot names a process that is gone");
            process.destroyForcibly();
            process.waitFor();
            assertFalse(ProcessIdentity.isAliveToken(live));
            assertTrue(ProcessIdentity.isAliveToken(live ^ 1L << ProcessIdentity.NAMESPACE_SHIFT),
                "a token of another pid namespace cannot be checked here, so it counts as alive");
            assertTrue(ProcessIdentity.isAliveToken(live ^ 1L << ProcessIdentity.NAMESPACE_SHIFT |
                ProcessIdentity.RECLAIMING_BIT));

            final String[] own = ProcessIdentity.currentToken().split(":");
            final String dead = process.pid() + ":" + own[1];
            assertFalse(ProcessIdentity.isAlive(dead + ":" + own[2] + ":" + own[3]));
            assertTrue(ProcessIdentity.isAlive(dead + ":1:" + own[3]), "another namespace: never swept");
            assertFalse(ProcessIdentity.isAlive(own[0] + ":" + own[1] + ":" + own[2] + ":another-boot"));
            assertFalse(ProcessIdentity.isAlive(dead), "the older form is checked in this namespace");
        }
        finally
        {
            process.destroyForcibly();
        }
    }
}
