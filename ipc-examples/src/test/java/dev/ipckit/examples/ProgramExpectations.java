package dev.ipckit.examples;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the demos that port the tutorials' programs (labels as in the seeds' README) print: the
 * facts that hold whatever the timing (counts, order where the program fixes it, distinct pids),
 * for {@link DemosIT}.
 */
final class ProgramExpectations
{
    private static final Pattern NUMBER_PID = Pattern.compile("(\\d+) (\\d+)");
    private static final Pattern APPLY_TIME = Pattern.compile("apply: 20 tasks one after another in (\\d+\\.\\d) s");
    private static final Pattern APPLY_ASYNC_TIME = Pattern.compile(
        "apply_async: 20 tasks on 5 workers in (\\d+\\.\\d) s");
    private static final Pattern SERVING = Pattern.compile(
        "server: 3 worker processes accepting on 127\\.0\\.0\\.1:(\\d+), pids \\[(\\d+), (\\d+), (\\d+)]");
    private static final Pattern CLIENT_HELLO = Pattern.compile("\\[client-([1-3])] hello");
    private static final Pattern SERVER_BYE = Pattern.compile("\\[(\\d+)] bye");
    private static final Pattern WORKER_FUNC_PID = Pattern.compile("worker_func \\[进程号:(\\d+)] ---> (\\d+)");
    private static final Pattern WORKER_NAME_PID = Pattern.compile("进程号:(\\d+) ---> 进程名:(Worker-\\d+)");
    private static final Pattern DURING = Pattern.compile(
        "DURING: IpcProcess\\{name=(IpcProcess-\\d+), pid=(\\d+), started} true");
    private static final Pattern GET_PUT = Pattern.compile("(\\d+)\\(get\\):(\\d+)\\(put\\):\\d+\\.\\d{3}");
    private static final Pattern PROCESS_PID = Pattern.compile("process (\\d+)");
    private static final Pattern POOL_RESULT = Pattern.compile("\t ProcessPool-\\d+-Worker-\\d+ says that (.+)");
    private static final Pattern TIMED_RESULT = Pattern.compile("\tProcessPool-\\d+-Worker-\\d+ says that (.+?)\\.*");
    private static final Pattern FUNC_PID = Pattern.compile("(func_[1-3]) ---> (\\d+)");
    private static final Pattern FUNC_RAN = Pattern.compile("(func_[1-3]) ---> 运行 ([0-9.E-]+)秒");
    private static final Pattern SEQUENTIAL = Pattern.compile("顺序执行时间: (\\d+\\.\\d)");
    private static final Pattern PARALLEL = Pattern.compile("并行执行时间: (\\d+\\.\\d)");
    private static final Pattern STARTING = Pattern.compile("Starting (ProcessPool-\\d+-Worker-\\d+)");
    private static final Pattern ANALYSIS = Pattern.compile("analysis: \\[(.*)]");
    private static final Pattern RUNNING = Pattern.compile("Process-(\\d+) running, pid:(\\d+)");
    private static final Pattern FINISH = Pattern.compile("Process-(\\d+) finish, time consuming:\\d+\\.\\d\\d");

    private ProgramExpectations()
    {
    }

    /** 000-F. */
    static void poolMapPids(final JarRun run)
    {
        final List<String> out = run.stdout();
        assertEquals(22, out.size(), run::toString);
        assertTrue(out.get(0).matches("[1-9]\\d*"), run::toString);
        final List<Integer> numbers = new ArrayList<>();
        final Set<Long> pids = new HashSet<>();
        for (final String line : out.subList(1, 21))
        {
            final Matcher m = matches(NUMBER_PID, line, run);
            numbers.add(Integer.parseInt(m.group(1)));
            pids.add(Long.parseLong(m.group(2)));
        }
        assertEquals(range(0, 20), sorted(numbers), run::toString);
        assertWorkers(pids, 5, run);
        assertEquals("====>", out.get(21), run::toString);
        assertNoStderr(run);
    }

