package dev.ipckit.manager;

import dev.ipckit.IpcException;
import dev.ipckit.pipe.Connection;
import dev.ipckit.pipe.Pipe;
import dev.ipckit.process.IpcProcess;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;

/**
 * A server process holding ordinary Java objects that other processes use through proxies:
 * CPython's {@code multiprocessing.Manager()} and {@code BaseManager}.
 * <pre>{@code
 * try (Manager m = Manager.start()) {
 *     Map<String, Integer> d = m.dict(Map.of("count", 100));
 *     Lock lock = m.lock();
 *     IpcProcess child = IpcProcess.start(() -> { lock.lock(); try { d.put("count", d.get("count") - 1); } finally { lock.unlock(); } });
 *     child.join();
 * }
 * }</pre>
 * Every call on a proxy runs in the server, on a thread that serves the calling thread's own
 * connection, so a blocking call ({@code queue.get()}, {@code lock.lock()}) holds up no one else,
 * and a lock belongs to the client thread that took it. Calls on the containers ({@code dict},
 * {@code list}, {@code set}, {@code namespace}, {@code value}, {@code array}) and their views run one
 * at a time per container; a registered type's object must be thread-safe itself. On a Unix socket
 * a connection's requests and replies pass through shared memory, each side spinning for
 * {@link dev.ipckit.pipe.Connection#spinNanos()} before it sleeps on the socket, so that a call
 * answered at once makes no system call; over TCP they are frames of the connection.
 * <p>
 * Proxies are {@link ManagedProxy handles}: one sent to another process (in its task, a pool job, a
 * queue item, or stored in a managed container) attaches there to the same object. An object lives
 * while some process holds a proxy to it; a process's references go when it lets go of its proxies
 * (garbage collection), closes its manager, or dies (its connections drop, {@code kill -9} included).
 * <p>
 * Failures: the managed object's own exception is rethrown by the proxy, the same class (with the
 * server's stack trace) when it is unchecked or declared by the interface method, otherwise as
 * {@link RemoteException}. A server that cannot be reached or dies during a call:
 * {@link ManagerUnavailableException}, at once; a call with a timeout that gets no reply within
 * its timeout and 10 s more gives the server up the same way. A wrong key:
 * {@link dev.ipckit.pipe.AuthenticationException}. Arguments the server's codec refuses
 * ({@code ipckit.serialFilter}): {@link dev.ipckit.codec.CodecException}.
 * <p>
 * <b>Note:</b> thread-safe; proxies may be used from any thread.
 */
public final class Manager implements AutoCloseable
{
    private static final Duration START_PATIENCE = Duration.ofSeconds(60);
    private static final Duration STOP_PATIENCE = Duration.ofSeconds(10);

    private final ManagerClient client;
    private final IpcProcess server;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Manager(final ManagerClient client, final IpcProcess server)
    {
        this.client = client;
        this.server = server;
    }

    /**
     * Starts a server in a daemon child JVM, on a Unix socket in the runtime directory (which only
     * this user can open, so there is no key): CPython's {@code Manager()}.
     *
     * @return the manager, connected.
     * @throws IpcException if the server cannot be started.
     */
    public static Manager start()
    {
        return builder().start();
    }

    /**
     * @return a builder for a server with an address, a key or registered types of its own.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * Connects to a server on a Unix socket: CPython's {@code BaseManager(address, authkey).connect()}.
     *
     * @param address the server's socket path.
     * @param authKey the server's key, or null for a server without one.
     * @return a manager that can make and use proxies; {@link #close()} lets go of this process's references.
     * @throws ManagerUnavailableException             if nothing serves at {@code address}.
     * @throws dev.ipckit.pipe.AuthenticationException if the key is wrong.
     */
    public static Manager connect(final Path address, final byte[] authKey)
    {
        return new Manager(ManagerClient.of(Endpoint.of(address), authKey), null);
    }

    /**
     * Connects to a server over TCP.
     *
     * @param address the server's host and port.
     * @param authKey the server's key.
     * @return a manager that can make and use proxies.
     * @throws ManagerUnavailableException             if nothing serves at {@code address}.
     * @throws dev.ipckit.pipe.AuthenticationException if the key is wrong.
     */
    public static Manager connect(final InetSocketAddress address, final byte[] authKey)
    {
        return new Manager(ManagerClient.of(Endpoint.of(address), Objects.requireNonNull(authKey, "authKey")), null);
    }

