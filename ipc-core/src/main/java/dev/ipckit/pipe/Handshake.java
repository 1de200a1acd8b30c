package dev.ipckit.pipe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The challenge–response authentication of {@link Listener} and {@link Client}, as CPython's
 * {@code multiprocessing.connection} does it: each side sends the other 40 random bytes and
 * expects their HMAC-SHA256 under the shared key back, so neither side ever sends the key, and
 * each proves it holds it. The listener challenges first.
 * <p>
 * Before that, each side's hello says whether it has a key; a mismatch fails on both sides (for a
 * client without a key, at its first receive, since it does not wait for the listener to accept,
 * just as CPython's does not).
 */
final class Handshake
{
    private static final byte[] CHALLENGE = "#CHALLENGE#{sha256}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WELCOME = "#WELCOME#".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FAILURE = "#FAILURE#".getBytes(StandardCharsets.US_ASCII);
    private static final int NONCE_LENGTH = 40;
    private static final int MAX_ANSWER = 256;
    private static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final SecureRandom RANDOM = new SecureRandom();

    private Handshake()
    {
    }

    static short flags(final byte[] authKey)
    {
        return null == authKey ? 0 : Hello.FLAG_AUTHENTICATE;
    }

    static byte[] checkKey(final byte[] authKey)
    {
        if (null != authKey && 0 == authKey.length)
        {
            throw new IllegalArgumentException("authKey must not be empty; pass null for no authentication");
        }
        return null == authKey ? null : authKey.clone();
    }

    static byte[] checkNetworkKey(final byte[] authKey)
    {
        if (null == authKey || 0 == authKey.length)
        {
            throw new IllegalArgumentException("a TCP listener or client needs a non-empty authKey: " +
                "a network peer must authenticate before anything it sends is decoded");
        }
        return authKey.clone();
    }

    /**
     * Runs the handshake on a fresh channel and wraps it; closes it if the handshake fails.
     *
     * @param channel     the connected channel.
     * @param authKey     the shared key, or null.
     * @param asListener  which side of the handshake this is.
     * @param description what the connection is, for messages.
     * @return the authenticated connection.
     */
    static Connection connection(
        final FrameChannel channel, final byte[] authKey, final boolean asListener, final String description)
        throws IOException
    {
        boolean ok = false;
        try
        {
            final long deadline = System.nanoTime() + PATIENCE_NANOS;
            if (asListener)
            {
                asListener(channel, authKey, deadline);
            }
            else
            {
                asClient(channel, authKey, deadline);
            }
            ok = true;
        }
        finally
        {
            if (!ok)
            {
                channel.close();
            }
        }
        return new Connection(channel, description + " peerPid=" + channel.peerPid());
    }

    private static void asListener(final FrameChannel channel, final byte[] authKey, final long deadline)
        throws IOException
    {
        checkPeerAgrees(channel, authKey, deadline);
        if (null != authKey)
        {
            deliverChallenge(channel, authKey, deadline);
            answerChallenge(channel, authKey, deadline);
        }
    }

    private static void asClient(final FrameChannel channel, final byte[] authKey, final long deadline)
        throws IOException
    {
        if (null == authKey)
        {
            channel.refusePeerThatAuthenticates();
            return;
        }
        checkPeerAgrees(channel, authKey, deadline);
        answerChallenge(channel, authKey, deadline);
        deliverChallenge(channel, authKey, deadline);
    }

    private static void checkPeerAgrees(final FrameChannel channel, final byte[] authKey, final long deadline)
        throws IOException
    {
        if (!channel.awaitHello(Math.max(0, deadline - System.nanoTime())))
        {
            throw new AuthenticationException("no hello from the peer of " + channel.name() + " within 10 s");
        }
        final boolean peerAuthenticates = channel.peerAuthenticates();
        if (peerAuthenticates != (null != authKey))
        {
            throw new AuthenticationException(null == authKey ?
                "peer of " + channel.name() + " requires an authKey, but none was given" :
                "peer of " + channel.name() + " does not authenticate, but an authKey was given");
        }
    }

    private static void deliverChallenge(final FrameChannel channel, final byte[] authKey, final long deadline)
        throws IOException
    {
        final byte[] nonce = new byte[NONCE_LENGTH];
        RANDOM.nextBytes(nonce);
        final byte[] challenge = Arrays.copyOf(CHALLENGE, CHALLENGE.length + NONCE_LENGTH);
        System.arraycopy(nonce, 0, challenge, CHALLENGE.length, NONCE_LENGTH);
        channel.send(challenge, 0, challenge.length);

        final byte[] answer = receive(channel, deadline);
        if (MessageDigest.isEqual(answer, hmac(authKey, nonce)))
        {
            channel.send(WELCOME, 0, WELCOME.length);
        }
        else
        {
            channel.send(FAILURE, 0, FAILURE.length);
            throw new AuthenticationException("digest received from the peer of " + channel.name() + " was wrong");
        }
    }

    private static void answerChallenge(final FrameChannel channel, final byte[] authKey, final long deadline)
        throws IOException
    {
        final byte[] challenge = receive(channel, deadline);
        if (challenge.length != CHALLENGE.length + NONCE_LENGTH ||
            !Arrays.equals(challenge, 0, CHALLENGE.length, CHALLENGE, 0, CHALLENGE.length))
        {
            throw new AuthenticationException("peer of " + channel.name() + " sent no valid challenge, length=" +
                challenge.length);
        }
        final byte[] answer = hmac(authKey, Arrays.copyOfRange(challenge, CHALLENGE.length, challenge.length));
        channel.send(answer, 0, answer.length);
        if (!Arrays.equals(receive(channel, deadline), WELCOME))
        {
            throw new AuthenticationException("digest sent to the peer of " + channel.name() + " was rejected");
        }
    }

    /** Receives one handshake message, whole, before the handshake's deadline. */
    private static byte[] receive(final FrameChannel channel, final long deadline) throws IOException
    {
        final byte[] message;
        try
        {
            message = channel.receiveBytesWithin(MAX_ANSWER, Math.max(0, deadline - System.nanoTime()));
        }
        catch (final dev.ipckit.IpcException ex)
        {
            throw new AuthenticationException("peer of " + channel.name() + " sent an oversized handshake message");
        }
        if (null == message)
        {
            throw new AuthenticationException("the handshake with the peer of " + channel.name() +
                " did not complete within 10 s");
        }
        return message;
    }

    private static byte[] hmac(final byte[] key, final byte[] message)
    {
        try
        {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", ex);
        }
    }
}
