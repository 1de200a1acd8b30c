package dev.ipckit.cluster;

import com.hazelcast.map.IMap;
import dev.ipckit.codec.Codec;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A map shared by the cluster, on a Hazelcast {@code IMap} whose keys and values are encoded by the
 * codec. Single-key operations are atomic across the cluster; {@link #entrySet()} iterates a
 * snapshot (its iterator's {@code remove} removes from the cluster).
 * <p>
 * <b>Note:</b> thread-safe; {@code null} keys and values are refused.
 *
 * @param <K> the key type.
 * @param <V> the value type.
 */
final class ClusterDict<K, V> extends AbstractMap<K, V>
{
    private final IMap<byte[], byte[]> map;
    private final Codec codec;

    ClusterDict(final IMap<byte[], byte[]> map, final Codec codec)
    {
        this.map = map;
        this.codec = codec;
    }

    @Override
    public V get(final Object key)
    {
        return decode(map.get(encode(key)));
    }

    @Override
    public V put(final K key, final V value)
    {
        return decode(map.put(encode(key), encode(value)));
    }

    @Override
    public V putIfAbsent(final K key, final V value)
    {
        return decode(map.putIfAbsent(encode(key), encode(value)));
    }

    @Override
    public V remove(final Object key)
    {
        return decode(map.remove(encode(key)));
    }

    @Override
    public boolean containsKey(final Object key)
    {
        return map.containsKey(encode(key));
    }

    @Override
    public int size()
    {
        return map.size();
    }

    @Override
    public void clear()
    {
        map.clear();
    }

    @Override
    public Set<Entry<K, V>> entrySet()
    {
        return new AbstractSet<>()
        {
            @Override
            public Iterator<Entry<K, V>> iterator()
            {
                final List<Entry<K, V>> snapshot = new ArrayList<>();
                for (final Map.Entry<byte[], byte[]> e : map.entrySet())
                {
                    snapshot.add(new SimpleImmutableEntry<>(ClusterDict.this.<K>decodeAny(e.getKey()), decode(e.getValue())));
                }
                final Iterator<Entry<K, V>> it = snapshot.iterator();
                return new Iterator<>()
                {
                    private Entry<K, V> last;

                    @Override
                    public boolean hasNext()
                    {
                        return it.hasNext();
                    }

                    @Override
                    public Entry<K, V> next()
                    {
                        last = it.next();
                        return last;
                    }

                    @Override
                    public void remove()
                    {
                        if (null == last)
                        {
                            throw new IllegalStateException("next() first");
                        }
                        map.delete(encode(last.getKey()));
                        last = null;
                    }
                };
            }

            @Override
            public int size()
            {
                return map.size();
            }
        };
    }

    private byte[] encode(final Object value)
    {
        return codec.encode(Objects.requireNonNull(value, "cluster dicts refuse null keys and values"));
    }

    private V decode(final byte[] bytes)
    {
        return decodeAny(bytes);
    }

    @SuppressWarnings("unchecked")
    private <T> T decodeAny(final byte[] bytes)
    {
        return null == bytes ? null : (T)codec.decode(bytes, 0, bytes.length);
    }
}