    /**
     * @param <K> key type.
     * @param <V> value type.
     * @return a new empty insertion-ordered map in the server: CPython's {@code m.dict()}.
     */
    public <K, V> Map<K, V> dict()
    {
        return create("dict", Map.class);
    }

    /**
     * @param initial the first entries (copied).
     * @param <K>     key type.
     * @param <V>     value type.
     * @return a new map in the server.
     */
    public <K, V> Map<K, V> dict(final Map<? extends K, ? extends V> initial)
    {
        return create("dict", Map.class, new java.util.LinkedHashMap<>(initial));
    }

    /**
     * @param <E> element type.
     * @return a new empty list in the server: CPython's {@code m.list()}.
     */
    public <E> List<E> list()
    {
        return create("list", List.class);
    }

    /**
     * @param initial the first elements (copied).
     * @param <E>     element type.
     * @return a new list in the server.
     */
    public <E> List<E> list(final Collection<? extends E> initial)
    {
        return create("list", List.class, new ArrayList<>(initial));
    }

    /**
     * @param <E> element type.
     * @return a new empty insertion-ordered set in the server.
     */
    public <E> Set<E> set()
    {
        return create("set", Set.class);
    }

    /**
     * @return a new namespace in the server: CPython's {@code m.Namespace()}.
     */
    public Namespace namespace()
    {
        return create("namespace", Namespace.class);
    }

    /**
     * @param initial the first value.
     * @param <T>     value type.
     * @return a new value in the server: CPython's {@code m.Value(typecode, v)}.
     */
    public <T> ManagedValue<T> value(final T initial)
    {
        return create("value", ManagedValue.class, initial);
    }

    /**
     * @param elements the elements (copied).
     * @param <E>      element type.
     * @return a new fixed-size list in the server: CPython's {@code m.Array(typecode, seq)};
     * {@code set} works, {@code add} and {@code remove} throw {@link UnsupportedOperationException}.
     */
    @SafeVarargs
    @SuppressWarnings("varargs")
    public final <E> List<E> array(final E... elements)
    {
        return create("array", List.class, (Object)Arrays.copyOf(elements, elements.length, Object[].class));
    }

    /**
     * @param <E> element type.
     * @return a new unbounded queue in the server: CPython's {@code m.Queue()}.
     */
    public <E> ManagedQueue<E> queue()
    {
        return queue(0);
    }

    /**
     * @param maxSize the most elements it holds; 0 for no bound.
     * @param <E>     element type.
     * @return a new queue in the server.
     * @throws IllegalArgumentException if {@code maxSize} is negative.
     */
    public <E> ManagedQueue<E> queue(final int maxSize)
    {
        checkNotNegative("maxSize", maxSize);
        return create("queue", ManagedQueue.class, maxSize);
    }

    /**
     * @param <E> element type.
     * @return a new unbounded joinable queue in the server: CPython's {@code m.JoinableQueue()}.
     */
    public <E> ManagedJoinableQueue<E> joinableQueue()
    {
        return create("joinableQueue", ManagedJoinableQueue.class, 0);
    }

    /**
     * @return a new lock in the server (not reentrant): CPython's {@code m.Lock()}.
     */
    public Lock lock()
    {
        return create("lock", Lock.class);
    }

    /**
     * @return a new reentrant lock in the server: CPython's {@code m.RLock()}.
     */
    public Lock rlock()
    {
        return create("rlock", Lock.class);
    }

    /**
     * @param permits the permits it starts with.
     * @return a new semaphore in the server: CPython's {@code m.Semaphore(n)}.
     * @throws IllegalArgumentException if {@code permits} is negative.
     */
    public ManagedSemaphore semaphore(final int permits)
    {
        checkNotNegative("permits", permits);
        return create("semaphore", ManagedSemaphore.class, permits);
    }

    /**
     * @return a new event in the server: CPython's {@code m.Event()}.
     */
    public ManagedEvent event()
    {
        return create("event", ManagedEvent.class);
    }

    /**
     * @return a new condition with a reentrant lock of its own: CPython's {@code m.Condition()}.
     */
    public ManagedCondition condition()
    {
        return create("condition", ManagedCondition.class);
    }

