package dev.ipckit.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import dev.ipckit.IpcException;
import dev.ipckit.codec.Codec;

import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * What a {@link ClusterPool} sends to a member: the task encoded by ipckit's codec, so the member
 * decodes it behind the codec's class filter. The member answers with a tag byte ({@link #OK} or
 * {@link #FAILED}) and the encoded result or exception, so nothing of the user's reaches Hazelcast's
 * own deserialization.
 * <p>
 * <b>Note:</b> one instance runs once.
 */
final class ClusterTask implements Callable<byte[]>, Serializable, HazelcastInstanceAware
{
    static final byte OK = 0;
    static final byte FAILED = 1;

    private static final long serialVersionUID = 1L;
    private static final ThreadLocal<Cluster> CURRENT = new ThreadLocal<>();

    private final byte[] task;
    private transient String instanceName;

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
            final Callable<?> callable = (Callable<?>)codec.decode(task, 0, task.length);
            return tagged(OK, codec.encode(callable.call()));
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
