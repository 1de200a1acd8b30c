package dev.ipckit.support;

import dev.ipckit.internal.AgronaAccess;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.ObjectOutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A child JVM for ipc-shm's tests, which cannot use ipc-core's {@code IpcProcess}: {@code java}
 * with this JVM's class path, Agrona's export, the {@code ipckit.*} system properties (the runtime
 * directory) and this JVM's {@code --add-opens}/{@code --add-exports}, running a test {@code main}
 * with string arguments. A shared object reaches the child as an argument made by {@link #handle}:
 * its {@code Handle} (kind, region name, offset), serialised as ipc-core's codec sends it; the
 * child attaches it with {@link InChild#attach}.
 * <p>
 * The child's standard output is read line by line for handshakes ({@link #readLine}), its standard
 * input takes lines ({@link #send}) and ends when the child is closed, its standard error goes to
 * this JVM's. Register {@link Reaper} so that a failed test leaves no child behind.
 * <p>
 * <b>Note:</b> test support; one thread drives a child.
 */
public final class ChildJvm implements AutoCloseable
{
    private static final Duration LINE_BOUND = Duration.ofSeconds(30);
    /** Queued after the child's last line. */
    private static final String EOF = "\0eof";
    private static final Set<ChildJvm> RUNNING = ConcurrentHashMap.newKeySet();

    private final String main;
    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private ChildJvm(final String main, final Process process)
    {
        this.main = main;
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        final Thread reader = new Thread(this::readStdout, "child-stdout-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code main} in a new JVM.
     *
     * @param main a class of the test tree with a {@code main(String[])}.
     * @param args its arguments.
     * @return the running child.
     * @throws IOException if {@code java} cannot be started.
     */
    public static ChildJvm start(final Class<?> main, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--add-exports");
        command.add(AgronaAccess.EXPORT);
        command.add("-XX:-UsePerfData");
        for (final String arg : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if ((arg.startsWith("--add-opens") || arg.startsWith("--add-exports")) &&
                !arg.equals("--add-exports=" + AgronaAccess.EXPORT))
            {
                command.add(arg);
            }
        }
        for (final String key : System.getProperties().stringPropertyNames())
        {
            if (key.startsWith("ipckit."))
            {
                command.add("-D" + key + "=" + System.getProperty(key));
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        final ChildJvm child = new ChildJvm(main.getSimpleName(), process);
        RUNNING.add(child);
        return child;
    }

    /**
     * @param shared a shared primitive (lock, value, memory...).
     * @return its handle as a child's argument, for {@link InChild#attach}.
     */
    public static String handle(final Object shared)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes))
        {
            out.writeObject(shared);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    /** @return the child's pid. */
    public long pid()
    {
        return process.pid();
    }

    /** @return the child's process. */
    public Process process()
    {
        return process;
    }

    /**
     * @param bound how long to wait.
     * @return whether the child exited within the bound.
     */
    public boolean join(final Duration bound) throws InterruptedException
    {
        return process.waitFor(bound.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * @return the exit code of a child that has exited ({@code 128 + signal} if a signal ended it).
     * @throws IllegalThreadStateException if it runs.
     */
    public int exitCode()
    {
        return process.exitValue();
    }

    /** Kills the child with SIGKILL, as {@code kill -9} does; {@link #join} to wait for its end. */
    public void kill()
    {
        process.destroyForcibly();
    }

    /**
     * @return the next line the child printed, waiting up to 30 s.
     * @throws AssertionError if there is none within 30 s, or the child ended first.
     */
    public String readLine() throws InterruptedException
    {
        final String line = lines.poll(LINE_BOUND.toNanos(), TimeUnit.NANOSECONDS);
        if (null == line || EOF.equals(line))
        {
            if (null != line)
            {
                lines.add(EOF);
            }
            fail(main + " (pid=" + process.pid() + ") printed no line within " + LINE_BOUND +
                (process.isAlive() ? "" : "; it exited with " + process.exitValue()));
        }
        return line;
    }

    /**
     * @param line a line for the child's standard input ({@link InChild#hear}).
     */
    public void send(final String line) throws IOException
    {
        stdin.write(line);
        stdin.write('\n');
        stdin.flush();
    }

    /** Kills the child if it still runs and waits (bounded) until it has gone; keeps an interrupt pending. */
    @Override
    public void close()
    {
        RUNNING.remove(this);
        try
        {
            stdin.close();
        }
        catch (final IOException ignore)
        {
            // the child has gone: its end of the pipe is closed
        }
        if (process.isAlive())
        {
            process.destroyForcibly();
        }
        try
        {
            process.waitFor(LINE_BOUND.toNanos(), TimeUnit.NANOSECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString()
    {
        return "ChildJvm{" + main + ", pid=" + process.pid() + '}';
    }

    private void readStdout()
    {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while (null != (line = out.readLine()))
            {
                lines.add(line);
            }
        }
        catch (final IOException ignore)
        {
            // the stream was closed: the child has gone
        }
        lines.add(EOF);
    }

    /** After each test, kills (SIGKILL) and waits for the children it left running. */
    public static final class Reaper implements AfterEachCallback
    {
        @Override
        public void afterEach(final ExtensionContext context)
        {
            for (final ChildJvm child : List.copyOf(RUNNING))
            {
                child.close();
            }
        }
    }
}
