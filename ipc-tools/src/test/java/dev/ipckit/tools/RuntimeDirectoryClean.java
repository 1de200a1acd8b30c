package dev.ipckit.tools;

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

/** After a test class the runtime directory must be empty again (as ipc-core's tests check). */
final class RuntimeDirectoryClean implements AfterAllCallback
{
    @Override
    public void afterAll(final ExtensionContext context) throws Exception
    {
        List<String> left = listing();
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (!left.isEmpty() && System.nanoTime() - deadline < 0)
        {
            RuntimeDirectory.sweep();
            Thread.sleep(50);
            left = listing();
        }
        if (!left.isEmpty())
        {
            fail("runtime directory not clean after " + context.getDisplayName() + ": " + left);
        }
    }

    static List<String> listing() throws IOException
    {
        try (Stream<Path> files = Files.list(RuntimeDirectory.path()))
        {
            return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }
}