    /**
     * @param parties how many threads each round waits for.
     * @return a new barrier in the server: CPython's {@code m.Barrier(n)}.
     * @throws IllegalArgumentException if {@code parties} is below 1.
     */
    public ManagedBarrier barrier(final int parties)
    {
        if (parties < 1)
        {
            throw new IllegalArgumentException("parties must be at least 1, parties=" + parties);
        }
        return create("barrier", ManagedBarrier.class, parties);
    }

    /**
     * Creates an object of a registered type through its factory, in the server: CPython's
     * generated {@code m.typeid()}.
     *
     * @param typeId the id it was registered with.
     * @param iface  the interface it was registered with (or one it extends); only its methods are exposed.
     * @param <T>    the interface.
     * @return a proxy of the new object.
     * @throws IllegalArgumentException if no such type is registered, or with another interface.
     */
    public <T> T proxy(final String typeId, final Class<T> iface)
    {
        if (!iface.isInterface())
        {
            throw new IllegalArgumentException("iface must be an interface: " + iface.getName());
        }
        return iface.cast(client.create(typeId, iface));
    }

    /**
     * @return where the server listens: a {@link Path} or an {@link InetSocketAddress}.
     */
    public Object address()
    {
        return client.endpoint().address();
    }

    /**
     * Stops the server: every object goes, calls in flight and later calls from any process get
     * {@link ManagerUnavailableException}. Waits for a server started by this manager to exit.
     */
    public void shutdown()
    {
        try
        {
            client.control(Wire.SHUTDOWN);
        }
        catch (final ManagerUnavailableException alreadyGone)
        {
            // the server is down: the goal
        }
        client.close();
        if (null != server)
        {
            awaitExit();
        }
    }

    /**
     * A manager that started its server shuts it down; one that connected lets go of this
     * process's references and connections. Idempotent.
     */
    @Override
    public void close()
    {
        if (closed.compareAndSet(false, true))
        {
            if (null != server)
            {
                shutdown();
            }
            else
            {
                client.close();
            }
        }
    }

    /**
     * @return how many objects the server holds (for tests).
     */
    int objectCount()
    {
        return (Integer)client.control(Wire.COUNT);
    }

    /**
     * @return the server's process, or null for a manager that connected.
     */
    IpcProcess serverProcess()
    {
        return server;
    }

    @Override
    public String toString()
    {
        return "Manager{address=" + client.endpoint() + (null == server ? "" : ", serverPid=" + server.pid()) + '}';
    }

    @SuppressWarnings("unchecked")
    private <T> T create(final String typeId, final Class<?> iface, final Object... args)
    {
        return (T)client.create(typeId, iface, args);
    }

    private void awaitExit()
    {
        try
        {
            if (!server.join(STOP_PATIENCE))
            {
                server.kill();
                server.join(STOP_PATIENCE);
            }
        }
        catch (final InterruptedException ex)
        {
            server.kill();
            Thread.currentThread().interrupt();
        }
    }

    private static void checkNotNegative(final String what, final int n)
    {
        if (n < 0)
        {
            throw new IllegalArgumentException(what + " must not be negative, " + what + "=" + n);
        }
    }

    /**
     * Configures a manager: its address, key and registered types; then {@link #start()} it in a
     * child JVM or {@link #serve()} it in this one. CPython's {@code BaseManager(address, authkey)}
     * with {@code register}.
     * <p>
     * <b>Note:</b> not thread-safe.
     */
    public static final class Builder
    {
        private Endpoint endpoint;
        private byte[] authKey;
        private final List<Registration> registrations = new ArrayList<>();
        private final List<String> jvmArgs = new ArrayList<>();

        private Builder()
        {
        }

        /**
         * @param path the Unix socket to serve on (it must not exist); default: a fresh one in the runtime directory.
         * @return this builder.
         */
        public Builder address(final Path path)
        {
            this.endpoint = Endpoint.of(path);
            return this;
        }

        /**
         * @param address the TCP host and port to serve on (port 0 picks one); use a loopback
         *                address unless other machines must connect. Needs an {@link #authKey}.
         * @return this builder.
         */
        public Builder address(final InetSocketAddress address)
        {
            this.endpoint = Endpoint.of(address);
            return this;
        }

