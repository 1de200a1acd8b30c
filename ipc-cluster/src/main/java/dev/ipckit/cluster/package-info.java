/**
 * The same objects across machines, on an embedded Hazelcast cluster (module {@code ipc-cluster},
 * optional): {@link dev.ipckit.cluster.Cluster} starts a member in this JVM or connects a client, and
 * hands out {@link dev.ipckit.cluster.ClusterQueue} and {@link dev.ipckit.cluster.ClusterJoinableQueue}
 * (the method names of {@code IpcQueue} and {@code JoinableQueue}, CPython's {@code Queue} and
 * {@code JoinableQueue}), a cluster-wide {@link java.util.concurrent.locks.Lock} and {@link java.util.Map}
 * (a manager's {@code Lock()} and {@code dict()}), and {@link dev.ipckit.cluster.ClusterPool}
 * ({@code ProcessPool}'s {@code apply}, {@code applyAsync}, {@code map}, {@code imap}, CPython's
 * {@code Pool}, with the members as workers). A task on a member that dies fails with
 * {@link dev.ipckit.cluster.MemberDiedException} instead of hanging.
 * <p>
 * Every JVM that runs a member or a client needs Hazelcast's JVM flags; the first use registers them
 * for the child JVMs ipckit starts, and a JVM started without them gets one
 * {@link dev.ipckit.IpcException} naming them.
 * <p>
 * <b>Note:</b> a {@code Cluster} and the objects it hands out are thread-safe; any thread of any
 * member or client may use them.
 */
package dev.ipckit.cluster;
