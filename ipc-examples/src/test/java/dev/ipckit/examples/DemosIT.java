package dev.ipckit.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs every demo from the built jar, as a user would, and checks what it prints.
 */
class DemosIT
{
    private static final Path JDK25_JAVA = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
    private static final Map<String, Consumer<JarRun>> EXPECTED = new LinkedHashMap<>();
    /**
     * The demos also run on JDK 25: one or two of each kind (pipes, queues, shared memory and
     * locks, processes, pools, sockets) and every demo of the async API and the cluster (virtual
     * threads are JDK 21+), so that the suite stays within its time on two cores.
     */
    private static final List<String> ON_JDK25 = List.of(
        "pipe-eof", "pipe-object", "exit-codes", "shared-counter", "producer-consumer", "pool-map", "pool-callback",
        "tcp-server", "terminate", "queue-big-item", "pool-test", "pool-initializer", "async-process", "async-worker",
        "async-pool", "async-pool-fetch", "async-pool-cookies", "gevent-queue", "cluster-pool");
    /**
     * Flags a user adds on JDK 23+: Hazelcast 5.7 (its shaded JCTools) calls sun.misc.Unsafe, which JDK 23+
     * warns about unless allowed (a manifest cannot allow it; ipckit passes it on to children).
     */
    private static final Map<String, List<String>> JDK25_FLAGS =
        Map.of("cluster-pool", List.of("--sun-misc-unsafe-memory-access=allow"));

    private static final Set<String> HUNDRED_CHILDREN = Set.of("shared-counter", "pool-vs-processes");
    /** 100 children that each connect to a manager: 115 s on a quiet 2-core machine. */
    private static final Duration MANAGER_DICT_BOUND = Duration.ofSeconds(480);
    private static final Pattern ATE = Pattern.compile("(alex|jordan|riley) ate ((bones|fish)-(\\d+))");
    private static final Pattern CONSUMER_LINE = Pattern.compile("(Consumer-\\d+): (.+)");
    private static final Pattern WORKER_RESULT = Pattern.compile("\t IpcProcess-[1-4] says that (.+)");
    private static final Pattern PIDS = Pattern.compile("\\[(\\d+), (\\d+), (\\d+), (\\d+)]");
    private static final Pattern FETCHED = Pattern.compile("(fetched .+), in worker (\\d+)");
    private static final Pattern FETCH_FAILED = Pattern.compile(
        "failed page-6\\.html: java\\.nio\\.file\\.NoSuchFileException: (.+)/page-6\\.html");
    private static final Pattern FETCH_SUMMARY = Pattern.compile(
        "5 pages fetched \\(1459 bytes\\) by ([1-3]) workers?, 1 failed; the callbacks ran in the parent, pid (\\d+)");
    private static final Pattern POOL_TIME = Pattern.compile("pool of 4 workers: 100 tasks in (\\d+) ms");
    private static final Pattern PROCESSES_TIME = Pattern.compile(
        "100 separate processes, all started, then joined: 100 tasks in (\\d+) ms");
    private static final Pattern DURABLE_KILLED = Pattern.compile(
        "producer: killed with kill -9 after (\\d+) acknowledged puts");
    private static final Pattern DURABLE_FOUND = Pattern.compile(
        "consumer \\(started later\\): found (\\d+) items, in put order");
    private static final Pattern FASTER = Pattern.compile("the pool was (\\d+\\.\\d)x faster");
    private static final Pattern WORKING = Pattern.compile("\\[(\\d+)] process ([12]) (starts|finished) working");
    private static final Pattern ASYNC_IN_PARENT = Pattern.compile("async_worker\\(([1-5])\\) in the parent, pid (\\d+)");
    private static final Pattern IN_WORKER = Pattern.compile("process_worker\\(([1-5])\\) in worker (\\d+)");
    private static final Pattern PAGE_GOT = Pattern.compile("page-(\\d)\\.html: (\\d+) characters, title \"Page (\\d)\"");
    private static final Pattern DP_PORT = Pattern.compile("INFO \\| dp_port ---> (930[1-5])");
    private static final Pattern COOKIES = Pattern.compile(
        "INFO \\| cookie_string ---> \\[\\{\"name\": \"session\", \"value\": \"([1-5])\", \"path\": \"/\"}]");
    private static final Pattern PUT_NUMBER = Pattern.compile("\\d+");
    private static final Pattern GOT_VALUE = Pattern.compile(
        "\\[\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6}] consumer_([13]) ---> value: (\\d+)");
    private static final Pattern CLUSTER = Pattern.compile(
        "cluster of 3 members: (127\\.0\\.0\\.1:\\d+), (127\\.0\\.0\\.1:\\d+), (127\\.0\\.0\\.1:\\d+)");
    private static final Pattern CHUNK = Pattern.compile("chunk (\\d): \\[(.+)] ran on (127\\.0\\.0\\.1:\\d+) \\(pid (\\d+)\\)");

