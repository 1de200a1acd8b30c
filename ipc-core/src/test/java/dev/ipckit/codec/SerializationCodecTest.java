package dev.ipckit.codec;

import dev.ipckit.IpcException;
import dev.ipckit.pipe.Connection;
import dev.ipckit.pipe.Pipe;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.shm.SharedInt;
import dev.ipckit.support.RuntimeDirectoryClean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
@ExtendWith(RuntimeDirectoryClean.class)
class SerializationCodecTest
{
    private final Codec codec = SerializationCodec.create(null, 100);

    @Test
    void shouldRoundTripFastPathsAndObjects()
    {
        for (final Object value : Arrays.asList(
            null, "text ✓", "", 1, -1L, Double.NaN, 1.5f, (short)-2, (byte)9, 'ß', true, false,
            List.of("x"), new Payload("p", 3)))
        {
            final byte[] bytes = codec.encode(value);
            assertEquals(value, codec.decode(bytes, 0, bytes.length));
        }
        final byte[] raw = { 5, 6, 7 };
        final byte[] encoded = codec.encode(raw);
        assertEquals(4, encoded.length, "byte[] costs one tag byte");
        assertArrayEquals(raw, (byte[])codec.decode(encoded, 0, encoded.length));
        assertEquals(2, codec.encode("a").length, "ASCII string costs one tag byte");
    }

    @Test
    void shouldPassOnThatASharedValuesHandleNoLongerExistsRatherThanCallItCorrupt()
    {
        final Codec standard = Codec.standard();
        final SharedInt value = SharedInt.create(3);
        final byte[] handle = standard.encode(value);
        value.close();
        final IpcException gone = assertThrows(IpcException.class, () -> standard.decode(handle, 0, handle.length));
        assertFalse(gone instanceof CodecException, gone.toString());
        assertTrue(gone.getMessage().contains("no longer exists"), gone.getMessage());
    }

    @Test
    void shouldDecodeFromAnOffset()
    {
        final byte[] message = codec.encode("offset");
        final byte[] padded = new byte[message.length + 7];
        System.arraycopy(message, 0, padded, 3, message.length);
        assertEquals("offset", codec.decode(padded, 3, message.length));
    }

    @Test
    void shouldRefuseToEncodeWhatIsNotSerializable()
    {
        final CodecException ex = assertThrows(CodecException.class, () -> codec.encode(new Object()));
        assertTrue(ex.getMessage().contains("java.lang.Object"), ex.getMessage());
    }

    @Test
    void shouldRejectClassesOutsideTheAllowList()
    {
        final Codec strict = SerializationCodec.create("java.base/*;!*", 100);
        final byte[] allowed = strict.encode(new ArrayList<>(List.of("fine")));
        assertEquals(List.of("fine"), strict.decode(allowed, 0, allowed.length));

        final byte[] refused = strict.encode(new Payload("no", 1));
        final CodecException ex = assertThrows(CodecException.class, () -> strict.decode(refused, 0, refused.length));
        assertTrue(ex.getMessage().contains(Payload.class.getName()) && ex.getMessage().contains("java.base/*;!*"),
            ex.getMessage());
    }

    @Test
    void shouldRejectGraphsDeeperThanTheLimit()
    {
        final Codec shallow = SerializationCodec.create(null, 20);
        Nested deep = null;
        for (int i = 0; i < 50; i++)
        {
            deep = new Nested(deep);
        }
        final byte[] bytes = shallow.encode(deep);
        final CodecException ex = assertThrows(CodecException.class, () -> shallow.decode(bytes, 0, bytes.length));
        assertTrue(ex.getMessage().contains("maxDepth=20"), ex.getMessage());
    }

    @Test
    void shouldRejectAForgedArrayLengthWithoutAllocating() throws Exception
    {
        final byte[] bytes = codec.encode(new long[]{ 1, 2 });
        final int lengthAt = indexOf(bytes, new byte[]{ 0, 0, 0, 2 }, bytes.length - 2 * 8 - 4);
        bytes[lengthAt] = 0x7F;
        final CodecException ex = assertThrows(CodecException.class, () -> codec.decode(bytes, 0, bytes.length));
        assertTrue(ex.getMessage().contains("array length"), ex.getMessage());
    }

    @Test
    void shouldReportAnUnknownClass() throws Exception
    {
        final byte[] bytes = codec.encode(new Payload("renamed", 1));
        final byte[] name = Payload.class.getName().getBytes(StandardCharsets.UTF_8);
        final int at = indexOf(bytes, name, 0);
        bytes[at + name.length - 1] = 'Q';
        final CodecException ex = assertThrows(CodecException.class, () -> codec.decode(bytes, 0, bytes.length));
        assertTrue(ex.getMessage().contains("unknown class"), ex.getMessage());
    }

    @Test
    void shouldRejectCorruptMessages()
    {
        assertThrows(CodecException.class, () -> codec.decode(new byte[0], 0, 0));
        assertThrows(CodecException.class, () -> codec.decode(new byte[]{ 99 }, 0, 1));
        assertThrows(CodecException.class, () -> codec.decode(new byte[]{ 3, 1 }, 0, 2));
        assertThrows(CodecException.class, () -> codec.decode(new byte[]{ 0x7F, 1, 2, 3 }, 0, 4));
        assertNull(codec.decode(new byte[]{ 0 }, 0, 1));
    }

    @Test
    void shouldKeepConnectionInStepWhenAMessageIsRejected() throws Exception
    {
        final Pipe pipe = Pipe.open();
        final IpcProcess child = IpcProcess.start(() ->
        {
            try (Connection out = pipe.right())
            {
                out.send(new Payload("smuggled", 1));
                out.send("plain");
            }
        });
        try (Connection in = pipe.left().codec(SerializationCodec.create("java.base/*;!*", 100)))
        {
            final CodecException ex = assertThrows(CodecException.class, in::recv);
            assertTrue(ex.getMessage().contains("rejected"), ex.getMessage());
            assertEquals("plain", in.recv());
        }
        assertTrue(child.join(Duration.ofSeconds(20)));
    }

    private static int indexOf(final byte[] haystack, final byte[] needle, final int from)
    {
        outer:
        for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++)
        {
            for (int j = 0; j < needle.length; j++)
            {
                if (haystack[i + j] != needle[j])
                {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    record Payload(String name, int n) implements Serializable
    {
    }

    record Nested(Nested inner) implements Serializable
    {
    }
}
