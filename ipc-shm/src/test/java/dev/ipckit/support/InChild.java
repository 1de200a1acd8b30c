package dev.ipckit.support;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.ObjectInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * What a test {@code main} started by {@link ChildJvm} uses: the shared objects its arguments name,
 * and lines to and from the test.
 * <p>
 * <b>Note:</b> test support; for the child's main thread.
 */
public final class InChild
{
    private static final BufferedReader STDIN =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));

    private InChild()
    {
    }

    /**
     * @param handle an argument made by {@link ChildJvm#handle}.
     * @param <T>    what it names.
     * @return the shared object it names, attached in this JVM.
     * @throws dev.ipckit.IpcException if it no longer exists or cannot be attached.
     */
    @SuppressWarnings("unchecked")
    public static <T> T attach(final String handle) throws IOException, ClassNotFoundException
    {
        final byte[] bytes = Base64.getDecoder().decode(handle);
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes)))
        {
            return (T)in.readObject();
        }
    }

    /**
     * @param line for the test's {@link ChildJvm#readLine}.
     */
    public static void tell(final Object line)
    {
        System.out.println(line);
        System.out.flush();
    }

    /**
     * @return the next line the test sent ({@link ChildJvm#send}), or null once the test closed the
     *         child or died.
     */
    public static String hear() throws IOException
    {
        return STDIN.readLine();
    }

    /** Blocks until the test closes the child or dies; a child that holds something until killed waits here. */
    public static void holdUntilKilled() throws IOException
    {
        String line;
        do
        {
            line = hear();
        }
        while (null != line);
    }
}
