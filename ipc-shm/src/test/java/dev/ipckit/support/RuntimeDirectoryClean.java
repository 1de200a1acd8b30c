package dev.ipckit.support;

import dev.ipckit.RuntimeDirectory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * After a test class, the runtime directory must be empty again (children get a few seconds to
 * finish their exit); what is left fails the class and is then removed, so one leak is reported once.
 */
public final class RuntimeDirectoryClean implements AfterAllCallback
{
    @Override
    public void afterAll(final ExtensionContext context) throws Exception
    {
        final Path dir = RuntimeDirectory.path();
        List<Path> left = entries(dir);
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (!left.isEmpty() && System.nanoTime() - deadline < 0)
        {
            RuntimeDirectory.sweep();
            Thread.sleep(50);
            left = entries(dir);
        }
        if (!left.isEmpty())
        {
            for (final Path p : left)
            {
                Files.deleteIfExists(p);
            }
            fail("runtime directory not clean after " + context.getDisplayName() + ": " +
                left.stream().map(p -> p.getFileName().toString()).collect(Collectors.toList()));
        }
    }

    private static List<Path> entries(final Path dir) throws IOException
    {
        try (Stream<Path> s = Files.list(dir))
        {
            return s.collect(Collectors.toList());
        }
    }
}
