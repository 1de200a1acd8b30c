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
        return null == authKey ? 0 : FrameChannel.FLAG_AUTHENTICATE;
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
            if (asListener)
            {
                asListener(channel, authKey);
            }
            else
            {
                asClient(channel, authKey);
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

    private static void asListener(final FrameChannel channel, final byte[] authKey) throws IOException
    {
        checkPeerAgrees(channel, authKey);
        if (null != authKey)
        {
            deliverChallenge(channel, authKey);
            answerChallenge(channel, authKey);
        }
    }

    private static void asClient(final FrameChannel channel, final byte[] authKey) throws IOException
    {
        if (null == authKey)
        {
            channel.refusePeerThatAuthenticates();
            return;
        }
        checkPeerAgrees(channel, authKey);
        answerChallenge(channel, authKey);
        deliverChallenge(channel, authKey);
    }

    private static void checkPeerAgrees(final FrameChannel channel, final byte[] authKey) throws IOException
    {
        if (!channel.awaitHello(PATIENCE_NANOS))
        {
            throw new AuthenticationException("no hello from the peer of " + channel.name() + " within 10 s");
        }
        final boolean peerAuthenticates = 0 != (channel.peerFlags() & FrameChannel.FLAG_AUTHENTICATE);
        if (peerAuthenticates != (null != authKey))
        {
            throw new AuthenticationException(null == authKey ?
                "peer of " + channel.name() + " requires an authKey, but none was given" :
                "peer of " + channel.name() + " does not authenticate, but an authKey was given");
        }
    }

    private static void deliverChallenge(final FrameChannel channel, final byte[] authKey) throws IOException
    {
        final byte[] nonce = new byte[NONCE_LENGTH];
        RANDOM.nextBytes(nonce);
        final byte[] challenge = Arrays.copyOf(CHALLENGE, CHALLENGE.length + NONCE_LENGTH);
        System.arraycopy(nonce, 0, challenge, CHALLENGE.length, NONCE_LENGTH);
        channel.send(challenge, 0, challenge.length);

        final byte[] answer = receive(channel);
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

    private static void answerChallenge(final FrameChannel channel, final byte[] authKey) throws IOException
    {
        final byte[] challenge = receive(channel);
        if (challenge.length != CHALLENGE.length + NONCE_LENGTH ||
            !Arrays.equals(challenge, 0, CHALLENGE.length, CHALLENGE, 0, CHALLENGE.length))
        {
            throw new AuthenticationException("peer of " + channel.name() + " sent no valid challenge, length=" +
                challenge.length);
        }
        final byte[] answer = hmac(authKey, Arrays.copyOfRange(challenge, CHALLENGE.length, challenge.length));
        channel.send(answer, 0, answer.length);
        if (!Arrays.equals(receive(channel), WELCOME))
        {
            throw new AuthenticationException("digest sent to the peer of " + channel.name() + " was rejected");
        }
    }

    private static byte[] receive(final FrameChannel channel) throws IOException
    {
        if (!channel.poll(PATIENCE_NANOS))
        {
            throw new AuthenticationException("no answer from the peer of " + channel.name() + " within 10 s");
        }
        try
        {
            return channel.receiveBytes(MAX_ANSWER);
        }
        catch (final dev.ipckit.IpcException ex)
        {
            throw new AuthenticationException("peer of " + channel.name() + " sent an oversized handshake message");
        }
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
