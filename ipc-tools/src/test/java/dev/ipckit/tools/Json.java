package dev.ipckit.tools;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Just enough JSON for the inspector's output: one object per line, top-level fields by name. */
final class Json
{
    private Json()
    {
    }

    /** @return the objects of an {@code ls --json} array, one string each. */
    static List<String> objects(final String array)
    {
        final List<String> objects = new ArrayList<>();
        for (final String line : array.split("\n"))
        {
            final String trimmed = line.trim();
            if (trimmed.startsWith("{"))
            {
                objects.add(trimmed.endsWith(",") ? trimmed.substring(0, trimmed.length() - 1) : trimmed);
            }
        }
        return objects;
    }

    /** @return the object whose name is {@code name}. */
    static String named(final List<String> objects, final String name)
    {
        return objects.stream().filter(o -> o.contains("\"name\":\"" + name + "\"")).findFirst()
            .orElseThrow(() -> new AssertionError("no object named " + name + " in " + objects));
    }

    /** @return the first value of {@code key} in the object, as written (strings without quotes). */
    static String field(final String object, final String key)
    {
        final Matcher m = Pattern.compile("\"" + key + "\":(\"[^\"]*\"|\\[[^\\]]*\\]|[^,}]+)").matcher(object);
        if (!m.find())
        {
            throw new AssertionError("no " + key + " in " + object);
        }
        final String value = m.group(1);
        return value.startsWith("\"") ? value.substring(1, value.length() - 1) : value;
    }
}
