package dev.ipckit.examples;

import dev.ipckit.process.ProcessPool;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpCookie;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * aiomultiprocess's pool starting a browser per debug port (003-BH): {@code await
 * aio_pool.map(startup_chrome, [9301 + offset for offset in range(5)])}, where each task logs
 * {@code dp_port ---> 9301}, opens a page, waits, reads the page's cookies and logs them as JSON.
 * Without Chrome or a network, each task opens a page of a site the parent serves on 127.0.0.1
 * (page {@code port - 9300}, which sets the cookie {@code session=<n>}), waits 200 ms (the
 * original's 5 s) and logs {@code cookie_string ---> [{"name": "session", "value": "1", ...}]}.
 * The pool runs up to sixteen tasks at once in each worker, as aiomultiprocess's default
 * {@code childconcurrency}. Lines are {@code INFO | dp_port ---> 9301} (loguru adds a time stamp
 * and the caller; pids and times aside, the messages are the original's).
 */
public final class AsyncPoolCookies
{
    private static final int FIRST_PORT = 9301;

    private AsyncPoolCookies()
    {
    }

    /**
     * @param args ignored.
     * @throws Exception if the site cannot start, a task fails, or a wait is interrupted.
     */
    public static void main(final String[] args) throws Exception
    {
        try (LocalSite site = LocalSite.start(0))
        {
            final String firstPage = site.url(1);
            final String siteRoot = firstPage.substring(0, firstPage.lastIndexOf('/') + 1);
            final List<Integer> dbList = new ArrayList<>();
            for (int offset = 0; offset < 5; offset++)
            {
                dbList.add(FIRST_PORT + offset);
            }
            try (ProcessPool aioPool = ProcessPool.builder().concurrency(16).build())
            {
                aioPool.mapAsync((Integer dpPort) -> startupChrome(siteRoot, dpPort), dbList, 1)
                    .toCompletableFuture().get();
            }
        }
    }

    private static String startupChrome(final String siteRoot, final int dpPort)
    {
        System.out.println("INFO | dp_port ---> " + dpPort);
        final String url = siteRoot + "page-" + (dpPort - FIRST_PORT + 1) + ".html";
        try
        {
            final HttpURLConnection tab = (HttpURLConnection)URI.create(url).toURL().openConnection();
            final List<HttpCookie> cookies = new ArrayList<>();
            try (InputStream page = tab.getInputStream())
            {
                page.readAllBytes();
                for (final Map.Entry<String, List<String>> header : tab.getHeaderFields().entrySet())
                {
                    if ("Set-Cookie".equalsIgnoreCase(header.getKey()))
                    {
                        for (final String value : header.getValue())
                        {
                            cookies.addAll(HttpCookie.parse(value));
                        }
                    }
                }
            }
            Thread.sleep(200);
            final String cookieString = cookies.stream()
                .map(c -> "{\"name\": \"" + c.getName() + "\", \"value\": \"" + c.getValue() + "\", \"path\": \"" +
                    c.getPath() + "\"}")
                .reduce((a, b) -> a + ", " + b).map(json -> "[" + json + "]").orElse("[]");
            System.out.println("INFO | cookie_string ---> " + cookieString);
            return cookieString;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
