package dev.ipckit.examples;

import dev.ipckit.process.AsyncResult;
import dev.ipckit.process.ProcessPool;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * The {@code apply_async(fetch, (url,), callback=..., error_callback=...)} pattern of Python's
 * {@code multiprocessing.Pool}, without a network: the parent writes five small pages,
 * {@code page-1.html} to {@code page-5.html}, to a temporary directory (deleted at the end), and
 * asks a pool of three workers to "fetch" each, and {@code page-6.html}, which is missing. A worker
 * reads its page and returns its size, title and CRC-32; the callback, in the parent, collects it,
 * and the error callback collects the failure. Prints, sorted by page, one line per page such as
 * {@code fetched page-3.html: 290 bytes, title "Page 3", crc32 afaa38f8, in worker 4242}, then
 * {@code failed page-6.html: java.nio.file.NoSuchFileException: /tmp/.../page-6.html}, then a
 * summary: {@code 5 pages fetched (1459 bytes) by 3 workers, 1 failed; the callbacks ran in the
 * parent, pid 4200}.
 */
public final class PoolCallback
{
    private static final int PAGES = 5;
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Pattern TITLE = Pattern.compile("<title>(.*)</title>");

    private PoolCallback()
    {
    }

    /**
     * @param args ignored.
     * @throws Exception if the pages cannot be written, or a wait is interrupted.
     */
    public static void main(final String[] args) throws Exception
    {
        final Path site = Files.createTempDirectory("ipckit-pages-");
        try
        {
            final List<String> names = new ArrayList<>();
            for (int i = 1; i <= PAGES; i++)
            {
                final String name = "page-" + i + ".html";
                Files.writeString(site.resolve(name), page(i), StandardCharsets.UTF_8);
                names.add(name);
            }
            names.add("page-" + (PAGES + 1) + ".html");

            final List<Page> fetched = new ArrayList<>();
            final List<String> failed = new ArrayList<>();
            final Set<Long> callbackPids = new TreeSet<>();
            try (ProcessPool pool = ProcessPool.create(3))
            {
                final List<AsyncResult<Page>> results = new ArrayList<>();
                for (final String name : names)
                {
                    final String path = site.resolve(name).toString();
                    results.add(pool.applyAsync(
                        () -> fetch(path),
                        page ->
                        {
                            fetched.add(page);
                            callbackPids.add(ProcessHandle.current().pid());
                        },
                        error ->
                        {
                            failed.add("failed " + name + ": " + error);
                            callbackPids.add(ProcessHandle.current().pid());
                        }));
                }
                // a result is ready once its callback has run: then the lists hold what it added
                for (final AsyncResult<Page> result : results)
                {
                    result.await(PATIENCE);
                }
            }

            fetched.sort(Comparator.comparing(Page::name));
            final Set<Long> workers = new TreeSet<>();
            long bytes = 0;
            for (final Page page : fetched)
            {
                System.out.println("fetched " + page.name() + ": " + page.bytes() + " bytes, title \"" + page.title() +
                    "\", crc32 " + String.format("%08x", page.crc32()) + ", in worker " + page.pid());
                workers.add(page.pid());
                bytes += page.bytes();
            }
            failed.forEach(System.out::println);
            final long parent = ProcessHandle.current().pid();
            System.out.println(fetched.size() + " pages fetched (" + bytes + " bytes) by " + workers.size() +
                (1 == workers.size() ? " worker, " : " workers, ") + failed.size() + " failed; the callbacks ran in " +
                (Set.of(parent).equals(callbackPids) ? "the parent, pid " + parent : "pids " + callbackPids));
        }
        finally
        {
            deleteTree(site);
        }
    }

    /**
     * What a worker runs: reads the page, as a fetch would download it.
     */
    private static Page fetch(final String path) throws IOException
    {
        final Path file = Path.of(path);
        final byte[] content = Files.readAllBytes(file);
        final CRC32 crc = new CRC32();
        crc.update(content);
        final Matcher title = TITLE.matcher(new String(content, StandardCharsets.UTF_8));
        return new Page(file.getFileName().toString(), content.length, title.find() ? title.group(1) : "",
            crc.getValue(), ProcessHandle.current().pid());
    }

    private static String page(final int number)
    {
        final StringBuilder html = new StringBuilder()
            .append("<html>\n<head><title>Page ").append(number).append("</title></head>\n<body>\n");
        for (int line = 1; line <= number * 3; line++)
        {
            html.append("<p>Line ").append(line).append(" of page ").append(number).append(".</p>\n");
        }
        return html.append("</body>\n</html>\n").toString();
    }

    private static void deleteTree(final Path dir) throws IOException
    {
        try (Stream<Path> entries = Files.walk(dir))
        {
            for (final Path entry : entries.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(entry);
            }
        }
    }

    /**
     * What a fetch returns: the page's name, size, title and CRC-32, and the pid of the worker
     * that read it.
     */
    private record Page(String name, int bytes, String title, long crc32, long pid) implements Serializable
    {
    }
}
