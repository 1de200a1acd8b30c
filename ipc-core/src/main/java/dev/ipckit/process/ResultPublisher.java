package dev.ipckit.process;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * {@link ProcessPool#publish}: each subscription submits the elements, one job each, as its
 * subscriber's demand allows, and delivers the results in the order of the elements.
 * <p>
 * In flight (submitted, result not yet delivered) are at most the demand not yet met plus
 * {@code window} elements. Signals come from one drain at a time (a work-in-progress counter, as in
 * the reactive-streams examples) on a thread of {@link #SIGNALS}, never on a pool's reader
 * thread, so that a slow subscriber stalls no worker.
 *
 * @param <T> the element type.
 * @param <R> the result type.
 */
final class ResultPublisher<T, R> implements Flow.Publisher<R>
{
    private static final ExecutorService SIGNALS = VirtualThreads.perTaskExecutor("ipckit-publisher");

    private final PoolJobs jobs;
    private final SerializableFunction<T, R> function;
    private final Iterable<T> elements;
    private final int window;

    ResultPublisher(final PoolJobs jobs, final SerializableFunction<T, R> function, final Iterable<T> elements,
        final int window)
    {
        this.jobs = jobs;
        this.function = function;
        this.elements = elements;
        this.window = window;
    }

    @Override
    public void subscribe(final Flow.Subscriber<? super R> subscriber)
    {
        new Subscription(Objects.requireNonNull(subscriber, "subscriber")).start();
    }

    /** One run of the elements for one subscriber. Fields without a modifier belong to the drain. */
    private final class Subscription implements Flow.Subscription
    {
        private final Flow.Subscriber<? super R> subscriber;
        private final AtomicInteger work = new AtomicInteger();
        private final AtomicLong requested = new AtomicLong();
        private volatile boolean cancelled;
        private volatile boolean badRequest;
        private volatile long badRequestSize;

        private final Deque<Slot> inFlight = new ArrayDeque<>();
        private Iterator<T> source;
        private PoolWorker.EncodedFunction encoded;
        private long demand;
        private long submitted;
        private boolean done;

        Subscription(final Flow.Subscriber<? super R> subscriber)
        {
            this.subscriber = subscriber;
        }

        /** {@code onSubscribe} first, as the drain's first step, so no signal overtakes it. */
        void start()
        {
            work.set(1);
            SIGNALS.execute(() ->
            {
                try
                {
                    subscriber.onSubscribe(this);
                }
                catch (final RuntimeException | Error ex)
                {
                    cancelled = true;
                }
                drain();
            });
        }

        @Override
        public void request(final long n)
        {
            if (n <= 0)
            {
                badRequestSize = n;
                badRequest = true;
            }
            else
            {
                requested.accumulateAndGet(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
            }
            drainLater();
        }

        @Override
        public void cancel()
        {
            cancelled = true;
            drainLater();
        }

        private void drainLater()
        {
            if (0 == work.getAndIncrement())
            {
                SIGNALS.execute(this::drain);
            }
        }

        private void drain()
        {
            int missed = work.get();
            while (true)
            {
                step();
                missed = work.addAndGet(-missed);
                if (0 == missed)
                {
                    return;
                }
            }
        }

        /** Delivers what is ready, in order, then submits what the demand allows. */
        private void step()
        {
            if (done)
            {
                return;
            }
            if (badRequest)
            {
                fail(new IllegalArgumentException(
                    "request(n) needs n > 0 (reactive streams rule 3.9), n=" + badRequestSize));
                return;
            }
            final long asked = requested.getAndSet(0);
            demand = demand + asked < 0 ? Long.MAX_VALUE : demand + asked;
            while (!cancelled && demand > 0 && !inFlight.isEmpty() && inFlight.peekFirst().ready)
            {
                final Slot slot = inFlight.pollFirst();
                if (null != slot.failure)
                {
                    fail(new TaskFailedException("the task of element " + slot.index + " failed", slot.failure));
                    return;
                }
                demand--;
                @SuppressWarnings("unchecked")
                final R value = (R)slot.value;
                subscriber.onNext(value);
            }
            if (cancelled)
            {
                withdrawAll();
                return;
            }
            try
            {
                submitMore();
            }
            catch (final RuntimeException refused)
            {
                fail(refused);
                return;
            }
            if (inFlight.isEmpty() && !source.hasNext())
            {
                done = true;
                subscriber.onComplete();
            }
        }

        private void submitMore()
        {
            if (null == source)
            {
                source = elements.iterator();
                encoded = jobs.encodeFunction(function);
            }
            final long allowed = demand + window < 0 ? Long.MAX_VALUE : demand + window;
            while (source.hasNext() && inFlight.size() < allowed)
            {
                final Slot slot = new Slot(submitted++);
                inFlight.addLast(slot);
                slot.withdraw = jobs.element(encoded, source.next(), (value, failure) ->
                {
                    slot.value = null == failure ? ((List<?>)value).get(0) : null;
                    slot.failure = failure;
                    slot.ready = true;
                    drainLater();
                });
            }
        }

        private void fail(final Throwable failure)
        {
            withdrawAll();
            subscriber.onError(failure);
        }

        private void withdrawAll()
        {
            done = true;
            for (final Slot slot : inFlight)
            {
                slot.withdraw.getAsBoolean();
            }
            inFlight.clear();
        }
    }

    /** One submitted element; its outcome is written before {@code ready}, read after it. */
    private static final class Slot
    {
        final long index;
        BooleanSupplier withdraw = () -> false;
        Object value;
        Throwable failure;
        volatile boolean ready;

        Slot(final long index)
        {
            this.index = index;
        }
    }
}
