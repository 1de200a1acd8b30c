package dev.ipckit.process;

import dev.ipckit.codec.Codec;
import dev.ipckit.codec.CodecException;
import dev.ipckit.pipe.Connection;
import dev.ipckit.pipe.Pipe;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * {@link IpcProcess#supply(SerializableCallable)}: the child sends its outcome back over a
 * half-duplex pipe, as a pool worker answers a job ({@link PoolMessages#value} or
 * {@link PoolMessages#failure}); a reader in this JVM, on a virtual thread where the JDK has them,
 * takes it and completes the future once the child has exited.
 */
final class SuppliedResult
{
    private static final Duration LIVENESS_CHECK = Duration.ofMillis(100);
    private static final ExecutorService READERS = VirtualThreads.perTaskExecutor("ipckit-supply-reader");

    private SuppliedResult()
    {
    }

    static <R> CompletableFuture<R> supply(final SerializableCallable<R> task)
    {
        ChildLauncher.checkLoadable(task);
        final Pipe pipe = Pipe.open(false);
        final Connection childEnd = pipe.right();
        final IpcProcess child;
        try
        {
            child = IpcProcess.builder().target(() -> answer(childEnd, task)).start();
        }
        catch (final RuntimeException | Error ex)
        {
            pipe.left().close();
            throw ex;
        }
        finally
        {
            childEnd.close();
        }
        final Connection parentEnd = pipe.left();
        parentEnd.spinNanos(0);
        final CompletableFuture<R> future = new CompletableFuture<>();
        future.whenComplete((value, failure) ->
        {
            if (failure instanceof CancellationException)
            {
                child.kill();
            }
        });
        READERS.execute(() -> read(parentEnd, child, future));
        return future;
    }

    /** Runs in the child: computes the result and sends it, or the failure. */
    private static void answer(final Connection end, final SerializableCallable<?> task) throws IOException
    {
        final Codec codec = Codec.standard();
        try (end)
        {
            final Object result;
            try
            {
                result = task.call();
            }
            catch (final Throwable failed)
            {
                end.sendBytes(failure(failed, codec));
                return;
            }
            byte[] answer;
            try
            {
                answer = PoolMessages.value(0, result, codec);
            }
            catch (final CodecException unsendable)
            {
                answer = failure(new IllegalArgumentException(
                    "the task's result cannot be sent back: " + unsendable.getMessage(), unsendable), codec);
            }
            end.sendBytes(answer);
        }
    }

    private static byte[] failure(final Throwable failure, final Codec codec)
    {
        try
        {
            return PoolMessages.failure(0, failure, codec);
        }
        catch (final CodecException unserialisable)
        {
            return PoolMessages.failure(0, new RemoteTaskException(failure), codec);
        }
    }

    @SuppressWarnings("unchecked")
    private static <R> void read(final Connection end, final IpcProcess child, final CompletableFuture<R> future)
    {
        PoolMessages.Answer answer = null;
        Throwable broken = null;
        try (end)
        {
            while (!future.isDone())
            {
                if (end.poll(LIVENESS_CHECK) || !child.isAlive() && end.poll())
                {
                    answer = PoolMessages.readAnswer(end.recvBytes(), Codec.standard());
                    break;
                }
                if (!child.isAlive())
                {
                    break;
                }
            }
        }
        catch (final IOException | RuntimeException ended)
        {
            broken = ended instanceof CodecException ? ended : null;
        }
        final PoolMessages.Answer outcome = answer;
        final Throwable undecodable = broken;
        child.onExit().whenComplete((exited, never) ->
        {
            if (null != undecodable)
            {
                future.completeExceptionally(undecodable);
            }
            else if (null == outcome)
            {
                future.completeExceptionally(new ProcessDiedException(child.name(), child.pid(), child.exitCode()));
            }
            else if (PoolMessages.FAILED == outcome.type)
            {
                future.completeExceptionally((Throwable)outcome.value);
            }
            else
            {
                future.complete((R)outcome.value);
            }
        });
    }
}