    static
    {
        EXPECTED.put("pipe-eof", DemosIT::expectPipeEof);
        EXPECTED.put("pipe-duplex", DemosIT::expectPipeDuplex);
        EXPECTED.put("pipe-object", DemosIT::expectPipeObject);
        EXPECTED.put("exit-codes", DemosIT::expectExitCodes);
        EXPECTED.put("daemon", DemosIT::expectDaemon);
        EXPECTED.put("value-array", DemosIT::expectValueArray);
        EXPECTED.put("lock-print", DemosIT::expectLockPrint);
        EXPECTED.put("shared-counter", DemosIT::expectSharedCounter);
        EXPECTED.put("event", DemosIT::expectEvent);
        EXPECTED.put("producer-consumer", DemosIT::expectProducerConsumer);
        EXPECTED.put("joinable-queue", DemosIT::expectJoinableQueue);
        EXPECTED.put("consumer-tasks", DemosIT::expectConsumerTasks);
        EXPECTED.put("worker-pool-queues", DemosIT::expectWorkerPoolQueues);
        EXPECTED.put("pool-map", DemosIT::expectPoolMap);
        EXPECTED.put("pool-callback", DemosIT::expectPoolCallback);
        EXPECTED.put("pool-vs-processes", DemosIT::expectPoolVsProcesses);
        EXPECTED.put("pool-map-pids", ProgramExpectations::poolMapPids);
        EXPECTED.put("pool-apply-vs-async", ProgramExpectations::poolApplyVsAsync);
        EXPECTED.put("queue-readers-writers", ProgramExpectations::queueReadersWriters);
        EXPECTED.put("pool-map-prints", ProgramExpectations::poolMapPrints);
        EXPECTED.put("tcp-server", ProgramExpectations::tcpServer);
        EXPECTED.put("pool-squares", ProgramExpectations::poolSquares);
        EXPECTED.put("value-array-set", ProgramExpectations::valueArraySet);
        EXPECTED.put("process-pids", ProgramExpectations::processPids);
        EXPECTED.put("process-subclass", ProgramExpectations::processSubclass);
        EXPECTED.put("terminate", ProgramExpectations::terminate);
        EXPECTED.put("pipe-between-children", ProgramExpectations::pipeBetweenChildren);
        EXPECTED.put("queue-bounded", ProgramExpectations::queueBounded);
        EXPECTED.put("queue-object", ProgramExpectations::queueObject);
        EXPECTED.put("queue-list", ProgramExpectations::queueList);
        EXPECTED.put("threads-vs-processes", ProgramExpectations::threadsVsProcesses);
        EXPECTED.put("queue-big-item", ProgramExpectations::queueBigItem);
        EXPECTED.put("pool-test", ProgramExpectations::poolTest);
        EXPECTED.put("pool-apply-async-cpu", ProgramExpectations::poolApplyAsyncCpu);
        EXPECTED.put("pool-random-sleeps", ProgramExpectations::poolRandomSleeps);
        EXPECTED.put("pool-apply-blocking", ProgramExpectations::poolApplyBlocking);
        EXPECTED.put("sequential-vs-parallel", ProgramExpectations::sequentialVsParallel);
        EXPECTED.put("apply-async-results", ProgramExpectations::applyAsyncResults);
        EXPECTED.put("pool-initializer", ProgramExpectations::poolInitializer);
        EXPECTED.put("say-hi-yes", ProgramExpectations::sayHiYes);
        EXPECTED.put("queue-download-analysis", ProgramExpectations::queueDownloadAnalysis);
        EXPECTED.put("pool-start-end", ProgramExpectations::poolStartEnd);
        EXPECTED.put("async-process", DemosIT::expectAsyncProcess);
        EXPECTED.put("async-worker", DemosIT::expectAsyncWorker);
        EXPECTED.put("async-pool", DemosIT::expectAsyncPool);
        EXPECTED.put("async-pool-fetch", DemosIT::expectAsyncPoolFetch);
        EXPECTED.put("async-pool-cookies", DemosIT::expectAsyncPoolCookies);
        EXPECTED.put("gevent-queue", DemosIT::expectGeventQueue);
        EXPECTED.put("cluster-pool", DemosIT::expectClusterPool);
        EXPECTED.put("manager-dict", run -> expectManagerDict(run, "{count=0}"));
        EXPECTED.put("manager-dict-20", run -> expectManagerDict(run, "{count=80}"));
        EXPECTED.put("manager-objects", DemosIT::expectManagerObjects);
        EXPECTED.put("remote-master", DemosIT::expectRemoteMasterWithItsWorker);
        EXPECTED.put("remote-worker", DemosIT::expectRemoteWorker);
        EXPECTED.put("custom-manager", DemosIT::expectCustomManager);
        EXPECTED.put("durable-queue", DemosIT::expectDurableQueue);
    }

    /** Demos that need another demo running: run together by their own test. */
    private static final Set<String> PAIRED = Set.of("remote-worker");
    private static final Pattern PUT_TASK = Pattern.compile("Put task (\\d+)");
    private static final Pattern RUN_TASK = Pattern.compile("run task (\\d+) \\* (\\d+)\\.\\.\\.");
    private static final Pattern RESULT = Pattern.compile("Result: (\\d+) \\* (\\d+) = (\\d+)");

    /**
     * @return every demo, or those named in the system property {@code demos.only} (a
     * comma-separated list, for running a few while working on them).
     */
    static Stream<String> demos()
    {
        return EXPECTED.keySet().stream().filter(demo -> !PAIRED.contains(demo)).filter(DemosIT::selected);
    }

    static Stream<String> demosOnJdk25()
    {
        return ON_JDK25.stream().filter(DemosIT::selected);
    }

    private static boolean selected(final String demo)
    {
        final String only = System.getProperty("demos.only", "");
        return only.isBlank() || List.of(only.split(",")).contains(demo);
    }

