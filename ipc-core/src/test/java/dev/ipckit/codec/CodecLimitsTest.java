package dev.ipckit.codec;

import dev.ipckit.pipe.Connection;
import dev.ipckit.pipe.Pipe;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.support.RuntimeDirectoryClean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a peer sends cannot make decoding run for ever or allocate what the message cannot hold. */
@Timeout(120)
@ExtendWith(RuntimeDirectoryClean.class)
class CodecLimitsTest
{
    @Test
    void shouldRefuseANestedCollectionBombAndAReferenceBombFromAChild() throws Exception
    {
        final Pipe pipe = Pipe.open(false);
        final IpcProcess child = IpcProcess.start(() ->
        {
            try (Connection out = pipe.right())
            {
                out.send(nestedSets(60));
                out.send(new ArrayList<>(Collections.nCopies(5_000, "same")));
                out.send("still in step");
            }
        });
        pipe.right().close();
        try (Connection in = pipe.left())
        {
            final long start = System.nanoTime();
            final CodecException deep = assertThrows(CodecException.class, in::recv);
            assertTrue(deep.getMessage().contains("depth=" + (CodecConfiguration.SERIAL_MAX_DEPTH_DEFAULT + 1)) &&
                deep.getMessage().contains(CodecConfiguration.SERIAL_MAX_DEPTH_PROP_NAME), deep.getMessage());
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(20).toNanos());

            in.codec(SerializationCodec.create(null, CodecConfiguration.SERIAL_MAX_DEPTH_DEFAULT, 1_000));
            final CodecException many = assertThrows(CodecException.class, in::recv);
            assertTrue(many.getMessage().contains("exceed maxRefs=1000") &&
                many.getMessage().contains(CodecConfiguration.SERIAL_MAX_REFS_PROP_NAME), many.getMessage());
            assertEquals("still in step", in.recv());
        }
        assertTrue(child.join(Duration.ofSeconds(30)));
        assertEquals(0, child.exitCode());
    }

    @Test
    void shouldRefuseAPrimitiveArrayLongerThanTheMessageCanHold() throws Exception
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(SerializationCodec.SERIALIZED);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes))
        {
            out.writeObject(new long[1_000]);
        }
        final byte[] message = bytes.toByteArray();
        final int lengthAt = indexOfLength(message, 1_000);
        final int forged = message.length / 2;
        message[lengthAt] = (byte)(forged >>> 24);
        message[lengthAt + 1] = (byte)(forged >>> 16);
        message[lengthAt + 2] = (byte)(forged >>> 8);
        message[lengthAt + 3] = (byte)forged;

        final Pipe pipe = Pipe.open(false);
        try (Connection in = pipe.left(); Connection out = pipe.right())
        {
            out.sendBytes(message);
            final CodecException ex = assertThrows(CodecException.class, in::recv);
            assertTrue(ex.getMessage().contains("array length=" + forged) && ex.getMessage().contains("needs at least"),
                ex.getMessage());
        }
    }

    private static int indexOfLength(final byte[] message, final int length)
    {
        for (int i = message.length - 4; i >= 0; i--)
        {
            if (message[i] == 0 && message[i + 1] == 0 && message[i + 2] == (byte)(length >>> 8) &&
                message[i + 3] == (byte)length)
            {
                return i;
            }
        }
        throw new IllegalStateException("no array length in the stream");
    }

    /** Sets of sets, two at each level sharing their children: hashing them costs 2^levels. */
    private static Set<Object> nestedSets(final int levels)
    {
        final Set<Object> root = new HashSet<>();
        Set<Object> s1 = root;
        Set<Object> s2 = new HashSet<>();
        for (int i = 0; i < levels; i++)
        {
            final Set<Object> t1 = new HashSet<>();
            final Set<Object> t2 = new HashSet<>();
            t1.add("leaf");
            s1.add(t1);
            s1.add(t2);
            s2.add(t1);
            s2.add(t2);
            s1 = t1;
            s2 = t2;
        }
        return root;
    }
}
