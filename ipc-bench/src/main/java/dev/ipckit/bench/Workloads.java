package dev.ipckit.bench;

import java.util.List;

/**
 * The workloads of {@code compare.sh}, in table order: for each, the CPython row, the C floor and the
 * JMH benchmark that measure it ({@link CompareTable} prints them side by side).
 * <p>
 * <b>Note:</b> constants only; thread-safe.
 */
final class Workloads
{
    /** The CPython script of most rows, a verbatim copy of the shared baseline. */
    static final String PY_MP_BENCH = "py_mp_bench.py";
    /** The CPython script of the pool rows that py_mp_bench.py lacks. */
    static final String PY_POOL_BENCH = "py_pool_bench.py";
    /** The CPython script of the manager rows that py_mp_bench.py lacks. */
    static final String PY_MANAGER_BENCH = "py_manager_bench.py";

    /** The workloads in table order. A workload with no counterpart in a source has null there. */
    static final List<Workload> WORKLOADS = List.of(
        // workload, unit, CPython row (in py_mp_bench.py unless withPythonScript says otherwise),
        // C group (limits.c argument), C row, JMH benchmark, JMH params
        latency("pipe_rtt_8B_bytes", "us/roundtrip", "pipe_rtt_8B_bytes", "uds_busypoll", "c_uds_busypoll_rtt_8B",
            "PipeRoundTrip.bytes", "size=8"),
        latency("pipe_rtt_8B_bytes (C blocking)", "us/roundtrip", null, "uds_rtt", "c_uds_rtt_8B",
            "PipeRoundTrip.bytes", "size=8"),
        latency("pipe_rtt_4KiB_bytes", "us/roundtrip", "pipe_rtt_4KiB_bytes", "uds_rtt", "c_uds_rtt_4096B",
            "PipeRoundTrip.bytes", "size=4096"),
        latency("pipe_rtt_object", "us/roundtrip", null, null, null,
            "PipeRoundTrip.object", ""),
        throughput("pipe_oneway_64B_bytes", "msg/s", "pipe_oneway_64B_bytes", "uds_oneway", "c_uds_oneway_64B",
            "PipeOneWay.bytes64B", ""),
        throughput("pipe_oneway_4KiB_bytes", "msg/s", "pipe_oneway_4KiB_bytes", "uds_oneway", "c_uds_oneway_4096B",
            "PipeOneWay.bytes4KiB", ""),
        throughput("pipe_oneway_objects", "msg/s", "pipe_oneway_objects", null, null,
            "PipeOneWay.objects", ""),
        latency("process_spawn_start_join", "ms/process", "process_spawn_start_join", null, null,
            "ProcessSpawn.startJoin", ""),
        latency("process_start_join_after_pause", "ms/process", null, null, null,
            "ProcessStartWarm.startJoin", ""),
        throughput("value_locked_incr_2proc", "incr/s", "value_locked_incr_2proc", null, null,
            "SharedCounter.locked", "")
            .withNote("CPython's figure includes spawning its 2 processes, ipckit's is steady state"),
        throughput("value_lockfree_incr_2proc", "incr/s", null, "atomic", "c_shm_atomic_incr_2proc",
            "SharedCounter.lockFree", "")
            .withNote("C's figure includes forking its 2 processes (well under 1% of its time)"),
        latency("lock_uncontended", "ns/lock+unlock", null, null, null,
            "LockUncontended.ipcLock", ""),
        latency("event_pingpong_rtt", "us/roundtrip", null, "shm_spin", "c_shm_spin_rtt",
            "EventPingPong.roundTrip", "")
            .withNote("the C floor spins on one shared word; ipckit sets, awaits and clears two IpcEvents"),
        throughput("queue_1p1c", "items/s", "queue_1p1c", null, null,
            "QueueThroughput.plain", ""),
        throughput("joinable_1p1c_taskdone_join", "items/s", "joinable_1p1c_taskdone_join", null, null,
            "QueueThroughput.joinable", ""),
        throughput("joinable_2p2c_maxsize1024", "items/s", "joinable_2p2c_maxsize1024", null, null,
            "QueueThroughput.joinable2p2c", "")
            .withNote("CPython's figure includes spawning its 2 producer processes, ipckit's is steady state " +
                "(the JMH thread is one producer, a child JVM the other)"),
        throughput("durable_joinable_1p1c_taskdone_join", "items/s", "joinable_1p1c_taskdone_join", null, null,
            "DurableThroughput.joinable", "")
            .withNote("ipckit's queue is a DurableJoinableQueue (Chronicle Queue log, items survive kill -9 of " +
                "every process); CPython's is its ordinary, not durable, JoinableQueue"),
        latency("durable_open_first_put", "ms/process", null, null, null,
            "DurableOpen.openFirstPut", "")
            .withNote("a fresh child JVM opens an existing durable queue, puts one item and exits; compare " +
                "process_spawn_start_join for the same without the queue"),
        latency("queue_put_get_latency", "us/put-to-get", null, null, null,
            "QueueLatency.putGet" + CompareTable.PERCENTILE + "0.50", "")
            .withNote("ipckit's figure is the median (p0.50) of JMH SampleTime samples, each half an IpcQueue " +
                "ping-pong round trip between two JVMs that wait in get(), not a mean; it has no error"),
        throughput("pool2_map_square", "tasks/s", "pool2_map_square", null, null,
            "PoolMap.square", "")
            .withNote("ipckit maps 100 000 elements per call; CPython 20 000 in quick mode, 100 000 in full"),
        latency("pool2_apply_rtt", "us/apply", "pool2_apply_rtt", null, null,
            "PoolApply.roundTrip", "")
            .withPythonScript(PY_POOL_BENCH),
        latency("pool2_start_first_task", "ms/pool", "pool2_start_first_task", null, null,
            "PoolStart.startFirstTask", "")
            .withPythonScript(PY_POOL_BENCH)
            .withNote("start a pool of 2, get the first apply's result, stop the pool (CPython's with-exit " +
                "terminates and joins its workers, ipckit's close() lets them exit and joins them), one pool after " +
                "the other; both figures are means, ipckit's with its default of 1 spare JVM"),
        latency("pool2_start_after_pause", "ms/pool", null, null, null,
            "PoolStartWarm.startFirstTask", "")
            .withNote("the same, 500 ms after the previous pool: its first worker is the spare JVM, booted and " +
                "warmed up in the pause"),
        latency("cluster_queue_put_get_latency", "us/put-to-get", "manager_queue_put_get", null, null,
            "ClusterQueueLatency.putGet" + CompareTable.PERCENTILE + "0.50", "")
            .withPythonScript(PY_POOL_BENCH)
            .withNote("CPython: a Manager().Queue() between two processes (mean of half a ping-pong round trip); " +
                "ipckit: a ClusterQueue between two Hazelcast members on loopback, each put synchronously backed " +
                "up (median of JMH SampleTime samples)"),
        latency("cluster_apply_rtt", "us/apply", "pool2_apply_rtt", null, null,
            "ClusterApply.roundTrip" + CompareTable.PERCENTILE + "0.50", "")
            .withPythonScript(PY_POOL_BENCH)
            .withNote("CPython's figure is a local Pool(2).apply (Ray's cluster Pool is not installed here); " +
                "ipckit's is ClusterPool.apply from a client over TCP to two Hazelcast members, the median of JMH " +
                "SampleTime samples"),
        latency("manager_dict_setitem", "us/call", "manager_dict_setitem", null, null,
            "ManagerCalls.dictPut", ""),
        latency("manager_dict_getitem", "us/call", "manager_dict_getitem", null, null,
            "ManagerCalls.dictGet", ""),
        latency("manager_queue_put_then_get", "us/put+get", "manager_queue_put_then_get", null, null,
            "ManagerCalls.queuePutGet", "")
            .withPythonScript(PY_MANAGER_BENCH),
        latency("manager_proxy_create", "ms/proxy", "manager_proxy_create", null, null,
            "ManagerCalls.proxyCreate", "")
            .withPythonScript(PY_MANAGER_BENCH)
            .withNote("CPython's m.dict() and ipckit's manager.dict(): a new dict in the server and its proxy here"));

    private Workloads()
    {
    }

    private static Workload latency(
        final String name, final String unit, final String pythonRow, final String cGroup, final String cRow,
        final String benchmark, final String params)
    {
        return new Workload(name, unit, false, pythonRow, script(pythonRow), cGroup, cRow, benchmark, params, null);
    }

    private static Workload throughput(
        final String name, final String unit, final String pythonRow, final String cGroup, final String cRow,
        final String benchmark, final String params)
    {
        return new Workload(name, unit, true, pythonRow, script(pythonRow), cGroup, cRow, benchmark, params, null);
    }

    private static String script(final String pythonRow)
    {
        return null == pythonRow ? null : PY_MP_BENCH;
    }
}
