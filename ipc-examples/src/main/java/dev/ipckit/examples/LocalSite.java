package dev.ipckit.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A small web site on 127.0.0.1 (a free port) for the demos whose originals fetch URLs: pages
 * {@code /page-<n>.html} with the title {@code Page <n>}, served after {@code delayMillis} (a slow
 * network), each setting a cookie {@code session=<n>}. Closing it stops the server.
 */
final class LocalSite implements AutoCloseable
{
    private final HttpServer server;
    private final ExecutorService threads;

    private LocalSite(final HttpServer server, final ExecutorService threads)
    {
        this.server = server;
        this.threads = threads;
    }

    static LocalSite start(final long delayMillis) throws IOException
    {
        final HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        final ExecutorService threads = Executors.newCachedThreadPool(runnable ->
        {
            final Thread thread = new Thread(runnable, "local-site");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(threads);
        server.createContext("/", exchange -> serve(exchange, delayMillis));
        server.start();
        return new LocalSite(server, threads);
    }

    /**
     * @param page the page number.
     * @return its address.
     */
    String url(final int page)
    {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/page-" + page + ".html";
    }

    /**
     * @param page the page number.
     * @return its content.
     */
    static String page(final int page)
    {
        return "<html><head><title>Page " + page + "</title></head><body>" + "page ".repeat(page * 10) +
            "</body></html>";
    }

    @Override
    public void close()
    {
        server.stop(0);
        threads.shutdownNow();
    }

    private static void serve(final HttpExchange exchange, final long delayMillis) throws IOException
    {
        try (exchange)
        {
            final String path = exchange.getRequestURI().getPath();
            if (!path.matches("/page-\\d+\\.html"))
            {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            Thread.sleep(delayMillis);
            final int page = Integer.parseInt(path.replaceAll("\\D", ""));
            final byte[] body = page(page).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.getResponseHeaders().add("Set-Cookie", "session=" + page + "; Path=/");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(body);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
