package dev.ipckit.cluster;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.cluster.Member;
import com.hazelcast.config.QueueConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.ipckit.IpcException;
import dev.ipckit.codec.Codec;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import java.util.regex.Pattern;

/**
 * A Hazelcast cluster seen from this JVM: an embedded member ({@link #builder()}) or a client
 * ({@link #connect}). It hands out the same kinds of objects as ipckit does on one machine, shared
 * by every member and client of the cluster.
 * <pre>{@code
 * try (Cluster cluster = Cluster.builder().name("jobs").authKey(key).port(5701)
 *         .members(new InetSocketAddress("10.0.0.2", 5701)).start()) {
 *     ClusterQueue<String> q = cluster.queue("work");
 *     q.put("hello");
 * }
 * }</pre>
 * Values travel encoded by ipckit's {@link Codec} (Java serialization behind its class filter), so
 * Hazelcast only ever stores and deserializes byte arrays. Everything is backed up on one other
 * member (Hazelcast's default): the death of any single member, even by SIGKILL, loses nothing
 * that was acknowledged. Hazelcast's CP subsystem (Enterprise-only since 5.5) is not used.
 * <p>
 * Members and clients authenticate with the cluster name and a shared key (see the README: the
 * open-source Hazelcast has no TLS, so run members on a trusted network). A member notices a
 * member that died after {@code hazelcast.max.no.heartbeat.seconds} (60 s by default, settable with
 * {@link Builder#property}).
 * <p>
 * Every JVM that runs a member or a client needs Hazelcast's JVM flags (listed in the README); the
 * first use of this class registers them for the child JVMs ipckit starts, and a JVM started
 * without them gets one {@link IpcException} naming them.
 * <p>
 * <b>Note:</b> thread-safe. {@link #close()} leaves the cluster (a member hands its data over to
 * the others first); the objects obtained from it stop working.
 */
