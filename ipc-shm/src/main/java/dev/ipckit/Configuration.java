package dev.ipckit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The configuration every layer shares: where ipckit keeps its sockets and mapped files, and when an
 * attach is slow enough to record. Each layer
 * above keeps its own tunables in a configuration of its own, as Aeron does
 * ({@code dev.ipckit.codec.CodecConfiguration}, {@code dev.ipckit.pipe.PipeConfiguration},
 * {@code dev.ipckit.process.ProcessConfiguration}); each is a system property name and its default,
 * read when the object that uses it is created, so a property set before that takes effect.
 * <p>
 * <b>Note:</b> thread-safe (stateless).
 */
public final class Configuration
{
    /** Directory that holds every socket and mapped file ipckit creates. */
    public static final String DIR_PROP_NAME = "ipckit.dir";
    /** An attach of a shared region that takes this long or longer is a JFR {@code dev.ipckit.SlowAttach} event. */
    public static final String SLOW_ATTACH_PROP_NAME = "ipckit.slowAttachMicros";
    /** Default of {@value #SLOW_ATTACH_PROP_NAME}: 10 ms. */
    public static final long SLOW_ATTACH_DEFAULT_MICROS = 10_000;

    private Configuration()
    {
    }

    /**
     * @return the runtime directory: {@value #DIR_PROP_NAME} if set, else
     * {@code /dev/shm/ipckit-<user>}, or {@code <java.io.tmpdir>/ipckit-<user>} without
     * {@code /dev/shm}.
     */
    public static Path dir()
    {
        final String configured = System.getProperty(DIR_PROP_NAME);
        if (null != configured && !configured.isEmpty())
        {
            return Path.of(configured).toAbsolutePath();
        }

        final String leaf = "ipckit-" + System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        final Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) ? shm.resolve(leaf) : Path.of(System.getProperty("java.io.tmpdir")).resolve(leaf);
    }
}
