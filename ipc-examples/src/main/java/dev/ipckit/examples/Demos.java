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
        new Demo("pipe-eof", "a reader child prints what it receives until the parent closes the pipe", PipeEof::main),
        new Demo("pipe-duplex", "parent and child each send and receive on one duplex pipe", PipeDuplex::main),
        new Demo("pipe-object", "a child sends a list over a pipe and the parent prints it", PipeObject::main),
        new Demo("exit-codes", "exit codes of children that exit, return, throw or are terminated", ExitCodes::main),
        new Demo("daemon", "a daemon child dies with its parent; join with a timeout", DaemonJoinTimeout::main),
        new Demo("value-array", "a child sets a shared double and negates a shared int array", ValueArray::main),
        new Demo("lock-print", "ten children print a line each while holding a shared lock", LockPrint::main),
        new Demo("shared-counter", "a hundred children decrement a shared counter under its lock", SharedCounter::main),
        new Demo("event", "children wait for an event, one of them with a timeout", EventWait::main),
        new Demo("producer-consumer", "two producers queue foods, three consumers eat them until a poison pill",
            ProducerConsumer::main),
        new Demo("joinable-queue", "daemon consumers mark each food done; the parent joins the queue",
            JoinableProducerConsumer::main),
        new Demo("consumer-tasks", "consumers do tasks from a joinable queue and queue their results",
            ConsumerTasks::main),
        new Demo("worker-pool-queues", "four workers take calls from one queue and put results on another",
            WorkerPoolQueues::main),
        new Demo("pool-map", "a pool of four workers: map, imapUnordered, applyAsync, and a result that times out",
            PoolMap::main),
        new Demo("pool-callback", "pool workers read local pages; callbacks in the parent collect them or the error",
            PoolCallback::main),
        new Demo("pool-vs-processes", "a hundred small tasks on a pool of four workers, then one process each",
            PoolVsProcesses::main),
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
            ClusterPoolDemo::main));

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