    /** 000-H/I. */
    static void poolApplyVsAsync(final JarRun run)
    {
        final List<String> out = run.stdout();
        assertEquals(2, out.size(), run::toString);
        final double apply = Double.parseDouble(matches(APPLY_TIME, out.get(0), run).group(1));
        final double applyAsync = Double.parseDouble(matches(APPLY_ASYNC_TIME, out.get(1), run).group(1));
        assertTrue(apply >= 2.0, () -> "twenty tasks of 0.1 s one after another took less than 2 s: " + run);
        assertTrue(applyAsync < apply, () -> "apply_async was not faster than apply: " + run);
        assertNoStderr(run);
    }

    /** 000-D. */
    static void queueReadersWriters(final JarRun run)
    {
        final List<Integer> expected = new ArrayList<>();
        for (int writer = 0; writer < 5; writer++)
        {
            expected.addAll(range(0, 10));
        }
        assertEquals(sorted(expected), sorted(run.stdout().stream().map(Integer::valueOf).toList()), run::toString);
        assertNoStderr(run);
    }

    /** 001-J/K. */
    static void poolMapPrints(final JarRun run)
    {
        final List<String> out = run.stdout();
        assertEquals(30, out.size(), run::toString);
        final List<Integer> numbers = new ArrayList<>();
        final Set<Long> pids = new HashSet<>();
        for (final String line : out.subList(0, 20))
        {
            assertTrue(line.matches("\\d+"), () -> "unexpected line \"" + line + "\" in " + run);
            final long value = Long.parseLong(line);
            if (value < 10)
            {
                numbers.add((int)value);
            }
            else
            {
                pids.add(value);
            }
        }
        assertEquals(range(0, 10), sorted(numbers), run::toString);
        assertWorkers(pids, Runtime.getRuntime().availableProcessors(), run);
        assertEquals(IntStream.range(0, 10).mapToObj(i -> "--> " + i).toList(), out.subList(20, 30), run::toString);
        assertNoStderr(run);
    }

    /** 001-P. */
    static void tcpServer(final JarRun run)
    {
        final List<String> out = run.stdout();
        assertEquals(1 + 9 + 9, out.size(), run::toString);
        final Matcher serving = matches(SERVING, out.get(0), run);
        final Set<Long> workers = new HashSet<>();
        for (int i = 2; i <= 4; i++)
        {
            workers.add(Long.parseLong(serving.group(i)));
        }
        assertEquals(3, workers.size(), run::toString);
        assertFalse(workers.contains(run.pid()), run::toString);

        final Map<String, Integer> hellos = new HashMap<>();
        int byes = 0;
        for (final String line : out.subList(1, out.size()))
        {
            final Matcher hello = CLIENT_HELLO.matcher(line);
            if (hello.matches())
            {
                hellos.merge(hello.group(1), 1, Integer::sum);
                continue;
            }
            final Matcher bye = matches(SERVER_BYE, line, run);
            assertTrue(workers.contains(Long.parseLong(bye.group(1))), () -> "served outside the workers: " + run);
            byes++;
        }
        assertEquals(Map.of("1", 3, "2", 3, "3", 3), hellos, run::toString);
        assertEquals(9, byes, run::toString);
        assertNoStderr(run);
    }

    /** 002-Q. */
    static void poolSquares(final JarRun run)
    {
        assertEquals(List.of("[1, 4, 9, 16, 25, 36, 49, 64, 81, 100]"), run.stdout(), run::toString);
        assertNoStderr(run);
    }

    /** 002-S. */
    static void valueArraySet(final JarRun run)
    {
        assertEquals(List.of("3.14", "[5, 1, 2, 3, 4, 5, 6, 7, 8, 9]"), run.stdout(), run::toString);
        assertNoStderr(run);
    }

