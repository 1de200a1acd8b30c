package dev.ipckit.manager;

import dev.ipckit.RuntimeDirectory;
import dev.ipckit.internal.SharedRegion;
import dev.ipckit.internal.Waiter;
import dev.ipckit.pipe.Client;
import dev.ipckit.pipe.Connection;
import dev.ipckit.pipe.Listener;
import dev.ipckit.support.RuntimeDirectoryClean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

@Timeout(120)
@ExtendWith(RuntimeDirectoryClean.class)
class MailboxTest
{
    private final Path address = RuntimeDirectory.path().resolve("mailbox-test.sock");

    /**
     * Receivers that never spin sleep for every message, so a sender is often still between
     * publishing a message and looking whether its receiver sleeps when that receiver already
     * sleeps for the next one: it must not wake it for a message not there yet.
     */
    @Test
    void shouldDeliverEveryMessageWhenEveryReceiverSleeps() throws Exception
    {
        exchange(0, 50_000, 0);
    }

    /**
     * The narrow window of the test above, held open: the server publishes a reply, the client
     * takes it and sleeps for the next one before the server looks whether it sleeps.
     */
    @Test
    void shouldNotWakeAReceiverThatSleepsForALaterMessage() throws Exception
    {
        try (Listener listener = Listener.bind(address))
        {
            final CompletableFuture<Connection> accepted = CompletableFuture.supplyAsync(() -> accept(listener, 0));
            try (Mailbox client = Mailbox.offer(Client.connect(address).spinNanos(0)))
            {
                final Connection serverEnd = accepted.get(30, TimeUnit.SECONDS);
                final CompletableFuture<Mailbox> served =
                    CompletableFuture.supplyAsync(() -> accept(serverEnd, client.offeredId()));
                client.awaitAnswer();
                try (Mailbox server = served.get(30, TimeUnit.SECONDS);
                    SharedRegion shared = SharedRegion.attach(MailboxDescriptor.KIND, client.offeredId()))
                {
                    final int clientAsleep = MailboxDescriptor.REPLY_BOX + MailboxDescriptor.ASLEEP_OFFSET;
                    final byte[] first = { 1 };
                    final long sequence = server.publish(first, 0, first.length);
                    assertArrayEquals(first, client.receive(Waiter.FOREVER, true));
                    final CompletableFuture<byte[]> next = CompletableFuture.supplyAsync(() -> receive(client));
                    while (shared.payload().getLongVolatile(clientAsleep) != sequence + 1)
                    {
                        Thread.onSpinWait();
                    }

                    server.wake(sequence);

                    assertEquals(sequence + 1, shared.payload().getLongVolatile(clientAsleep));
                    final byte[] second = { 2 };
                    server.send(second, 0, second.length);
                    assertArrayEquals(second, next.get(30, TimeUnit.SECONDS));
                    assertFalse(client.connection().poll(), "a doorbell nobody read");
                }
            }
        }
    }

    @Test
    void shouldDeliverEveryMessageWhetherTheReceiverSpinsSleepsOrTheMessageIsTooLongForTheBox() throws Exception
    {
        exchange(50_000, 100_000, 8);
    }

    /**
     * A client sends {@code rounds} messages of random lengths, some longer than the box, and
     * checks each reply (the message reversed); either end pauses before one message in
     * {@code pauseOneIn} for up to 200 µs, longer than a receiver spins.
     */
    private void exchange(final long spinNanos, final int rounds, final int pauseOneIn) throws Exception
    {
        try (Listener listener = Listener.bind(address))
        {
            final CompletableFuture<Connection> accepted =
                CompletableFuture.supplyAsync(() -> accept(listener, spinNanos));
            try (Mailbox client = Mailbox.offer(Client.connect(address).spinNanos(spinNanos)))
            {
                final Connection serverEnd = accepted.get(30, TimeUnit.SECONDS);
                final CompletableFuture<Mailbox> served =
                    CompletableFuture.supplyAsync(() -> accept(serverEnd, client.offeredId()));
                client.awaitAnswer();
                try (Mailbox server = served.get(30, TimeUnit.SECONDS))
                {
                    final CompletableFuture<Void> echo =
                        CompletableFuture.runAsync(() -> echo(server, rounds, pauseOneIn));
                    final SplittableRandom random = new SplittableRandom(42);
                    for (int i = 0; i < rounds; i++)
                    {
                        final byte[] request = message(random, i);
                        pause(random, pauseOneIn);
                        client.send(request, 0, request.length);
                        final byte[] reply = client.receive(Waiter.FOREVER, true);
                        assertEquals(request.length, reply.length, "round " + i);
                        reversed(reply);
                        assertArrayEquals(request, reply, "round " + i);
                    }
                    echo.get(30, TimeUnit.SECONDS);
                    assertNull(client.receive(TimeUnit.MILLISECONDS.toNanos(1), false));
                    assertFalse(client.connection().poll(), "a doorbell nobody read");
                }
            }
        }
    }

    private static Connection accept(final Listener listener, final long spinNanos)
    {
        try
        {
            return listener.accept().spinNanos(spinNanos);
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static Mailbox accept(final Connection connection, final String offeredId)
    {
        try
        {
            return Mailbox.accept(connection, offeredId);
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static byte[] receive(final Mailbox mailbox)
    {
        try
        {
            return mailbox.receive(Waiter.FOREVER, true);
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static void echo(final Mailbox server, final int rounds, final int pauseOneIn)
    {
        final SplittableRandom random = new SplittableRandom(7);
        try
        {
            for (int i = 0; i < rounds; i++)
            {
                final byte[] request = server.receive(Waiter.FOREVER, true);
                reversed(request);
                pause(random, pauseOneIn);
                server.send(request, 0, request.length);
            }
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static void pause(final SplittableRandom random, final int oneIn)
    {
        if (oneIn > 0 && 0 == random.nextInt(oneIn))
        {
            LockSupport.parkNanos(random.nextLong(200_000));
        }
    }

    private static byte[] message(final SplittableRandom random, final int round)
    {
        final int length = 0 == random.nextInt(500) ?
            MailboxDescriptor.DATA_CAPACITY + random.nextInt(100_000) : 1 + random.nextInt(300);
        final byte[] message = new byte[length];
        random.nextBytes(message);
        message[0] = (byte)round;
        return message;
    }

    private static void reversed(final byte[] bytes)
    {
        for (int i = 0, j = bytes.length - 1; i < j; i++, j--)
        {
            final byte b = bytes[i];
            bytes[i] = bytes[j];
            bytes[j] = b;
        }
    }
}
