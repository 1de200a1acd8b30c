package dev.ipckit.cluster;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hazelcast configurations of ipckit's members and clients: TCP-IP join on the listed addresses
 * only (no multicast, no auto-detection), no phone-home, no Jet, logging through the JDK.
 * <p>
 * Authentication: the open-source Hazelcast has no member or client security, but every member
 * and client must present the cluster name, and a member refuses a member or client whose name
 * differs. ipckit's cluster name on the wire is the user's name followed by a SHA-256 digest of
 * the name and the key, so only holders of the key can join or connect. The digest travels in
 * clear (as a password would without TLS): for a trusted network.
 * <p>
 * <b>Note:</b> stateless apart from a counter for instance names; thread-safe.
 */
final class ClusterConfigs
{
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private ClusterConfigs()
    {
    }

    static Config member(final String name, final byte[] authKey, final String host, final int port,
        final List<InetSocketAddress> members, final Map<String, String> properties)
    {
        final Config config = new Config();
        config.setClusterName(wireName(name, authKey));
        config.setInstanceName("ipckit-" + name + "-" + port + "-" + INSTANCES.incrementAndGet());
        common(memberDefaults(properties)).forEach(config::setProperty);
        config.getJetConfig().setEnabled(false);
        config.getMemberAttributeConfig().setAttribute("ipckit.pid", Long.toString(ProcessHandle.current().pid()));

        final NetworkConfig network = config.getNetworkConfig();
        network.setPort(port).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).addInterface(host);
        config.setProperty("hazelcast.socket.bind.any", "false");
        final JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true);
        for (final InetSocketAddress member : members)
        {
            join.getTcpIpConfig().addMember(address(member));
        }
        return config;
    }

    static ClientConfig client(final String name, final byte[] authKey, final Duration timeout,
        final List<InetSocketAddress> members)
    {
        final ClientConfig config = new ClientConfig();
        config.setClusterName(wireName(name, authKey));
        config.setInstanceName("ipckit-client-" + name + "-" + INSTANCES.incrementAndGet());
        common(Map.of()).forEach(config::setProperty);
        config.getNetworkConfig().getAutoDetectionConfig().setEnabled(false);
        for (final InetSocketAddress member : members)
        {
            config.getNetworkConfig().addAddress(address(member));
        }
        config.getConnectionStrategyConfig().getConnectionRetryConfig()
            .setClusterConnectTimeoutMillis(Math.max(1, timeout.toMillis()));
        return config;
    }

    /**
     * @return the cluster name members and clients present: the name and a digest of it with the key.
     */
    static String wireName(final String name, final byte[] authKey)
    {
        try
        {
            final MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(name.getBytes(StandardCharsets.UTF_8));
            digest.update((byte)0);
            digest.update(authKey);
            return name + "-" + HexFormat.of().formatHex(digest.digest(), 0, 16);
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("every JDK has SHA-256", ex);
        }
    }

    /**
     * Latency defaults for a member (each overridable through {@link Cluster.Builder#property}): on a
     * machine of few cores a request waits mostly for the threads it is handed between to be scheduled.
     */
    private static Map<String, String> memberDefaults(final Map<String, String> properties)
    {
        final Map<String, String> all = new LinkedHashMap<>();
        // One reading and one writing I/O thread (not 3 + 3): a member has few connections; fewer threads contend.
        all.put("hazelcast.io.thread.count", "1");
        // The reading I/O thread completes a response itself, not a response thread: one wake-up less per remote call.
        all.put("hazelcast.operation.response.thread.count", "0");
        // The thread that sends a packet writes it to the socket itself (write-through), instead of waking the
        // writing I/O thread for 100 ms after two threads once wrote to one connection at the same time: one
        // wake-up less per packet (put→get across two members went from 3 to 0.1 writer wake-ups, median -40%).
        all.put("hazelcast.concurrent.window.ms", "0");
        all.putAll(properties);
        return all;
    }

    private static Map<String, String> common(final Map<String, String> properties)
    {
        final Map<String, String> all = new LinkedHashMap<>();
        all.put("hazelcast.phone.home.enabled", "false");
        all.put("hazelcast.logging.type", "jdk");
        // A joining member waits 1 s for others to batch with (Hazelcast's 5 s suits large clusters).
        all.put("hazelcast.wait.seconds.before.join", "1");
        all.putAll(properties);
        return all;
    }

    private static String address(final InetSocketAddress address)
    {
        return address.getHostString() + ":" + address.getPort();
    }
}