    /** 003-W. */
    static void processPids(final JarRun run)
    {
        final List<Integer> nums = new ArrayList<>();
        final Set<Long> pids = new HashSet<>();
        for (final String line : run.stdout())
        {
            final Matcher m = matches(WORKER_FUNC_PID, line, run);
            pids.add(Long.parseLong(m.group(1)));
            nums.add(Integer.parseInt(m.group(2)));
        }
        assertEquals(range(0, 5), sorted(nums), run::toString);
        assertChildren(pids, 5, run);
        assertNoStderr(run);
    }

    /** 003-X. */
    static void processSubclass(final JarRun run)
    {
        final List<String> names = new ArrayList<>();
        final Set<Long> pids = new HashSet<>();
        for (final String line : run.stdout())
        {
            final Matcher m = matches(WORKER_NAME_PID, line, run);
            pids.add(Long.parseLong(m.group(1)));
            names.add(m.group(2));
        }
        assertEquals(List.of("Worker-1", "Worker-2", "Worker-3", "Worker-4", "Worker-5"), sorted(names), run::toString);
        assertChildren(pids, 5, run);
        assertNoStderr(run);
    }

    /** 003-Z. */
    static void terminate(final JarRun run)
    {
        final List<String> status = run.stdout().stream()
            .filter(line -> !"Starting worker".equals(line) && !"Finished worker".equals(line))
            .toList();
        assertTrue(run.stdout().size() - status.size() <= 2, run::toString);
        assertEquals(4, status.size(), run::toString);
        final Matcher during = matches(DURING, status.get(1), run);
        final String name = during.group(1);
        final String pid = during.group(2);
        assertEquals(List.of(
            "BEFORE: IpcProcess{name=" + name + ", initial} false",
            "DURING: IpcProcess{name=" + name + ", pid=" + pid + ", started} true",
            "TERMINATED: IpcProcess{name=" + name + ", pid=" + pid + ", started} true",
            "JOINED: IpcProcess{name=" + name + ", pid=" + pid + ", exitCode=-15} false"), status, run::toString);
        assertNoStderr(run);
    }

    /** 003-AB. */
    static void pipeBetweenChildren(final JarRun run)
    {
        assertEquals(List.of("proc2 rec: hello", "proc1 rec: hello, too"), run.stdout(), run::toString);
        assertNoStderr(run);
    }

    /** 003-AC. */
    static void queueBounded(final JarRun run)
    {
        final Set<Long> getters = new HashSet<>();
        final Set<Long> putters = new HashSet<>();
        for (final String line : run.stdout())
        {
            final Matcher m = matches(GET_PUT, line, run);
            getters.add(Long.parseLong(m.group(1)));
            putters.add(Long.parseLong(m.group(2)));
        }
        assertEquals(10, run.stdout().size(), run::toString);
        assertChildren(getters, 10, run);
        assertChildren(putters, 10, run);
        assertTrue(Collections.disjoint(getters, putters), run::toString);
        assertNoStderr(run);
    }

    /** 003-AD. */
    static void queueObject(final JarRun run)
    {
        assertEquals(List.of("IpcProcess-1 ---> Fancy Dan"), run.stdout(), run::toString);
        assertNoStderr(run);
    }

    /** 003-AF. */
    static void queueList(final JarRun run)
    {
        assertEquals(List.of("[42, null, hello]"), run.stdout(), run::toString);
        assertNoStderr(run);
    }

    /** 003-AI. */
    static void threadsVsProcesses(final JarRun run)
    {
        final List<String> out = run.stdout();
        assertEquals(11, out.size(), run::toString);
        assertEquals("Main: " + run.pid(), out.get(0), run::toString);
        assertEquals(Collections.nCopies(5, "thread " + run.pid()), out.subList(1, 6), run::toString);
        final Set<Long> pids = new HashSet<>();
        for (final String line : out.subList(6, 11))
        {
            pids.add(Long.parseLong(matches(PROCESS_PID, line, run).group(1)));
        }
        assertChildren(pids, 5, run);
        assertNoStderr(run);
    }

