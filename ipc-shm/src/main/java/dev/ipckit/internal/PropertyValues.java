package dev.ipckit.internal;

/**
 * Reads the whole-number system properties of the layers' {@code *Configuration} classes, with the
 * property's name in every error.
 * <p>
 * <b>Note:</b> internal to ipckit; thread-safe (stateless).
 */
public final class PropertyValues
{
    private PropertyValues()
    {
    }

    /**
     * @param name         the system property.
     * @param defaultValue the value when the property is unset or blank.
     * @return the property as a whole number ({@code _} separators allowed), or {@code defaultValue}.
     * @throws IllegalArgumentException if the property is set but not a whole number.
     */
    public static long longValue(final String name, final long defaultValue)
    {
        final String value = System.getProperty(name);
        if (null == value || value.isBlank())
        {
            return defaultValue;
        }
        try
        {
            return Long.parseLong(value.trim().replace("_", ""));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(name + " must be a whole number, value=" + value, ex);
        }
    }

    /**
     * @param name the system property, for the message.
     * @param min  the smallest value allowed.
     * @param max  the largest value allowed.
     * @param value the value read.
     * @return {@code value}.
     * @throws IllegalArgumentException if {@code value} is outside {@code min..max}.
     */
    public static long inRange(final String name, final long min, final long max, final long value)
    {
        if (value < min || value > max)
        {
            throw new IllegalArgumentException(name + " must be in " + min + ".." + max + ", value=" + value);
        }
        return value;
    }

    /**
     * @param name  the system property, for the message.
     * @param value the value read.
     * @return {@code value}.
     * @throws IllegalArgumentException if {@code value} is negative.
     */
    public static long nonNegative(final String name, final long value)
    {
        if (value < 0)
        {
            throw new IllegalArgumentException(name + " must not be negative, value=" + value);
        }
        return value;
    }

    /**
     * @param name         the system property.
     * @param defaultValue the value when the property is unset or blank.
     * @return {@link #longValue(String, long)}, checked by {@link #nonNegative(String, long)}.
     * @throws IllegalArgumentException if the property is set but not a whole number, or is negative.
     */
    public static long nonNegativeLong(final String name, final long defaultValue)
    {
        return nonNegative(name, longValue(name, defaultValue));
    }
}
