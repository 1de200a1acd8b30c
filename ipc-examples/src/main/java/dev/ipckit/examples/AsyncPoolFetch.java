package dev.ipckit.examples;

import dev.ipckit.process.ProcessPool;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * aiomultiprocess's pool over URLs (003-BF): {@code async with Pool() as pool: async for result in
 * pool.map(get, urls)}. Without a network, the parent serves eight pages on 127.0.0.1, each after
 * 300 ms (a slow site); a pool of two workers, each running up to four requests at once
 * ({@code childconcurrency}: {@link ProcessPool.Builder#concurrency(int)}), gets them, and the
 * parent takes the texts as a {@link Flow.Publisher}, one at a time and in the order of the URLs
 * ({@code async for}). The original's loop body is {@code ...}; this port prints one line per
 * result, {@code page-3.html: 210 characters, title "Page 3"}, then
 * {@code 8 pages in the order of the urls}.
 */
public final class AsyncPoolFetch
{
    private static final int PAGES = 8;
    private static final Pattern TITLE = Pattern.compile("<title>(.*)</title>");

    private AsyncPoolFetch()
    {
    }

    /**
     * @param args ignored.
     * @throws Exception if the site cannot start, a page cannot be got, or a wait is interrupted.
     */
    public static void main(final String[] args) throws Exception
    {
        try (LocalSite site = LocalSite.start(300);
            ProcessPool pool = ProcessPool.builder().processes(2).concurrency(4).build())
        {
            final List<String> urls = new ArrayList<>();
            for (int i = 1; i <= PAGES; i++)
            {
                urls.add(site.url(i));
            }
            final AsyncFor loop = new AsyncFor(urls);
            pool.publish(AsyncPoolFetch::get, urls).subscribe(loop);
            loop.await();
        }
    }

    private static String get(final String url)
    {
        try (InputStream response = URI.create(url).toURL().openStream())
        {
            return new String(response.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** The body of {@code async for result in pool.map(get, urls)}: one result at a time. */
    private static final class AsyncFor implements Flow.Subscriber<String>
    {
        private final List<String> urls;
        private final CountDownLatch ended = new CountDownLatch(1);
        private Flow.Subscription subscription;
        private int taken;
        private Throwable failure;

        AsyncFor(final List<String> urls)
        {
            this.urls = urls;
        }

        @Override
        public void onSubscribe(final Flow.Subscription subscription)
        {
            this.subscription = subscription;
            subscription.request(1);
        }

        @Override
        public void onNext(final String result)
        {
            final String url = urls.get(taken++);
            final Matcher title = TITLE.matcher(result);
            System.out.println(url.substring(url.lastIndexOf('/') + 1) + ": " + result.length() + " characters, title \"" +
                (title.find() ? title.group(1) : "") + "\"");
            subscription.request(1);
        }

        @Override
        public void onError(final Throwable throwable)
        {
            failure = throwable;
            ended.countDown();
        }

        @Override
        public void onComplete()
        {
            System.out.println(taken + " pages in the order of the urls");
            ended.countDown();
        }

        void await() throws Exception
        {
            ended.await();
            if (null != failure)
            {
                throw new IllegalStateException("a page could not be got", failure);
            }
        }
    }
}