public final class Cluster implements AutoCloseable
{
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}");
    private static final Map<String, Cluster> LOCAL_MEMBERS = new ConcurrentHashMap<>();
    private static final String LOCKS = "ipckit.locks";
    private static final String UNFINISHED = "ipckit.unfinished";

    private final String name;
    private final HazelcastInstance hazelcast;
    private final boolean member;
    private final Codec codec = Codec.standard();
    private final AtomicBoolean closed = new AtomicBoolean();

    private Cluster(final String name, final HazelcastInstance hazelcast, final boolean member)
    {
        this.name = name;
        this.hazelcast = hazelcast;
        this.member = member;
    }

    /**
     * @return a builder of an embedded member.
     * @throws IpcException if this JVM lacks Hazelcast's JVM flags.
     */
    public static Builder builder()
    {
        ClusterFlags.check();
        return new Builder();
    }

    /**
     * Connects to a cluster as a client: it stores nothing and runs no tasks, and its death costs
     * the cluster nothing.
     *
     * @param name    the cluster's name.
     * @param authKey the cluster's key.
     * @param timeout how long to keep trying to reach a member.
     * @param members addresses of some of its members (one that answers is enough).
     * @return the connected client.
     * @throws IllegalArgumentException if the name is not {@code [A-Za-z0-9._-]{1,200}} or no member is given.
     * @throws IpcException             if no member accepted the connection in time (down, or a wrong
     *                                  name or key), or this JVM lacks Hazelcast's JVM flags.
     */
    public static Cluster connect(final String name, final byte[] authKey, final Duration timeout,
        final InetSocketAddress... members)
    {
        ClusterFlags.check();
        checkName(name);
        Objects.requireNonNull(authKey, "authKey");
        if (0 == members.length)
        {
            throw new IllegalArgumentException("connect needs the address of at least one member");
        }
        try
        {
            return new Cluster(name, HazelcastClient.newHazelcastClient(
                ClusterConfigs.client(name, authKey, timeout, List.of(members))), false);
        }
        catch (final IllegalStateException ex)
        {
            throw new IpcException("could not connect to cluster " + name + " at " + List.of(members) +
                " within timeout=" + timeout + " (members down, or a wrong name or key)", ex);
        }
    }

    /**
     * The member running the current task, for a task a {@link ClusterPool} runs.
     *
     * @return the member this task runs on.
     * @throws IllegalStateException if the calling thread is not running a cluster pool's task.
     */
    public static Cluster current()
    {
        final Cluster cluster = ClusterTask.current();
        if (null == cluster)
        {
            throw new IllegalStateException("Cluster.current() is only known inside a task run by a ClusterPool");
        }
        return cluster;
    }

    /**
     * @return the cluster's name.
     */
    public String name()
    {
        return name;
    }

    /**
     * @return whether this is an embedded member (not a client).
     */
    public boolean isMember()
    {
        return member;
    }

    /**
     * @return this member's address as {@code host:port}, or the client's name.
     */
    public String memberName()
    {
        return member ? describe(hazelcast.getCluster().getLocalMember()) : hazelcast.getName();
    }

    /**
     * @return the members' addresses ({@code host:port}), oldest first, as this JVM sees them now.
     */
    public List<String> members()
    {
        final List<String> names = new ArrayList<>();
        for (final Member m : hazelcast.getCluster().getMembers())
        {
            names.add(describe(m));
        }
        return names;
    }

    /**
     * @param <E>  the element type.
     * @param name the queue's name.
     * @return the cluster queue of that name, without a size limit unless one was set before.
     * @throws IllegalArgumentException if the name is not {@code [A-Za-z0-9._-]{1,200}}.
     */
    public <E> ClusterQueue<E> queue(final String name)
    {
        checkName(name);
        return new ClusterQueue<>(name, hazelcast.getQueue(name), codec);
    }

    /**
     * @param <E>     the element type.
     * @param name    the queue's name.
     * @param maxSize the most items it holds, across the cluster; 0 for no limit. Every handle of one
     *                name must give the same size.
     * @return the cluster queue of that name.
     * @throws IllegalArgumentException if the name is bad, {@code maxSize} negative, or the queue
     *                                  was configured with another size.
     */
    public <E> ClusterQueue<E> queue(final String name, final int maxSize)
    {
        configure(name, maxSize);
        return queue(name);
    }

    /**
     * @param <E>  the element type.
     * @param name the queue's name.
     * @return the joinable cluster queue of that name; its unfinished-task count is shared by the
     * whole cluster.
     * @throws IllegalArgumentException if the name is not {@code [A-Za-z0-9._-]{1,200}}.
     */
    public <E> ClusterJoinableQueue<E> joinableQueue(final String name)
    {
        checkName(name);
        return new ClusterJoinableQueue<>(name, hazelcast.getQueue(name), codec, hazelcast.getMap(UNFINISHED));
    }

    /**
     * A lock of the whole cluster, on Hazelcast's {@code IMap.lock}: held by a thread of a member or
     * client, and released by the cluster when that member or client dies. Reentrant: the holding
     * thread may lock again, and unlocks as often.
     *
     * @param name the lock's name.
     * @return the lock of that name; {@code newCondition()} is not supported.
     * @throws IllegalArgumentException if the name is not {@code [A-Za-z0-9._-]{1,200}}.
     */
    public Lock lock(final String name)
    {
        checkName(name);
        return new ClusterLock(name, hazelcast.getMap(LOCKS));
    }

    /**
     * A map shared by the cluster: Python's manager {@code dict()}. Keys and values are encoded by
     * the codec, so keys compare by their encoded bytes (strings, boxed primitives and records of
     * them work; a key whose serialized form is not stable, such as a {@code HashSet}, does not).
     *
     * @param <K>  the key type.
     * @param <V>  the value type.
     * @param name the map's name.
     * @return the map of that name; {@code null} keys and values are not allowed.
     * @throws IllegalArgumentException if the name is not {@code [A-Za-z0-9._-]{1,200}}.
     */
    public <K, V> Map<K, V> dict(final String name)
    {
        checkName(name);
        return new ClusterDict<>(hazelcast.getMap(name), codec);
    }

    /**
     * @param name the pool's name: its tasks run on each member's Hazelcast executor of that name.
     * @return a pool that runs tasks on the members.
     * @throws IllegalArgumentException if the name is not {@code [A-Za-z0-9._-]{1,200}}.
     */
    public ClusterPool pool(final String name)
    {
        checkName(name);
        return new ClusterPool(name, hazelcast, codec);
    }

    /**
     * @return the Hazelcast instance underneath, for what ipckit does not wrap.
     */
    public HazelcastInstance hazelcast()
    {
        return hazelcast;
    }

    /**
     * Leaves the cluster: a member first hands its partitions to the others (this may take a few
     * seconds), a client disconnects. Idempotent.
     */
    @Override
    public void close()
    {
        if (closed.compareAndSet(false, true))
        {
            LOCAL_MEMBERS.remove(hazelcast.getName());
            hazelcast.shutdown();
        }
    }

    @Override
    public String toString()
    {
        return "Cluster{name=" + name + ", " + (member ? "member" : "client") + "=" + memberName() + '}';
    }

    static Cluster localMember(final String instanceName)
    {
        return LOCAL_MEMBERS.get(instanceName);
    }

    static String describe(final Member member)
    {
        return member.getAddress().getHost() + ":" + member.getAddress().getPort();
    }

    private void configure(final String name, final int maxSize)
    {
        checkName(name);
        if (maxSize < 0)
        {
            throw new IllegalArgumentException("maxSize must not be negative, maxSize=" + maxSize);
        }
        try
        {
            hazelcast.getConfig().addQueueConfig(new QueueConfig(name).setMaxSize(maxSize));
        }
        catch (final RuntimeException ex)
        {
            throw new IllegalArgumentException("queue " + name + " exists with another configuration than maxSize=" +
                maxSize, ex);
        }
    }

    private static void checkName(final String name)
    {
        if (null == name || !NAME.matcher(name).matches())
        {
            throw new IllegalArgumentException("a name must be [A-Za-z0-9._-]{1,200} and not start with '.': " + name);
        }
    }

    /**
     * Configures and starts an embedded member.
     * <p>
     * <b>Note:</b> not thread-safe.
     */
    public static final class Builder
    {
        private String name;
        private byte[] authKey;
        private String host = "127.0.0.1";
        private int port = 5701;
        private final List<InetSocketAddress> members = new ArrayList<>();
        private final Map<String, String> properties = new LinkedHashMap<>();

        private Builder()
        {
        }

        /**
         * @param name the cluster's name, {@code [A-Za-z0-9._-]{1,200}}; required.
         * @return this builder.
         */
        public Builder name(final String name)
        {
            checkName(name);
            this.name = name;
            return this;
        }

        /**
         * @param authKey the key every member and client of the cluster must hold (copied); required.
         * @return this builder.
         */
        public Builder authKey(final byte[] authKey)
        {
            this.authKey = authKey.clone();
            return this;
        }

        /**
         * @param host the IP address of this machine the member listens on and is reached at;
         *             {@code 127.0.0.1} by default (one machine only).
         * @return this builder.
         */
        public Builder host(final String host)
        {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /**
         * @param port the TCP port the member listens on; 5701 by default.
         * @return this builder.
         * @throws IllegalArgumentException if it is not in 1..65535.
         */
        public Builder port(final int port)
        {
            if (port < 1 || port > 65535)
            {
                throw new IllegalArgumentException("port must be in 1..65535, port=" + port);
            }
            this.port = port;
            return this;
        }

        /**
         * @param members addresses of other members to join (those not running yet are tried again
         *                later); none for the first member.
         * @return this builder.
         */
        public Builder members(final InetSocketAddress... members)
        {
            this.members.addAll(List.of(members));
            return this;
        }

        /**
         * @param name  a Hazelcast property, e.g. {@code hazelcast.max.no.heartbeat.seconds}.
         * @param value its value.
         * @return this builder.
         */
        public Builder property(final String name, final String value)
        {
            properties.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Starts the member and joins the cluster (or starts it, if no listed member answers).
         *
         * @return the running member.
         * @throws IllegalStateException if the name or the key was not given.
         * @throws IpcException          if the member could not start (e.g. the port is taken).
         */
        public Cluster start()
        {
            if (null == name || null == authKey)
            {
                throw new IllegalStateException("a cluster needs name(...) and authKey(...)");
            }
            final HazelcastInstance instance;
            try
            {
                instance = Hazelcast.newHazelcastInstance(
                    ClusterConfigs.member(name, authKey, host, port, members, properties));
            }
            catch (final RuntimeException ex)
            {
                throw new IpcException("could not start a member of cluster " + name + " at " + host + ":" + port, ex);
            }
            final Cluster cluster = new Cluster(name, instance, true);
            LOCAL_MEMBERS.put(instance.getName(), cluster);
            return cluster;
        }
    }
}