    @Test
    void shouldListEveryDemoWithoutAnArgument() throws Exception
    {
        final JarRun run = JarRun.run(JarRun.JAVA);
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(List.of(), run.stderr(), run::toString);
        assertEquals(List.copyOf(EXPECTED.keySet()), listedDemos(run.stdout()), run::toString);
    }

    @Test
    void shouldRejectAnUnknownDemoWithExitCodeTwo() throws Exception
    {
        final JarRun run = JarRun.run(JarRun.JAVA, "no-such-demo");
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(List.of(), run.stdout(), run::toString);
        assertEquals("unknown demo: no-such-demo", run.stderr().get(0), run::toString);
        assertEquals(List.copyOf(EXPECTED.keySet()), listedDemos(run.stderr()), run::toString);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("demos")
    void shouldRunDemo(final String demo) throws Exception
    {
        final JarRun run = JarRun.run(bound(demo), List.of(), JarRun.JAVA, demo);
        assertRanCleanly(run);
        EXPECTED.get(demo).accept(run);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("demosOnJdk25")
    void shouldRunDemoOnJdk25WithoutWarnings(final String demo) throws Exception
    {
        assumeTrue(Files.isExecutable(JDK25_JAVA), JDK25_JAVA + " is not installed");
        final JarRun run = JarRun.run(bound(demo), JDK25_FLAGS.getOrDefault(demo, List.of()), JDK25_JAVA.toString(), demo);
        assertRanCleanly(run);
        EXPECTED.get(demo).accept(run);
    }

    @Test
    void shouldMakeAClassDataSharingArchiveOnceAndUseIt(@TempDir final Path cache) throws Exception
    {
        final List<String> flags = List.of("-Dipckit.cacheDir=" + cache);
        final List<String> made = train(flags, cache);
        assertEquals(1, made.size(), "one archive, no partial or failed file: " + made);
        assertTrue(made.get(0).matches("cds-[0-9a-f]+\\.jsa"), made::toString);

        final JarRun second = JarRun.run(flags, JarRun.JAVA, "pipe-object");
        assertRanCleanly(second);
        expectPipeObject(second);
        assertEquals(made, cacheEntries(cache), "the archive is reused");
    }

    @Test
    void shouldMakeAnAheadOfTimeCacheOnJdk25AndStartChildrenWithIt(@TempDir final Path cache, @TempDir final Path logs)
        throws Exception
    {
        assumeTrue(Files.isExecutable(JDK25_JAVA), JDK25_JAVA + " is not installed");
        final List<String> flags = List.of("-Dipckit.cacheDir=" + cache,
            "-Dipckit.process.jvmArgs=-Xlog:aot=info:file=" + logs.resolve("aot-%p.log"));
        final List<String> made = train(flags, cache, JDK25_JAVA.toString());
        assertEquals(1, made.size(), "one cache, no partial or failed file: " + made);
        assertTrue(made.get(0).matches("cds-[0-9a-f]+\\.aot"), made::toString);
        deleteAll(logs);

        final JarRun second = JarRun.run(flags, JDK25_JAVA.toString(), "pipe-object");
        assertRanCleanly(second);
        expectPipeObject(second);
        assertEquals(made, cacheEntries(cache), "the cache is reused");
        final String opened = "Opened AOT cache " + cache.resolve(made.get(0));
        try (Stream<Path> files = Files.list(logs))
        {
            assertTrue(files.anyMatch(log -> contains(log, opened)), "no child logged: " + opened);
        }
    }

    @Test
    void shouldStartChildrenWithoutABrokenArchiveAndDiscardIt(@TempDir final Path cache, @TempDir final Path crashes)
        throws Exception
    {
        final List<String> flags = List.of("-Dipckit.cacheDir=" + cache,
            "-Dipckit.process.jvmArgs=-XX:ErrorFile=" + crashes.resolve("hs_err_%p.log") + " -XX:-CreateCoredumpOnCrash");
        final List<String> made = train(flags, cache);
        assertEquals(1, made.size(), made::toString);
        try (RandomAccessFile archive = new RandomAccessFile(cache.resolve(made.get(0)).toFile(), "rw"))
        {
            archive.seek(16);
            archive.write("A".repeat(256).getBytes(StandardCharsets.US_ASCII));
        }

        final JarRun broken = JarRun.run(flags, JarRun.JAVA, "pipe-object");
        assertEquals(0, broken.exitCode(), broken::toString);
        assertTrue(broken.stdout().contains("[42, null, hello]"), broken::toString);
        assertTrue(broken.stderr().stream().anyMatch(line -> line.contains("failed to start with class-data-sharing")),
            broken::toString);
        assertEquals(List.of(made.get(0).replace(".jsa", ".failed")), cacheEntries(cache), "the archive is discarded");

        final JarRun after = JarRun.run(flags, JarRun.JAVA, "pipe-object");
        assertRanCleanly(after);
        expectPipeObject(after);
    }

    /**
     * Runs a demo until its training child has made the archive: a JVM waits for its training
     * five seconds at exit, which a loaded machine may not give it (the next run trains again).
     */
    private static List<String> train(final List<String> flags, final Path cache) throws Exception
    {
        return train(flags, cache, JarRun.JAVA);
    }

    private static List<String> train(final List<String> flags, final Path cache, final String java) throws Exception
    {
        List<String> made = List.of();
        for (int run = 0; run < 5 && made.isEmpty(); run++)
        {
            final JarRun training = JarRun.run(flags, java, "pipe-object");
            assertRanCleanly(training);
            expectPipeObject(training);
            made = cacheEntries(cache);
        }
        return made;
    }

    private static boolean contains(final Path file, final String text)
    {
        try
        {
            return Files.readString(file).contains(text);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static void deleteAll(final Path dir) throws IOException
    {
        try (Stream<Path> files = Files.list(dir))
        {
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                Files.delete(file);
            }
        }
    }

    private static List<String> cacheEntries(final Path cache) throws IOException
    {
        try (Stream<Path> entries = Files.list(cache))
        {
            return entries.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private static Duration bound(final String demo)
    {
        if ("manager-dict".equals(demo))
        {
            return MANAGER_DICT_BOUND;
        }
        return HUNDRED_CHILDREN.contains(demo) ? JarRun.HUNDRED_CHILDREN_BOUND : JarRun.BOUND;
    }

    private static void assertRanCleanly(final JarRun run)
    {
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.stderr().stream().noneMatch(line -> line.startsWith("WARNING")), run::toString);
    }

    @Test
    void shouldRunRemoteMasterAndRemoteWorkerTogether() throws Exception
    {
        final String port = String.valueOf(freePort());
        final java.util.concurrent.CompletableFuture<JarRun> master = java.util.concurrent.CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return JarRun.run(JarRun.JAVA, "remote-master", port, "--no-worker");
            }
            catch (final Exception ex)
            {
                throw new java.util.concurrent.CompletionException(ex);
            }
        });
        final JarRun worker = JarRun.run(JarRun.JAVA, "remote-worker", port);
        final JarRun masterRun = master.get();
        assertRanCleanly(worker);
        assertRanCleanly(masterRun);
        expectRemoteWorker(worker);
        final List<String> tasks = matching(masterRun.stdout(), PUT_TASK, 1);
        assertEquals(10, tasks.size(), masterRun::toString);
        assertEquals(tasks, matching(worker.stdout(), RUN_TASK, 1), worker::toString);
        assertEquals(tasks, matching(masterRun.stdout(), RESULT, 1), masterRun::toString);
        assertEquals("master exit.", last(masterRun.stdout()), masterRun::toString);
    }

    private static int freePort() throws IOException
    {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
    }

    private static List<String> matching(final List<String> lines, final Pattern pattern, final int group)
    {
        final List<String> found = new ArrayList<>();
        for (final String line : lines)
        {
            final Matcher m = pattern.matcher(line);
            if (m.matches())
            {
                if (RESULT == pattern)
                {
                    final long n = Long.parseLong(m.group(1));
                    assertEquals(m.group(1), m.group(2), line);
                    assertEquals(n * n, Long.parseLong(m.group(3)), line);
                }
                found.add(m.group(group));
            }
        }
        return found;
    }

    private static String last(final List<String> lines)
    {
        return lines.isEmpty() ? null : lines.get(lines.size() - 1);
    }

    private static void expectManagerDict(final JarRun run, final String dict)
    {
        assertEquals(List.of(dict), run.stdout(), run::toString);
        assertEquals(List.of(), run.stderr(), run::toString);
    }

    private static void expectManagerObjects(final JarRun run)
    {
        assertEquals(List.of("3.14", "[5, 1, 2, 3, 4, 5, 6, 7, 8, 9]", "[Hello]"), run.stdout(), run::toString);
        assertEquals(List.of(), run.stderr(), run::toString);
    }

    private static void expectRemoteMasterWithItsWorker(final JarRun run)
    {
        final List<String> out = run.stdout();
        final List<String> tasks = matching(out, PUT_TASK, 1);
        assertEquals(10, tasks.size(), run::toString);
        assertEquals(tasks, matching(out, RUN_TASK, 1), run::toString);
        assertEquals(tasks, matching(out, RESULT, 1), run::toString);
        assertTrue(out.contains("Try get result..."), run::toString);
        assertTrue(out.contains("worker exit."), run::toString);
        assertEquals("master exit.", last(out), run::toString);
        assertEquals(List.of(), run.stderr(), run::toString);
    }

    private static void expectRemoteWorker(final JarRun run)
    {
        final List<String> out = run.stdout();
        assertEquals("Connect to server 127.0.0.1...", out.get(0), run::toString);
        assertEquals(10, matching(out, RUN_TASK, 1).size(), run::toString);
        assertEquals("worker exit.", last(out), run::toString);
        assertEquals(List.of(), run.stderr(), run::toString);
    }

    private static void expectCustomManager(final JarRun run)
    {
        final String rule = "-".repeat(20);
        assertEquals(List.of(
            rule,
            "you called Foo.f()",
            "you called Foo.g()",
            "f1 exposes [f, g], is a FooGH: false",
            rule,
            "you called Foo.g()",
            "you called Foo.h()",
            "f2 exposes [g, h], is a FooFG: false",
            rule,
            "<0> <1> <4> <9> <16> <25> <36> <49> <64> <81>",
            rule,
            "op.add(23, 45) = 68",
            "op.pow(2, 94) = 19807040628566084398385987584",
            "op exposes [add, pow]"), run.stdout(), run::toString);
        assertEquals(List.of(), run.stderr(), run::toString);
    }

    private static void expectPipeEof(final JarRun run)
    {
        assertEquals(List.of("hello 0", "hello 1", "hello 2", "hello 3", "hello 4"), run.stdout(), run::toString);
        assertEquals(List.of(), run.stderr(), run::toString);
    }

    private static void expectPipeDuplex(final JarRun run)
    {
        assertEquals(List.of(
            "MainProcess received: hello from child",
            "child received: hello from MainProcess"), run.stdout(), run::toString);
        assertEquals(List.of(), run.stderr(), run::toString);
    }

    private static void expectPipeObject(final JarRun run)
    {
        assertEquals(List.of("[42, null, hello]"), run.stdout(), run::toString);
        assertEquals(List.of(), run.stderr(), run::toString);
    }

    private static void expectExitCodes(final JarRun run)
    {
        assertEquals(List.of(
            "Starting process for exit_error",
            "Starting process for exit_ok",
            "Starting process for return_value",
            "Starting process for raises",
            "Starting process for terminated",
            "     exit_error.exitcode = 1",
            "        exit_ok.exitcode = 0",
            "   return_value.exitcode = 0",
            "         raises.exitcode = 1",
            "     terminated.exitcode = -15"), run.stdout(), run::toString);

        final List<String> err = run.stderr();
        assertAll(
            () -> assertTrue(err.size() >= 3, run::toString),
            () -> assertTrue(err.get(0).matches("Process raises \\(pid \\d+\\):"), run::toString),
            () -> assertEquals("java.lang.RuntimeException: There was an error!", err.get(1), run::toString),
            () -> assertTrue(err.stream().skip(2).allMatch(line -> line.startsWith("\tat ")), run::toString));
    }

    private static void expectDaemon(final JarRun run)
    {
        final List<String> out = run.stdout();
        assertEquals(
            List.of("Exiting : non-daemon", "Starting: daemon", "Starting: non-daemon", "d.is_alive() true"),
            out.stream().sorted().toList(), run::toString);
        assertTrue(out.indexOf("Starting: non-daemon") < out.indexOf("Exiting : non-daemon"), run::toString);
        assertEquals(List.of(), run.stderr(), run::toString);
    }

    private static void expectValueArray(final JarRun run)
    {
        assertEquals(List.of("3.1415927", "[0, -1, -2, -3, -4, -5, -6, -7, -8, -9]"), run.stdout(), run::toString);
        assertEquals(List.of(), run.stderr(), run::toString);
    }

    private static void expectLockPrint(final JarRun run)
    {
        final List<String> expected = IntStream.range(0, 10).mapToObj(i -> "hello world " + i).toList();
        assertEquals(expected, run.stdout().stream().sorted().toList(), run::toString);
        assertEquals(List.of(), run.stderr(), run::toString);
    }

    private static void expectSharedCounter(final JarRun run)
    {
        assertEquals(List.of("0"), run.stdout(), run::toString);
        assertEquals(List.of(), run.stderr(), run::toString);
    }

    private static void expectEvent(final JarRun run)
    {
        final List<String> out = run.stdout();
        assertAll(
            () -> assertEquals(6, out.size(), run::toString),
            () -> assertEquals(List.of(
                "main: waiting before calling Event.set()",
                "wait_for_event: starting",
                "wait_for_event_timeout: starting"), out.stream().limit(3).sorted().toList(), run::toString),
            () -> assertEquals("wait_for_event_timeout: e.is_set()-> false", out.get(3), run::toString),
            // The woken child and the parent print at the same moment, in either order (as CPython's do).
            () -> assertEquals(List.of(
                "main: event is set",
                "wait_for_event: e.is_set()-> true"), out.stream().skip(4).sorted().toList(), run::toString));
        assertEquals(List.of(), run.stderr(), run::toString);
    }

    private static void expectProducerConsumer(final JarRun run)
    {
        assertEachFoodEatenOnce(run, run.stdout());
        assertEquals(List.of(), run.stderr(), run::toString);
    }

    private static void expectJoinableQueue(final JarRun run)
    {
        final List<String> out = run.stdout();
        assertAll(
            () -> assertEquals(21, out.size(), run::toString),
            () -> assertEquals("all foods eaten", out.get(out.size() - 1), run::toString));
        assertEachFoodEatenOnce(run, out.subList(0, out.size() - 1));
        assertEquals(List.of(), run.stderr(), run::toString);
    }

    /**
     * Twenty lines {@code <consumer> ate <food>}: each food once, and each consumer eats the foods
     * of one producer in the order they were made.
     */
    private static void assertEachFoodEatenOnce(final JarRun run, final List<String> lines)
    {
        final List<String> foods = new ArrayList<>();
        final Map<String, Integer> lastEaten = new HashMap<>();
        for (final String line : lines)
        {
            final Matcher m = ATE.matcher(line);
            assertTrue(m.matches(), () -> "unexpected line \"" + line + "\" in " + run);
            foods.add(m.group(2));
            final Integer previous = lastEaten.put(m.group(1) + " " + m.group(3), Integer.valueOf(m.group(4)));
            assertTrue(null == previous || previous < Integer.parseInt(m.group(4)), () -> "out of order: " + run);
        }
        final List<String> expected = IntStream.range(0, 10)
            .boxed()
            .flatMap(i -> Stream.of("bones-" + i, "fish-" + i))
            .sorted()
            .toList();
        assertEquals(expected, foods.stream().sorted().toList(), run::toString);
    }

    private static void expectConsumerTasks(final JarRun run)
    {
        final int consumers = 2 * Runtime.getRuntime().availableProcessors();
        final List<String> out = run.stdout();
        assertAll(
            () -> assertEquals(1 + 10 + consumers + 10, out.size(), run::toString),
            () -> assertEquals("Creating " + consumers + " consumers", out.get(0), run::toString));

        final List<String> done = new ArrayList<>();
        final List<String> exited = new ArrayList<>();
        for (final String line : out.subList(1, 1 + 10 + consumers))
        {
            final Matcher m = CONSUMER_LINE.matcher(line);
            assertTrue(m.matches(), () -> "unexpected line \"" + line + "\" in " + run);
            assertFalse(exited.contains(m.group(1)), () -> m.group(1) + " took a task after exiting: " + run);
            if ("Exiting".equals(m.group(2)))
            {
                exited.add(m.group(1));
            }
            else
            {
                done.add(m.group(2));
            }
        }
        assertEquals(
            IntStream.range(0, 10).mapToObj(i -> i + " * " + i).sorted().toList(),
            done.stream().sorted().toList(), run::toString);
        assertEquals(
            IntStream.rangeClosed(1, consumers).mapToObj(i -> "Consumer-" + i).sorted().toList(),
            exited.stream().sorted().toList(), run::toString);
        assertEquals(
            IntStream.range(0, 10).mapToObj(i -> "Result: " + i + " * " + i + " = " + i * i).sorted().toList(),
            out.subList(1 + 10 + consumers, out.size()).stream().sorted().toList(), run::toString);
        assertEquals(List.of(), run.stderr(), run::toString);
    }

    private static void expectWorkerPoolQueues(final JarRun run)
    {
        final List<String> out = run.stdout();
        assertAll(
            () -> assertEquals(1 + 20 + 10, out.size(), run::toString),
            () -> assertEquals("Unordered results:", out.get(0), run::toString));
        final List<String> results = new ArrayList<>();
        for (final String line : out.subList(1, out.size()))
        {
            final Matcher m = WORKER_RESULT.matcher(line);
            assertTrue(m.matches(), () -> "unexpected line \"" + line + "\" in " + run);
            results.add(m.group(1));
        }
        assertEquals(
            IntStream.range(0, 20).mapToObj(i -> "mul(" + i + ", 7) = " + i * 7).sorted().toList(),
            results.subList(0, 20).stream().sorted().toList(), run::toString);
        assertEquals(
            IntStream.range(0, 10).mapToObj(i -> "plus(" + i + ", 8) = " + (i + 8)).sorted().toList(),
            results.subList(20, 30).stream().sorted().toList(), run::toString);
        assertEquals(List.of(), run.stderr(), run::toString);
    }

    private static void expectPoolMap(final JarRun run)
    {
        final List<String> out = run.stdout();
        assertEquals(17, out.size(), run::toString);
        final List<String> squares = IntStream.range(0, 10).mapToObj(i -> String.valueOf(i * i)).toList();
        assertAll(
            () -> assertEquals("[" + String.join(", ", squares) + "]", out.get(0), run::toString),
            () -> assertEquals(squares, out.subList(1, 11).stream()
                .sorted(Comparator.comparingInt(Integer::parseInt)).toList(), run::toString),
            () -> assertEquals("400", out.get(11), run::toString),
            () -> assertEquals(List.of(
                "We lacked patience and got a java.util.concurrent.TimeoutException",
                "For the moment, the pool remains available for more work",
                "Now the pool is closed and no longer available"), out.subList(14, 17), run::toString));

        assertTrue(out.get(12).matches("\\d+"), run::toString);
        final Matcher m = PIDS.matcher(out.get(13));
        assertTrue(m.matches(), run::toString);
        final Set<Long> workers = new HashSet<>();
        workers.add(Long.parseLong(out.get(12)));
        for (int i = 1; i <= 4; i++)
        {
            workers.add(Long.parseLong(m.group(i)));
        }
        assertFalse(workers.contains(run.pid()), () -> "a task ran in the parent: " + run);
        assertTrue(workers.size() <= 4, () -> "more pids than the pool's four workers: " + run);
        assertEquals(List.of(), run.stderr(), run::toString);
    }

    private static void expectPoolCallback(final JarRun run)
    {
        final List<String> out = run.stdout();
        assertEquals(7, out.size(), run::toString);
        final List<String> fetched = new ArrayList<>();
        final Set<Long> workers = new HashSet<>();
        for (final String line : out.subList(0, 5))
        {
            final Matcher m = FETCHED.matcher(line);
            assertTrue(m.matches(), () -> "unexpected line \"" + line + "\" in " + run);
            fetched.add(m.group(1));
            workers.add(Long.parseLong(m.group(2)));
        }
        assertEquals(List.of(
            "fetched page-1.html: 140 bytes, title \"Page 1\", crc32 171851d5",
            "fetched page-2.html: 215 bytes, title \"Page 2\", crc32 25fcf024",
            "fetched page-3.html: 290 bytes, title \"Page 3\", crc32 afaa38f8",
            "fetched page-4.html: 368 bytes, title \"Page 4\", crc32 893c40ef",
            "fetched page-5.html: 446 bytes, title \"Page 5\", crc32 4abf7133"), fetched, run::toString);
        assertFalse(workers.contains(run.pid()), () -> "a page was read in the parent: " + run);

        final Matcher failed = FETCH_FAILED.matcher(out.get(5));
        assertTrue(failed.matches(), run::toString);
        assertFalse(Files.exists(Path.of(failed.group(1))), () -> "the pages were left: " + run);

        final Matcher summary = FETCH_SUMMARY.matcher(out.get(6));
        assertTrue(summary.matches(), run::toString);
        assertEquals(workers.size(), Integer.parseInt(summary.group(1)), run::toString);
        assertEquals(run.pid(), Long.parseLong(summary.group(2)), run::toString);
        assertEquals(List.of(), run.stderr(), run::toString);
    }

    private static void expectClusterPool(final JarRun run)
    {
        final List<String> out = run.stdout();
        assertEquals(8, out.size(), run::toString);
        final Matcher cluster = CLUSTER.matcher(out.get(0));
        assertTrue(cluster.matches(), run::toString);
        final Set<String> members = Set.of(cluster.group(1), cluster.group(2), cluster.group(3));
        final Map<String, Set<String>> pidsByMember = new HashMap<>();
        for (int chunk = 0; chunk < 6; chunk++)
        {
            final Matcher line = CHUNK.matcher(out.get(1 + chunk));
            assertTrue(line.matches(), run::toString);
            assertEquals(chunk, Integer.parseInt(line.group(1)), run::toString);
            final String squares = IntStream.range(4 * chunk, 4 * chunk + 4).map(x -> x * x)
                .mapToObj(Integer::toString).collect(Collectors.joining(", "));
            assertEquals(squares, line.group(2), run::toString);
            pidsByMember.computeIfAbsent(line.group(3), m -> new HashSet<>()).add(line.group(4));
        }
        assertEquals(members, pidsByMember.keySet(), run::toString);
        assertEquals(3, pidsByMember.values().stream().flatMap(Set::stream).distinct().count(), run::toString);
        pidsByMember.values().forEach(pids -> assertEquals(1, pids.size(), run::toString));
        assertEquals("sum of the squares of 0 to 23 = 4324", out.get(7), run::toString);
    }

    /** @return the pid of each process's lines, by process number, checking that it starts before it finishes. */
    private static Map<String, Long> expectWorking(final JarRun run, final List<String> lines)
    {
        final Map<String, Long> pids = new HashMap<>();
        final Map<String, Integer> started = new HashMap<>();
        for (int i = 0; i < lines.size(); i++)
        {
            final String line = lines.get(i);
            final Matcher m = WORKING.matcher(line);
            assertTrue(m.matches(), () -> "unexpected line \"" + line + "\" in " + run);
            final long pid = Long.parseLong(m.group(1));
            assertEquals(pid, pids.computeIfAbsent(m.group(2), k -> pid), run::toString);
            if ("starts".equals(m.group(3)))
            {
                assertEquals(null, started.put(m.group(2), i), run::toString);
            }
            else
            {
                assertTrue(started.containsKey(m.group(2)), () -> "finished before it started: " + run);
            }
        }
        assertEquals(Set.of("1", "2"), pids.keySet(), run::toString);
        assertEquals(2, new HashSet<>(pids.values()).size(), () -> "two processes: " + run);
        assertFalse(pids.containsValue(run.pid()), () -> "a task ran in the parent: " + run);
        return pids;
    }

    private static void expectAsyncProcess(final JarRun run)
    {
        assertEquals(4, run.stdout().size(), run::toString);
        expectWorking(run, run.stdout());
        assertEquals(List.of(), run.stderr(), run::toString);
    }

    private static void expectAsyncWorker(final JarRun run)
    {
        final List<String> out = run.stdout();
        assertEquals(6, out.size(), run::toString);
        final Map<String, Long> pids = expectWorking(run, out.subList(0, 4));
        assertEquals(List.of(
            "result_1: result from [" + pids.get("1") + "] process 1",
            "result_2: result from [" + pids.get("2") + "] process 2"), out.subList(4, 6), run::toString);
        assertEquals(List.of(), run.stderr(), run::toString);
    }

    private static void expectAsyncPool(final JarRun run)
    {
        final List<String> out = run.stdout();
        assertEquals(11, out.size(), run::toString);
        final Set<String> gathered = new HashSet<>();
        for (final String line : out.subList(0, 5))
        {
            final Matcher m = ASYNC_IN_PARENT.matcher(line);
            assertTrue(m.matches(), () -> "unexpected line \"" + line + "\" in " + run);
            assertEquals(run.pid(), Long.parseLong(m.group(2)), run::toString);
            gathered.add(m.group(1));
        }
        final Set<String> mapped = new HashSet<>();
        for (final String line : out.subList(5, 10))
        {
            final Matcher m = IN_WORKER.matcher(line);
            assertTrue(m.matches(), () -> "unexpected line \"" + line + "\" in " + run);
            assertFalse(run.pid() == Long.parseLong(m.group(2)), run::toString);
            mapped.add(m.group(1));
        }
        assertEquals(Set.of("1", "2", "3", "4", "5"), gathered, run::toString);
        assertEquals(gathered, mapped, run::toString);
        assertEquals("pool.map -> [done 1, done 2, done 3, done 4, done 5]", out.get(10), run::toString);
        assertEquals(List.of(), run.stderr(), run::toString);
    }

    private static void expectAsyncPoolFetch(final JarRun run)
    {
        final List<String> out = run.stdout();
        assertEquals(9, out.size(), run::toString);
        for (int page = 1; page <= 8; page++)
        {
            final Matcher m = PAGE_GOT.matcher(out.get(page - 1));
            assertTrue(m.matches(), run::toString);
            assertEquals(page, Integer.parseInt(m.group(1)), () -> "in the order of the urls: " + run);
            assertEquals(page, Integer.parseInt(m.group(3)), run::toString);
            final int length = Integer.parseInt(m.group(2));
            assertEquals(("<html><head><title>Page " + page + "</title></head><body>" + "page ".repeat(page * 10) +
                "</body></html>").length(), length, run::toString);
        }
        assertEquals("8 pages in the order of the urls", out.get(8), run::toString);
        assertEquals(List.of(), run.stderr(), run::toString);
    }

    private static void expectAsyncPoolCookies(final JarRun run)
    {
        final List<String> out = run.stdout();
        assertEquals(10, out.size(), run::toString);
        final List<String> ports = new ArrayList<>();
        final List<String> sessions = new ArrayList<>();
        for (final String line : out)
        {
            final Matcher port = DP_PORT.matcher(line);
            final Matcher cookie = COOKIES.matcher(line);
            if (port.matches())
            {
                ports.add(port.group(1));
            }
            else
            {
                assertTrue(cookie.matches(), () -> "unexpected line \"" + line + "\" in " + run);
                sessions.add(cookie.group(1));
            }
        }
        ports.sort(null);
        sessions.sort(null);
        assertEquals(List.of("9301", "9302", "9303", "9304", "9305"), ports, run::toString);
        assertEquals(List.of("1", "2", "3", "4", "5"), sessions, run::toString);
        assertEquals(List.of(), run.stderr(), run::toString);
    }

    private static void expectGeventQueue(final JarRun run)
    {
        final int producers = Math.min(Runtime.getRuntime().availableProcessors(), 2);
        final Map<Integer, Integer> put = new HashMap<>();
        final Map<Integer, Integer> got = new HashMap<>();
        final Set<String> consumers = new HashSet<>();
        for (final String line : run.stdout())
        {
            final Matcher value = GOT_VALUE.matcher(line);
            if (PUT_NUMBER.matcher(line).matches())
            {
                put.merge(Integer.parseInt(line), 1, Integer::sum);
            }
            else
            {
                assertTrue(value.matches(), () -> "unexpected line \"" + line + "\" in " + run);
                consumers.add(value.group(1));
                got.merge(Integer.parseInt(value.group(2)), 1, Integer::sum);
            }
        }
        final Map<Integer, Integer> expected = new HashMap<>();
        IntStream.range(0, 50).forEach(no -> expected.put(no, producers * 10));
        assertEquals(expected, put, run::toString);
        assertEquals(expected, got, () -> "every number put was got once: " + run);
        assertTrue(consumers.size() >= 1 && consumers.size() <= producers, run::toString);
        assertEquals(List.of(), run.stderr(), run::toString);
    }

    private static void expectPoolVsProcesses(final JarRun run)
    {
        final List<String> out = run.stdout();
        assertEquals(4, out.size(), run::toString);
        final Matcher pool = POOL_TIME.matcher(out.get(0));
        final Matcher processes = PROCESSES_TIME.matcher(out.get(1));
        final Matcher faster = FASTER.matcher(out.get(3));
        assertAll(
            () -> assertTrue(pool.matches(), run::toString),
            () -> assertTrue(processes.matches(), run::toString),
            () -> assertEquals("both ways: the sum of the squares of 0 to 999999 is 333332833333500000", out.get(2),
                run::toString),
            () -> assertTrue(faster.matches(), run::toString));
        final long poolMillis = Long.parseLong(pool.group(1));
        final long processesMillis = Long.parseLong(processes.group(1));
        assertEquals(String.format(Locale.ROOT, "%.1f", (double)processesMillis / Math.max(1, poolMillis)),
            faster.group(1), run::toString);
        assertTrue(poolMillis < processesMillis, () -> "the pool was not faster: " + run);
        assertEquals(List.of(), run.stderr(), run::toString);
    }

    private static void expectDurableQueue(final JarRun run)
    {
        final List<String> out = run.stdout();
        assertEquals(3, out.size(), run::toString);
        final Matcher killed = DURABLE_KILLED.matcher(out.get(0));
        final Matcher found = DURABLE_FOUND.matcher(out.get(1));
        assertTrue(killed.matches(), run::toString);
        assertTrue(found.matches(), run::toString);
        final long puts = Long.parseLong(killed.group(1));
        final long items = Long.parseLong(found.group(1));
        assertTrue(puts >= 20_000, run::toString);
        assertTrue(items == puts || items == puts + 1, () -> "all acknowledged puts, and at most the one in flight: " + run);
        assertEquals("every acknowledged put was found", out.get(2), run::toString);
        assertEquals(List.of(), run.stderr(), run::toString);
    }

    private static List<String> listedDemos(final List<String> listing)
    {
        final List<String> names = new ArrayList<>();
        for (final String line : listing)
        {
            if (line.startsWith("  "))
            {
                names.add(line.trim().split("\\s+")[0]);
            }
        }
        return names;
    }
}
