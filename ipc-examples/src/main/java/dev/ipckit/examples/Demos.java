package dev.ipckit.examples;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * Runs one demo by name: {@code java -jar ipc-examples.jar <demo> [args...]}. Without a name it
 * lists the demos.
 */
public final class Demos
{
    private static final List<Demo> DEMOS = List.of(
        new Demo("pipe-eof", "a reader child prints what it receives until the parent closes the pipe (000-C)",
            PipeEof::main),
        new Demo("pipe-duplex", "parent and child each send and receive on one duplex pipe", PipeDuplex::main),
        new Demo("pipe-object", "a child sends a list over a pipe and the parent prints it (003-AG)", PipeObject::main),
        new Demo("exit-codes", "exit codes of children that exit, return, throw or are terminated (003-AA)",
            ExitCodes::main),
        new Demo("daemon", "a daemon child dies with its parent; join with a timeout (003-Y)", DaemonJoinTimeout::main),
        new Demo("value-array", "a child sets a shared double and negates a shared int array (003-AK/AL)",
            ValueArray::main),
        new Demo("lock-print", "ten children print a line each while holding a shared lock (003-AH)", LockPrint::main),
        new Demo("shared-counter",
            "a hundred children decrement a shared counter under its lock (000-E, 001-M, on a shared int)",
            SharedCounter::main),
        new Demo("event", "children wait for an event, one of them with a timeout (003-AJ)", EventWait::main),
        new Demo("producer-consumer",
            "two producers queue foods, three consumers eat them until a poison pill (000-A)", ProducerConsumer::main),
        new Demo("joinable-queue", "daemon consumers mark each food done; the parent joins the queue (000-B)",
            JoinableProducerConsumer::main),
        new Demo("consumer-tasks", "consumers do tasks from a joinable queue and queue their results (003-AE)",
            ConsumerTasks::main),
        new Demo("worker-pool-queues",
            "four workers take calls from one queue and put results on another, until STOP (003-AT)",
            WorkerPoolQueues::main),
        new Demo("pool-map",
            "a pool of four workers: map, imapUnordered, applyAsync, and a result that times out (003, the docs' pool)",
            PoolMap::main),
        new Demo("pool-callback",
            "pool workers read local pages; callbacks in the parent collect them or the error (001-N)",
            PoolCallback::main),
        new Demo("pool-vs-processes", "a hundred small tasks on a pool of four workers, then one process each (000-G)",
            PoolVsProcesses::main),
        new Demo("pool-map-pids", "Pool(5).map prints each argument with its worker's pid, then ====> (000-F)",
            PoolMapPids::main),
        new Demo("pool-apply-vs-async", "twenty blocking apply calls, then twenty applyAsync, timed (000-H/I)",
            PoolApplyVsApplyAsync::main),
        new Demo("queue-readers-writers", "three readers and five writers share one queue under a lock (000-D)",
            QueueManyReadersWriters::main),
        new Demo("pool-map-prints", "workers print as map runs; the parent prints the results in order (001-J/K)",
            PoolMapPrints::main),
        new Demo("tcp-server",
            "a prefork TCP server, a process per client on one SO_REUSEPORT port, and its clients (001-P) [port]",
            PreforkTcpServer::main),
        new Demo("pool-squares", "Pool(5).map of squares of 1 to 10 (002-Q)", PoolSquares::main),
        new Demo("value-array-set", "a child sets a shared double and an element of a shared int array (002-S)",
            ValueArraySet::main),
        new Demo("process-pids", "five processes print their pids (003-W)", ProcessPids::main),
        new Demo("process-subclass", "five Worker processes print their pids and names (003-X)",
            ProcessSubclass::main),
        new Demo("terminate", "a child before start, while running, terminated and joined (003-Z)", Terminate::main),
        new Demo("pipe-between-children", "two children talk over one duplex pipe (003-AB)", PipeBetweenChildren::main),
        new Demo("queue-bounded", "ten putters and ten getters on a queue of three items (003-AC)", QueueBounded::main),
        new Demo("queue-object", "an object of the program's own class through a queue (003-AD)", QueueObject::main),
        new Demo("queue-list", "a child puts a list on a queue and the parent prints it (003-AF)", QueueList::main),
        new Demo("threads-vs-processes", "threads share the parent's pid, processes have their own (003-AI)",
            ThreadsVsProcesses::main),
        new Demo("queue-big-item", "a child puts a million characters; the parent joins it before get (003-AP)",
            QueueBigItem::main),
        new Demo("pool-test", "the docs' pool test: four ways to run tasks, errors and timeouts (003-AS)",
            PoolTest::main),
        new Demo("pool-apply-async-cpu", "applyAsync ten times on a worker per processor (003-AU)",
            PoolApplyAsyncCpuCount::main),
        new Demo("pool-random-sleeps", "three functions sleep at random on a pool and print their pids (003-AV)",
            PoolRandomSleeps::main),
        new Demo("pool-apply-blocking", "blocking apply four times on a pool of three (003-AW)",
            PoolApplyBlocking::main),
        new Demo("sequential-vs-parallel", "nine calls one after another, then with Pool(5).map, timed (003-AX)",
            SequentialVsParallel::main),
        new Demo("apply-async-results", "a list of applyAsync results, read after the pool is joined (003-AY)",
            ApplyAsyncResults::main),
        new Demo("pool-initializer", "each worker of a pool prints Starting <name> from its initializer (003-AZ)",
            PoolInitializer::main),
        new Demo("say-hi-yes", "two processes print Hi and Yes in turn (004-BI)", SayHiSayYes::main),
        new Demo("queue-download-analysis",
            "a download process fills a queue of three, an analysis one drains it (004-BJ)",
            QueueDownloadAnalysis::main),
        new Demo("pool-start-end",
            "applyAsync ten times on Pool(3) between ------start------ and -------end------- (004-BK)",
            PoolStartEnd::main),
        new Demo("async-process", "two children built, started, and awaited as futures of their exits (003-BE)",
            AsyncProcess::main),
        new Demo("async-worker", "two children return their results as futures: aiomultiprocess Worker (003-BG)",
            AsyncWorker::main),
        new Demo("async-pool", "async tasks gathered on virtual threads, then a pool map awaited (003-BD)",
            AsyncPoolUsage::main),
        new Demo("async-pool-fetch", "pool workers get local pages four at a time; results stream in order (003-BF)",
            AsyncPoolFetch::main),
        new Demo("async-pool-cookies", "a pool task per debug port reads a local page's cookies (003-BH)",
            AsyncPoolCookies::main),
        new Demo("gevent-queue", "producer and consumer processes, each with greenlets as virtual threads (003-BC)",
            GeventQueue::main),
        new Demo("cluster-pool", "three cluster members on this machine map squares; each chunk says where it ran",
            ClusterPoolDemo::main),
        new Demo("manager-dict", "a hundred children decrement a manager's dict under a lock: {count=0} (000-E)",
            args -> ManagerDict.run(100)),
        new Demo("manager-dict-20", "twenty children decrement a manager's dict under a lock: {count=80} (001-M)",
            args -> ManagerDict.run(20)),
        new Demo("manager-objects", "a child sets a manager's Value, Array and list; the parent prints them (003-T)",
            ManagerObjects::main),
        new Demo("remote-master", "serve a task and a result queue on 127.0.0.1:[port] with key abc (003-AN)",
            RemoteQueues::master),
        new Demo("remote-worker", "connect to remote-master, square its tasks, queue the results (003-AO)",
            RemoteQueues::worker),
        new Demo("custom-manager", "registered types exposing chosen methods, an iterator, an operator object (003-AR)",
            CustomManager::main),
        new Demo("durable-queue", "a producer fills a durable queue and is killed; a consumer started later finds " +
            "every item", DurableQueueDemo::main));

    private Demos()
    {
    }

    /**
     * @param args the demo's name, then its arguments; none to list the demos.
     * @throws Exception whatever the demo throws.
     */
    public static void main(final String[] args) throws Exception
    {
        if (0 == args.length)
        {
            printUsage(System.out);
            return;
        }

        for (final Demo demo : DEMOS)
        {
            if (demo.name().equals(args[0]))
            {
                demo.main().run(Arrays.copyOfRange(args, 1, args.length));
                return;
            }
        }
        System.err.println("unknown demo: " + args[0]);
        printUsage(System.err);
        System.exit(2);
    }

    private static void printUsage(final PrintStream out)
    {
        int width = 0;
        for (final Demo demo : DEMOS)
        {
            width = Math.max(width, demo.name().length());
        }
        out.println("usage: java -jar ipc-examples.jar <demo>");
        out.println("demos:");
        for (final Demo demo : DEMOS)
        {
            out.printf("  %-" + width + "s  %s%n", demo.name(), demo.description());
        }
    }

    @FunctionalInterface
    private interface Main
    {
        void run(String[] args) throws Exception;
    }

    private record Demo(String name, String description, Main main)
    {
    }
}
