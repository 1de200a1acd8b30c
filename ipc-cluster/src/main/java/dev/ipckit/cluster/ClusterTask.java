package dev.ipckit.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import dev.ipckit.IpcException;
import dev.ipckit.codec.Codec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a {@link ClusterPool} sends to a member: the task encoded by ipckit's codec, so the member
 * decodes it behind the codec's class filter. The member answers with a tag byte ({@link #OK} or
 * {@link #FAILED}) and the encoded result or exception, so nothing of the user's reaches Hazelcast's
 * own deserialization; Hazelcast writes the task as a plain byte array ({@link DataSerializable}).
 * <p>
 * A member decodes a lambda that captures nothing once for all the tasks that send it (as
 * {@code ProcessPool}'s workers do), so such a function object should keep no state of its own.
 * <p>
 * <b>Note:</b> one instance runs once.
 */
final class ClusterTask implements Callable<byte[]>, DataSerializable, HazelcastInstanceAware
{
    static final byte OK = 0;
    static final byte FAILED = 1;

    private static final int MAX_DECODED = 256;
    private static final ThreadLocal<Cluster> CURRENT = new ThreadLocal<>();
    private static final Map<ByteBuffer, Callable<?>> DECODED = new ConcurrentHashMap<>();

    private byte[] task;
    private String instanceName;

    /** For Hazelcast, which reads the task with {@link #readData}. */
    ClusterTask()
    {
    }

    ClusterTask(final byte[] task)
    {
        this.task = task;
    }

    static Cluster current()
    {
        return CURRENT.get();
    }

    @Override
    public void setHazelcastInstance(final HazelcastInstance instance)
    {
        instanceName = instance.getName();
    }

    @Override
    public byte[] call()
    {
        final Codec codec = Codec.standard();
        CURRENT.set(null == instanceName ? null : Cluster.localMember(instanceName));
        try
        {
            return tagged(OK, codec.encode(decode(codec).call()));
        }
        catch (final Throwable failure)
        {
            return tagged(FAILED, encodeFailure(codec, failure));
        }
        finally
        {
            CURRENT.remove();
        }
    }

    @Override
    public void writeData(final ObjectDataOutput out) throws IOException
    {
        out.writeByteArray(task);
    }

    @Override
    public void readData(final ObjectDataInput in) throws IOException
    {
        task = in.readByteArray();
    }

    private Callable<?> decode(final Codec codec)
    {
        final ByteBuffer key = ByteBuffer.wrap(task);
        final Callable<?> known = DECODED.get(key);
        if (null != known)
        {
            return known;
        }
        final Callable<?> callable = (Callable<?>)codec.decode(task, 0, task.length);
        if (capturesNothing(callable))
        {
            if (DECODED.size() >= MAX_DECODED)
            {
                DECODED.clear();
            }
            DECODED.put(key, callable);
        }
        return callable;
    }

    /**
     * @return whether {@code task} is a lambda without captured values, whose encoded form therefore
     * names only its code.
     */
    static boolean capturesNothing(final Object task)
    {
        final Class<?> type = task.getClass();
        return type.isSynthetic() && 0 == type.getDeclaredFields().length;
    }

    private static byte[] encodeFailure(final Codec codec, final Throwable failure)
    {
        try
        {
            return codec.encode(failure);
        }
        catch (final RuntimeException notSerializable)
        {
            final IpcException stand = new IpcException(failure.getClass().getName() + ": " + failure.getMessage());
            stand.setStackTrace(failure.getStackTrace());
            return codec.encode(stand);
        }
    }

    private static byte[] tagged(final byte tag, final byte[] body)
    {
        final byte[] out = new byte[body.length + 1];
        out[0] = tag;
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }
}
