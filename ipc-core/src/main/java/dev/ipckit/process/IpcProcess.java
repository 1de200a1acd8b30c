package dev.ipckit.process;

import dev.ipckit.IpcException;
import dev.ipckit.codec.CodecException;
import dev.ipckit.internal.SentHandles;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A child JVM running one {@link Task}: Python's {@code multiprocessing.Process} with the
 * {@code spawn} start method.
 * <pre>{@code
 * IpcProcess child = IpcProcess.builder().name("worker").target(() -> System.out.println("hi")).start();
 * child.join();
 * assert child.exitCode() == 0;
 * }</pre>
 * The child is started with this JVM's {@code java}, class path and the module flags ipckit
 * needs, plus the builder's JVM arguments; it inherits standard output and standard error. The
 * serialised task reaches it over its standard input. A <em>daemon</em> child exits within 50 ms
 * of its parent's death, however the parent dies (SIGKILL included); a non-daemon child lives on.
 * A parent whose {@code main} returns waits for its non-daemon children first, as CPython does.
 * <p>
 * Starting a JVM costs tens of milliseconds before the task can run, so after each start a spare
 * JVM with the same command line is started in the background and warmed up; the next start hands
 * its task to the spare ({@link ProcessConfiguration#SPARE_JVMS_PROP_NAME}, CPython's
 * {@code forkserver} idea). A spare is not a child until it gets a task, and exits with its parent.
 * <p>
 * Exit codes follow CPython: {@code 0} when the task returned, {@code 1} when it threw (the stack
 * trace is printed to the child's standard error), {@code n} for {@code System.exit(n)}, and
 * {@code -signal} when a signal ended it ({@link #terminate()} gives {@code -15}, {@link #kill()}
 * gives {@code -9}). {@code System.exit(137)} gives 137, told from SIGKILL by the child itself
 * ({@code Runtime.halt(n)} with {@code n} in 129..192 is taken as signal {@code n - 128}).
 * <p>
 * {@link Builder#build()} makes a process that runs only once {@link #start()} is called, as
 * Python's {@code Process(...)} followed by {@code start()}; until then {@link #isAlive()} is false,
 * {@link #exitCode()} is {@code null}, and {@link #pid()}, {@link #join()}, {@link #terminate()} and
 * {@link #kill()} throw {@link IllegalStateException}. {@link #onExit()} gives a future for the exit,
 * and {@link #supply(SerializableCallable)} a child whose result comes back as a future
 * (aiomultiprocess's {@code Process} and {@code Worker}).
 * <p>
 * <b>Note:</b> all methods are thread-safe.
 */
public final class IpcProcess
{
    static final String MAIN_PROCESS_NAME = "MainProcess";
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static volatile String currentName = MAIN_PROCESS_NAME;

    private final String name;
    private final boolean daemon;
    private final List<String> jvmArgs;
    private final byte[] task;
    private final String taskClass;
    private final CompletableFuture<IpcProcess> exited = new CompletableFuture<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final SentHandles.Capture carried;
    private volatile Process process;
    private volatile ExitRecord exit;

    private IpcProcess(final String name, final boolean daemon, final List<String> jvmArgs, final byte[] task,
        final String taskClass, final SentHandles.Capture carried)
    {
        this.name = name;
        this.daemon = daemon;
        this.jvmArgs = jvmArgs;
        this.task = task;
        this.taskClass = taskClass;
        this.carried = carried;
    }

    /**
     * Starts a non-daemon child running {@code task}, named {@code IpcProcess-<n>}.
     *
     * @param task what the child runs.
     * @return the running child.
     * @throws IllegalArgumentException if the task, or something it captures, is not serializable.
     * @throws IpcException             if the child JVM cannot be started.
     */
    public static IpcProcess start(final Task task)
    {
        return builder().target(task).start();
    }

    /**
     * Runs {@code task} in a new non-daemon child and returns a future for its result: completed,
     * once the child has exited, with the value {@code task} returned, or exceptionally with the
     * exception it threw (its stack trace is the child's). A child that exits without returning a
     * result (killed, {@code System.exit}, a crash) completes it exceptionally with a
     * {@link ProcessDiedException} naming its pid and exit code. Cancelling the future kills the
     * child. aiomultiprocess's {@code Worker}.
     *
     * @param <R>  the result type.
     * @param task what the child computes.
     * @return the future result.
     * @throws IllegalArgumentException if the task, or something it captures, is not serializable.
     * @throws IpcException             if the child JVM cannot be started.
     */
    public static <R> CompletableFuture<R> supply(final SerializableCallable<R> task)
    {
        return SuppliedResult.supply(Objects.requireNonNull(task, "task"));
    }

    /**
     * @return a builder for a child process.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * @return the name of this JVM's process: the name it was started with in an ipckit child,
     * {@code "MainProcess"} otherwise.
     */
    public static String currentName()
    {
        return currentName;
    }

    static void currentName(final String name)
    {
        currentName = name;
    }

    /**
     * Starts a process made by {@link Builder#build()}. Returns once the child JVM is launched and
     * its task handed over, without waiting for the task to begin. First waits while as many
     * children of this JVM as {@link ProcessConfiguration#MAX_STARTING_PROP_NAME} says (default: one
     * per processor) are still booting: a hundred JVMs booting at once on two cores each take a
     * hundred times longer and cost about three times the CPU of one booting alone. The shared primitives the task
     * captures (queues, {@code Shared*} values, locks, events, semaphores, barriers, conditions)
     * stay alive for the child until it has attached them or died, so the caller may close its own
     * handles as soon as this returns (not before: keep them open between {@code build()} and
     * {@code start()}).
     *
     * @return this process.
     * @throws IllegalStateException if it was started before (a process starts once, as in Python).
     * @throws IpcException          if the child JVM cannot be started.
     */
    public IpcProcess start()
    {
        if (!started.compareAndSet(false, true))
        {
            throw new IllegalStateException("process " + name + " was started already: a process starts once");
        }
        final ExitRecord record = ExitRecord.create();
        final Process launched;
        try
        {
            launched = ChildLauncher.start(name, jvmArgs, record, taskClass,
                announce -> ControlBlocks.controlBlock(daemon, name, record.id(), announce, task));
        }
        catch (final RuntimeException | Error ex)
        {
            record.discard();
            exited.completeExceptionally(ex);
            throw ex;
        }
        exit = record;
        process = launched;
        ChildLauncher.track(this, launched, daemon, carried.keepAliveFor(launched.pid()))
            .whenComplete((v, failure) -> exited.complete(this));
        return this;
    }

    /**
     * A future completed with this process once its child has exited, however it ended (returned,
     * threw, killed); completed exceptionally if {@link #start()} failed. Asked before
     * {@link #start()}, it completes after the process, once started, exits. Completing or
     * cancelling the returned future does not affect the process.
     *
     * @return the future exit.
     */
    public CompletableFuture<IpcProcess> onExit()
    {
        return exited.copy();
    }

    /**
     * Waits for the child to exit and for what it left in the runtime directory (the owner links
     * made for the handles its task carried) to be removed.
     *
     * @throws InterruptedException  if the thread is interrupted while waiting.
     * @throws IllegalStateException if the process was not started.
     */
    public void join() throws InterruptedException
    {
        started().waitFor();
        awaitExited(Long.MAX_VALUE);
    }

    /**
     * Waits up to {@code timeout} for the child to exit.
     *
     * @param timeout how long to wait.
     * @return whether the child has exited.
     * @throws InterruptedException  if the thread is interrupted while waiting.
     * @throws IllegalStateException if the process was not started.
     */
    public boolean join(final Duration timeout) throws InterruptedException
    {
        final long deadline = System.nanoTime() + Math.max(0, saturatedNanos(timeout));
        return started().waitFor(Math.max(0, saturatedNanos(timeout)), TimeUnit.NANOSECONDS) &&
            awaitExited(deadline - System.nanoTime());
    }

    private boolean awaitExited(final long nanos) throws InterruptedException
    {
        try
        {
            if (Long.MAX_VALUE == nanos)
            {
                exited.get();
            }
            else
            {
                exited.get(Math.max(0, nanos), TimeUnit.NANOSECONDS);
            }
            return true;
        }
        catch (final TimeoutException ex)
        {
            return false;
        }
        catch (final ExecutionException ex)
        {
            return true;
        }
    }

    /**
     * @return whether the child is running: false before {@link #start()} and after it exited.
     */
    public boolean isAlive()
    {
        final Process running = process;
        return null != running && running.isAlive();
    }

    /**
     * Sends SIGTERM: the child JVM runs its shutdown hooks and exits; {@link #exitCode()} becomes
     * {@code -15}. A JVM that gets SIGTERM while it is still booting can fail in odd ways, so this
     * first waits (up to 10 s) until the child has taken its task. Does nothing if the child has
     * exited.
     *
     * @throws IllegalStateException if the process was not started.
     */
    public void terminate()
    {
        final Process running = started();
        ChildLauncher.awaitTaskTaken(running);
        running.destroy();
    }

    /**
     * Sends SIGKILL: the child ends at once; {@link #exitCode()} becomes {@code -9}. Does nothing
     * if the child has exited.
     *
     * @throws IllegalStateException if the process was not started.
     */
    public void kill()
    {
        started().destroyForcibly();
    }

    /**
     * @return {@code null} before {@link #start()} and while the child runs; then 0 (returned),
     * 1 (threw), {@code n} ({@code System.exit(n)}) or {@code -signal}.
     */
    public Integer exitCode()
    {
        final Process running = process;
        return null == running || running.isAlive() ? null : exit.exitCode(running.exitValue());
    }

    /**
     * @return the child's operating-system process id.
     * @throws IllegalStateException if the process was not started.
     */
    public long pid()
    {
        return started().pid();
    }

    /**
     * @return the child's name.
     */
    public String name()
    {
        return name;
    }

    /**
     * @return whether the child is a daemon (it exits when its parent does).
     */
    public boolean isDaemon()
    {
        return daemon;
    }

    @Override
    public String toString()
    {
        final Process running = process;
        if (null == running)
        {
            return "IpcProcess{name=" + name + (daemon ? ", daemon" : "") + ", initial}";
        }
        final Integer code = exitCode();
        return "IpcProcess{name=" + name + ", pid=" + running.pid() + (daemon ? ", daemon" : "") +
            (null == code ? ", started" : ", exitCode=" + code) + '}';
    }

    private Process started()
    {
        final Process running = process;
        if (null == running)
        {
            throw new IllegalStateException("process " + name + " was not started: call start() first");
        }
        return running;
    }

    private static long saturatedNanos(final Duration timeout)
    {
        try
        {
            return timeout.toNanos();
        }
        catch (final ArithmeticException ex)
        {
            return timeout.isNegative() ? 0 : Long.MAX_VALUE;
        }
    }

    /**
     * Configures and starts an {@link IpcProcess}.
     * <p>
     * <b>Note:</b> not thread-safe; each {@link #start()} starts a new child, each {@link #build()}
     * makes a new unstarted one.
     */
    public static final class Builder
    {
        private String name;
        private boolean daemon;
        private final List<String> jvmArgs = new ArrayList<>();
        private Task target;

        private Builder()
        {
        }

        /**
         * @param name the child's name, as {@link IpcProcess#currentName()} returns it there;
         *             default {@code IpcProcess-<n>}.
         * @return this builder.
         */
        public Builder name(final String name)
        {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * @param daemon true for a child that exits when its parent does; default false.
         * @return this builder.
         */
        public Builder daemon(final boolean daemon)
        {
            this.daemon = daemon;
            return this;
        }

        /**
         * @param args JVM arguments for the child, such as {@code -Xmx64m}, added after the ones
         *             ipckit sets.
         * @return this builder.
         */
        public Builder jvmArgs(final String... args)
        {
            jvmArgs.addAll(Arrays.asList(args));
            return this;
        }

        /**
         * @param args JVM arguments for the child, added after the ones ipckit sets.
         * @return this builder.
         */
        public Builder jvmArgs(final List<String> args)
        {
            jvmArgs.addAll(args);
            return this;
        }

        /**
         * @param task what the child runs.
         * @return this builder.
         */
        public Builder target(final Task task)
        {
            this.target = Objects.requireNonNull(task, "task");
            return this;
        }

        /**
         * Makes the process without starting it: {@link IpcProcess#start()} starts it later. The
         * task is serialised now, so it is what the target was at this call.
         *
         * @return the unstarted process.
         * @throws IllegalStateException    if no target was set.
         * @throws IllegalArgumentException if the task, or something it captures, is not
         *                                  serializable, or was loaded by a class loader the child
         *                                  cannot reproduce.
         */
        public IpcProcess build()
        {
            if (null == target)
            {
                throw new IllegalStateException("no target: call target(Task) before build() or start()");
            }
            ChildLauncher.checkLoadable(target);
            final byte[] task;
            final SentHandles.Capture carried = SentHandles.capture();
            try
            {
                task = LambdaTasks.encode(target);
            }
            catch (final CodecException ex)
            {
                throw new IllegalArgumentException("task cannot be sent to a child process: " + ex.getMessage(), ex);
            }
            finally
            {
                carried.close();
            }
            final String childName = null == name ? "IpcProcess-" + COUNTER.incrementAndGet() : name;
            return new IpcProcess(childName, daemon, List.copyOf(jvmArgs), task, LambdaTasks.codeClassName(target),
                carried);
        }

        /**
         * Makes and starts the child: {@code build().start()}. Returns once the child JVM is
         * launched and its task handed over, without waiting for the task to begin.
         *
         * @return the running child.
         * @throws IllegalStateException    if no target was set.
         * @throws IllegalArgumentException if the task, or something it captures, is not
         *                                  serializable, or was loaded by a class loader the child
         *                                  cannot reproduce.
         * @throws IpcException             if the child JVM cannot be started.
         */
        public IpcProcess start()
        {
            return build().start();
        }
    }
}
