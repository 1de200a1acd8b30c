package dev.ipckit.internal;

import java.io.ObjectStreamException;
import java.io.Serializable;

/**
 * A shared object as it crosses a process boundary: what it is (its {@link Kind}), where it is
 * (its name: a {@link SharedRegion}'s kind and id, a file name, a directory) and the one or two
 * facts its kind needs (an offset or a flag, and one serializable companion such as a lock or
 * options). Every primitive's {@code writeReplace} returns one; deserialising it attaches the same
 * object in the receiving JVM ({@code readResolve}).
 * <p>
 * Each module declares its kinds as an enum implementing {@link Kind}, next to the classes they
 * make, so that a kind can reach their package-private constructors. A kind travels as its enum
 * constant's name, and the receiving JVM finds the enum as it finds any class of the stream: on
 * the class path, the module path or in a shaded jar, with nothing to register first. A kind whose
 * module the receiver lacks fails the decoding, naming the kind's class (the codec's
 * {@code CodecException}, an {@code IpcException}).
 * <p>
 * A handle of a region is noted for {@link SentHandles} when made, so that sending it to a child
 * keeps the region alive until the child has attached it or died.
 * <p>
 * <b>Note:</b> internal to ipckit; immutable.
 */
public final class Handle implements Serializable
{
    private static final long serialVersionUID = 1L;

    /**
     * What a handle names, and how to attach it.
     * <p>
     * <b>Note:</b> implemented by an enum of each module's kinds.
     */
    public interface Kind extends Serializable
    {
        /**
         * @param handle a handle of this kind.
         * @return the live object it names, attached in this JVM.
         */
        Object resolve(Handle handle);
    }

    /** What the handle stands for; resolves it in the receiving JVM. */
    private final Kind kind;
    /** The kind of the shared region it names, or null for an object named by a path or name. */
    private final String regionKind;
    /** The region's id, or the object's name or path. */
    private final String name;
    /** One int the kind needs (a lock's offset, a condition's "owns its lock" flag), else 0. */
    private final int detail;
    /** One serializable companion the kind needs (a condition's lock, a queue's options), or null. */
    private final Serializable extra;

    private Handle(final Kind kind, final String regionKind, final String name, final int detail,
        final Serializable extra)
    {
        this.kind = kind;
        this.regionKind = regionKind;
        this.name = name;
        this.detail = detail;
        this.extra = extra;
    }

    /**
     * @param kind   what it is.
     * @param region where it is.
     * @return a handle of an object that lives in a region; the region is noted for {@link SentHandles}.
     */
    public static Handle of(final Kind kind, final SharedRegion region)
    {
        return of(kind, region.kind(), region.id(), 0, null);
    }

    /**
     * @param kind       what it is.
     * @param regionKind the kind of its region.
     * @param id         the id of its region.
     * @param detail     a fact the kind needs (an offset, a flag), else 0.
     * @param extra      a companion the kind needs (serialized with the handle), else null.
     * @return a handle of an object that lives in a region; the region is noted for {@link SentHandles}.
     */
    public static Handle of(
        final Kind kind, final String regionKind, final String id, final int detail, final Serializable extra)
    {
        SentHandles.note(regionKind, id);
        return new Handle(kind, regionKind, id, detail, extra);
    }

    /**
     * @param kind  what it is.
     * @param name  where it is: a name or a path.
     * @param extra a companion the kind needs (serialized with the handle), else null.
     * @return a handle of an object that does not live in a region.
     */
    public static Handle named(final Kind kind, final String name, final Serializable extra)
    {
        return new Handle(kind, null, name, 0, extra);
    }

    /**
     * @return the region of a handle made by {@code of}, attached in this JVM.
     * @throws dev.ipckit.IpcException if it no longer exists.
     */
    public SharedRegion attach()
    {
        return SharedRegion.attach(regionKind, name);
    }

    /**
     * @return the region's id, or the name.
     */
    public String name()
    {
        return name;
    }

    /**
     * @return the fact the kind needs, 0 if none.
     */
    public int detail()
    {
        return detail;
    }

    /**
     * @param type what the companion is.
     * @param <T>  its type.
     * @return the companion, or null.
     */
    public <T> T extra(final Class<T> type)
    {
        return type.cast(extra);
    }

    @Override
    public String toString()
    {
        return "Handle{kind=" + kind + ", name=" + (null == regionKind ? name : regionKind + '@' + name) +
            (0 == detail ? "" : ", detail=" + detail) + '}';
    }

    /**
     * @return the object this handle names, attached in this JVM.
     * @throws ObjectStreamException never; attaching may throw {@link dev.ipckit.IpcException}.
     */
    private Object readResolve() throws ObjectStreamException
    {
        return kind.resolve(this);
    }
}