    /** 003-AP. */
    static void queueBigItem(final JarRun run)
    {
        assertEquals(List.of("joined: exit code 0", "got 1000000 characters, all X"), run.stdout(), run::toString);
        assertNoStderr(run);
    }

    /** 003-AS. */
    static void poolTest(final JarRun run)
    {
        final List<String> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++)
        {
            calls.add("mul(" + i + ", 7) = " + i * 7);
        }
        for (int i = 0; i < 10; i++)
        {
            calls.add("plus(" + i + ", 8) = " + (i + 8));
        }
        final List<String> out = run.stdout();
        assertEquals(121, out.size(), run::toString);
        assertAll(
            () -> assertEquals(List.of("Creating pool with 4 processes", "",
                "Ordered results using pool.applyAsync():"), out.subList(0, 3), run::toString),
            () -> assertEquals(calls, results(POOL_RESULT, out.subList(3, 23), run), run::toString),
            () -> assertEquals(List.of("", "Ordered results using pool.imap():"), out.subList(23, 25), run::toString),
            () -> assertEquals(calls, results(POOL_RESULT, out.subList(25, 45), run), run::toString),
            () -> assertEquals(List.of("", "Unordered results using pool.imapUnordered():"), out.subList(45, 47),
                run::toString),
            () -> assertEquals(sorted(calls), sorted(results(POOL_RESULT, out.subList(47, 67), run)), run::toString),
            () -> assertEquals(List.of("", "Ordered results using pool.map() --- will block till complete:"),
                out.subList(67, 69), run::toString),
            () -> assertEquals(calls, results(POOL_RESULT, out.subList(69, 89), run), run::toString),
            () -> assertEquals(List.of("",
                "Testing error handling:",
                "\tGot ArithmeticException as expected from pool.apply()",
                "\tGot ArithmeticException as expected from pool.map()",
                "\tGot ArithmeticException as expected from list(pool.imap())",
                "\tGot ArithmeticException as expected from ResultIterator.next()",
                ""), out.subList(89, 96), run::toString),
            () -> assertTrue(out.get(96).matches("Testing AsyncResult\\.get\\(\\) with timeout: \\.*"), run::toString),
            () -> assertEquals(calls.subList(0, 1), results(TIMED_RESULT, out.subList(97, 98), run), run::toString),
            () -> assertEquals("", out.get(98), run::toString),
            () -> assertTrue(out.get(99).matches("Testing ResultIterator\\.next\\(\\) with timeout: \\.*"),
                run::toString),
            () -> assertEquals(calls, results(TIMED_RESULT, out.subList(100, 120), run), run::toString),
            () -> assertEquals("", out.get(120), run::toString));
        assertNoStderr(run);
    }

    /** 003-AU. */
    static void poolApplyAsyncCpu(final JarRun run)
    {
        final List<String> out = run.stdout();
        assertEquals(31, out.size(), run::toString);
        final List<String> expected = new ArrayList<>();
        for (int i = 0; i < 10; i++)
        {
            expected.addAll(Collections.nCopies(3, "process_name_" + i + " ---> hello " + i));
        }
        assertEquals(sorted(expected), sorted(out.subList(0, 30)), run::toString);
        assertEquals("主线程退出", out.get(30), run::toString);
        assertNoStderr(run);
    }

    /** 003-AV. */
    static void poolRandomSleeps(final JarRun run)
    {
        final List<String> out = run.stdout();
        assertEquals(9, out.size(), run::toString);
        assertEquals("父进程 ---> " + run.pid(), out.get(0), run::toString);
        assertEquals("所有进程都完成", out.get(8), run::toString);
        final Map<String, Integer> started = new HashMap<>();
        final Set<String> ran = new HashSet<>();
        final Set<Long> pids = new HashSet<>();
        int waiting = 0;
        for (int i = 1; i < 8; i++)
        {
            final String line = out.get(i);
            final Matcher pid = FUNC_PID.matcher(line);
            final Matcher time = FUNC_RAN.matcher(line);
            if ("等待字进程...".equals(line))
            {
                waiting++;
            }
            else if (pid.matches())
            {
                assertTrue(null == started.put(pid.group(1), i), run::toString);
                pids.add(Long.parseLong(pid.group(2)));
            }
            else
            {
                assertTrue(time.matches(), () -> "unexpected line \"" + line + "\" in " + run);
                assertTrue(started.containsKey(time.group(1)), () -> time.group(1) + " ended before it began: " + run);
                assertTrue(Double.parseDouble(time.group(2)) >= 0, run::toString);
                assertTrue(ran.add(time.group(1)), run::toString);
            }
        }
        assertEquals(1, waiting, run::toString);
        assertEquals(Set.of("func_1", "func_2", "func_3"), ran, run::toString);
        assertWorkers(pids, 3, run);
        assertNoStderr(run);
    }

    /** 003-AW. */
    static void poolApplyBlocking(final JarRun run)
    {
        assertEquals(IntStream.range(0, 4).mapToObj(i -> "worker_func ---> hello " + i).toList(), run.stdout(),
            run::toString);
        assertNoStderr(run);
    }

    /** 003-AX. */
    static void sequentialVsParallel(final JarRun run)
    {
        final List<String> out = run.stdout();
        assertEquals(21, out.size(), run::toString);
        final List<String> nine = Collections.nCopies(9, "arg * arg");
        assertEquals(nine, out.subList(0, 9), run::toString);
        final double sequential = Double.parseDouble(matches(SEQUENTIAL, out.get(9), run).group(1));
        assertEquals(nine, out.subList(10, 19), run::toString);
        final double parallel = Double.parseDouble(matches(PARALLEL, out.get(19), run).group(1));
        assertEquals("map 的所有子进程返回的结果列表: [1, 4, 9, 16, 25, 36, 49, 64, 81]", out.get(20),
            run::toString);
        assertTrue(sequential >= 2.7, () -> "nine calls of 0.3 s took less than 2.7 s: " + run);
        assertTrue(parallel < sequential, () -> "the pool was not faster: " + run);
        assertNoStderr(run);
    }

    /** 003-AY. */
    static void applyAsyncResults(final JarRun run)
    {
        final List<String> out = run.stdout();
        assertEquals(41, out.size(), run::toString);
        final List<String> hellos = new ArrayList<>();
        for (int i = 0; i < 10; i++)
        {
            hellos.addAll(Collections.nCopies(3, "hello " + i));
        }
        assertEquals(sorted(hellos), sorted(out.subList(0, 30)), run::toString);
        assertEquals(IntStream.range(0, 10).mapToObj(i -> "done hello " + i).toList(), out.subList(30, 40),
            run::toString);
        assertEquals("Sub-process(es) done.", out.get(40), run::toString);
        assertNoStderr(run);
    }

    /** 003-AZ. */
    static void poolInitializer(final JarRun run)
    {
        final int workers = 2 * Runtime.getRuntime().availableProcessors();
        final List<String> out = run.stdout();
        assertEquals(2 + 1 + workers + 1, out.size(), run::toString);
        assertEquals(List.of(
            "Inputs  : [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]",
            "Build-In : [0, 2, 4, 6, 8, 10, 12, 14, 16, 18]"), out.subList(0, 2), run::toString);
        final List<String> middle = new ArrayList<>(out.subList(2, out.size() - 1));
        assertTrue(middle.remove("-".repeat(20)), run::toString);
        final Set<String> names = new HashSet<>();
        for (final String line : middle)
        {
            names.add(matches(STARTING, line, run).group(1));
        }
        assertEquals(workers, names.size(), run::toString);
        assertEquals("Pool  : [0, 2, 4, 6, 8, 10, 12, 14, 16, 18]", out.get(out.size() - 1), run::toString);
        assertNoStderr(run);
    }

    /** 004-BI. */
    static void sayHiYes(final JarRun run)
    {
        final List<String> expected = new ArrayList<>(Collections.nCopies(5, "Hi-------"));
        expected.addAll(Collections.nCopies(5, "Yes------"));
        assertEquals(expected, sorted(run.stdout()), run::toString);
        assertNoStderr(run);
    }

    /** 004-BJ. */
    static void queueDownloadAnalysis(final JarRun run)
    {
        final List<String> out = run.stdout();
        assertEquals(2, out.size(), run::toString);
        assertTrue(out.contains("download: 下载完成并存入队列"), run::toString);
        final String analysis = out.get(out.get(0).startsWith("download") ? 1 : 0);
        final String got = matches(ANALYSIS, analysis, run).group(1);
        assertTrue(List.of("11", "11, 22", "11, 22, 33", "11, 22, 33, 44").contains(got), run::toString);
        assertNoStderr(run);
    }

    /** 004-BK. */
    static void poolStartEnd(final JarRun run)
    {
        final List<String> out = run.stdout();
        assertEquals(22, out.size(), run::toString);
        assertEquals("------start------", out.get(0), run::toString);
        assertEquals("-------end-------", out.get(21), run::toString);
        final Set<Integer> running = new HashSet<>();
        final Set<Integer> finished = new HashSet<>();
        final Set<Long> pids = new HashSet<>();
        for (final String line : out.subList(1, 21))
        {
            final Matcher start = RUNNING.matcher(line);
            if (start.matches())
            {
                assertTrue(running.add(Integer.parseInt(start.group(1))), run::toString);
                pids.add(Long.parseLong(start.group(2)));
                continue;
            }
            final int task = Integer.parseInt(matches(FINISH, line, run).group(1));
            assertTrue(running.contains(task), () -> "Process-" + task + " finished before it ran: " + run);
            assertTrue(finished.add(task), run::toString);
        }
        assertEquals(new HashSet<>(range(1, 11)), running, run::toString);
        assertEquals(running, finished, run::toString);
        assertWorkers(pids, 3, run);
        assertNoStderr(run);
    }

    private static List<String> results(final Pattern pattern, final List<String> lines, final JarRun run)
    {
        final List<String> results = new ArrayList<>();
        for (final String line : lines)
        {
            results.add(matches(pattern, line, run).group(1));
        }
        return results;
    }

    private static Matcher matches(final Pattern pattern, final String line, final JarRun run)
    {
        final Matcher m = pattern.matcher(line);
        assertTrue(m.matches(), () -> "\"" + line + "\" is not " + pattern + " in " + run);
        return m;
    }

    /** Pool workers: at least one, at most {@code max}, none of them the parent. */
    private static void assertWorkers(final Set<Long> pids, final int max, final JarRun run)
    {
        assertFalse(pids.isEmpty(), run::toString);
        assertTrue(pids.size() <= max, () -> "more than " + max + " workers: " + run);
        assertFalse(pids.contains(run.pid()), () -> "a task ran in the parent: " + run);
    }

    /** Children: exactly {@code count} distinct pids, none of them the parent. */
    private static void assertChildren(final Set<Long> pids, final int count, final JarRun run)
    {
        assertEquals(count, pids.size(), run::toString);
        assertFalse(pids.contains(run.pid()), () -> "the parent ran a child's part: " + run);
    }

    private static void assertNoStderr(final JarRun run)
    {
        assertEquals(List.of(), run.stderr(), run::toString);
    }

    private static List<Integer> range(final int from, final int to)
    {
        return IntStream.range(from, to).boxed().collect(Collectors.toList());
    }

    private static <T extends Comparable<? super T>> List<T> sorted(final List<T> list)
    {
        final List<T> copy = new ArrayList<>(list);
        Collections.sort(copy);
        return copy;
    }
}