        /**
         * @param authKey the key clients must hold (copied); default: none for a Unix socket (the
         *                runtime directory and the socket are the user's alone); required for TCP.
         * @return this builder.
         * @throws IllegalArgumentException if it is empty.
         */
        public Builder authKey(final byte[] authKey)
        {
            if (0 == authKey.length)
            {
                throw new IllegalArgumentException("authKey must not be empty");
            }
            this.authKey = authKey.clone();
            return this;
        }

        /**
         * Registers a type: {@link Manager#proxy(String, Class)} with {@code typeId} creates an object
         * through {@code factory} in the server, exposing only {@code iface}'s methods.
         *
         * @param typeId  the type's id.
         * @param factory makes each object (it is sent to the server's JVM).
         * @param iface   the interface proxies implement.
         * @param <T>     the interface.
         * @return this builder.
         * @throws IllegalArgumentException if {@code iface} is not an interface.
         */
        public <T> Builder register(
            final String typeId, final SerializableSupplier<? extends T> factory, final Class<T> iface)
        {
            registrations.add(new Registration(typeId, factory, iface));
            return this;
        }

        /**
         * @param args JVM arguments for the server's child JVM (e.g. {@code -Dipckit.serialFilter=...}).
         * @return this builder.
         */
        public Builder jvmArgs(final String... args)
        {
            jvmArgs.addAll(Arrays.asList(args));
            return this;
        }

        /**
         * Starts the server in a daemon child JVM (it dies with this JVM) and connects to it.
         *
         * @return the manager.
         * @throws IllegalArgumentException if a TCP address has no key.
         * @throws IpcException             if the server cannot start (e.g. its address is in use).
         */
        public Manager start()
        {
            final byte[] key = key();
            final Pipe ready = Pipe.open();
            final IpcProcess process = IpcProcess.builder().name("ipckit-manager").daemon(true).jvmArgs(jvmArgs)
                .target(ServerTask.of(endpoint, key, registrations, ready.right())).start();
            final Endpoint bound;
            try (Connection report = ready.left())
            {
                bound = awaitReady(report, process);
            }
            catch (final RuntimeException ex)
            {
                process.kill();
                throw ex;
            }
            try
            {
                return new Manager(ManagerClient.of(bound, key), process);
            }
            catch (final RuntimeException ex)
            {
                process.kill();
                throw ex;
            }
        }

        /**
         * Serves in this JVM until a client calls {@link Manager#shutdown()}: CPython's
         * {@code get_server().serve_forever()}.
         *
         * @throws IllegalArgumentException if a TCP address has no key.
         * @throws IpcException             if the server cannot bind its address.
         */
        public void serve()
        {
            final ServerTask task = ServerTask.of(endpoint, key(), registrations, null);
            final ManagerServer server;
            try
            {
                server = task.open();
            }
            catch (final RuntimeException ex)
            {
                throw ex;
            }
            catch (final Exception ex)
            {
                throw new IpcException("cannot serve a manager at " + task.endpoint() + ": " + ex, ex);
            }
            server.serve();
        }

        private byte[] key()
        {
            if (null != authKey)
            {
                return authKey;
            }
            if (null != endpoint && endpoint.isTcp())
            {
                throw new IllegalArgumentException("a TCP manager needs an authKey: a network peer must authenticate");
            }
            return null;
        }

        private static Endpoint awaitReady(final Connection report, final IpcProcess process)
        {
            final long deadline = System.nanoTime() + START_PATIENCE.toNanos();
            try
            {
                while (!report.poll(Duration.ofMillis(100)))
                {
                    if (!process.isAlive())
                    {
                        throw new IpcException("manager server exited before it was ready: " + process);
                    }
                    if (System.nanoTime() - deadline > 0)
                    {
                        throw new IpcException("manager server not ready within " + START_PATIENCE + ": " + process);
                    }
                }
                final Object answer = report.recv();
                if (answer instanceof Throwable)
                {
                    throw new IpcException("manager server could not start: " + answer, (Throwable)answer);
                }
                return (Endpoint)answer;
            }
            catch (final IOException ex)
            {
                throw new IpcException("manager server exited before it was ready: " + process + ": " + ex, ex);
            }
        }
    }
}
