package dev.ipckit.manager;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The server sides of {@link ManagedValue} and {@link Namespace}. Calls on them are serialised by
 * the server (they are exported with a monitor), so they need no locking of their own.
 */
final class PlainObjects
{
    private PlainObjects()
    {
    }

    static final class ValueObject implements ManagedValue<Object>
    {
        private Object value;

        ValueObject(final Object value)
        {
            this.value = value;
        }

        @Override
        public Object get()
        {
            return value;
        }

        @Override
        public void set(final Object value)
        {
            this.value = value;
        }

        @Override
        public boolean equals(final Object o)
        {
            return o instanceof ValueObject && Objects.equals(value, ((ValueObject)o).value);
        }

        @Override
        public int hashCode()
        {
            return Objects.hashCode(value);
        }

        @Override
        public String toString()
        {
            return "Value(" + value + ')';
        }
    }

    static final class NamespaceObject implements Namespace
    {
        private final Map<String, Object> attributes = new LinkedHashMap<>();

        @Override
        @SuppressWarnings("unchecked")
        public <T> T get(final String name)
        {
            if (!attributes.containsKey(name))
            {
                throw new IllegalArgumentException("namespace has no attribute name=" + name);
            }
            return (T)attributes.get(name);
        }

        @Override
        public void set(final String name, final Object value)
        {
            attributes.put(Objects.requireNonNull(name, "name"), value);
        }

        @Override
        public String toString()
        {
            final StringBuilder sb = new StringBuilder("Namespace(");
            String separator = "";
            for (final Map.Entry<String, Object> e : attributes.entrySet())
            {
                sb.append(separator).append(e.getKey()).append('=').append(e.getValue());
                separator = ", ";
            }
            return sb.append(')').toString();
        }
    }
}
