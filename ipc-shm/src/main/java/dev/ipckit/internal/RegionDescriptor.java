package dev.ipckit.internal;

/**
 * Layout of the header of a {@link SharedRegion} file (drawn in its Javadoc): magic, layout version,
 * kind (the hash of its name) and payload length, each an int, then the payload from byte
 * {@link #HEADER_LENGTH}.
 * <p>
 * <b>Note:</b> internal to ipckit; constants and pure functions only.
 */
public final class RegionDescriptor
{
    /** Where the payload starts in the file. */
    public static final int HEADER_LENGTH = 64;
    /** "IPKR", written last: the region is ready. */
    public static final int MAGIC = 0x49504B52;
    /** The layout version this code reads and writes. */
    public static final int VERSION = 1;
    /** Offset of the magic number. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the layout version. */
    public static final int VERSION_OFFSET = 4;
    /** Offset of the kind's hash. */
    public static final int KIND_OFFSET = 8;
    /** Offset of the payload length. */
    public static final int LENGTH_OFFSET = 12;

    private RegionDescriptor()
    {
    }

    /**
     * @param kind a region's kind, e.g. {@code lock}.
     * @return what its header's kind field holds.
     */
    public static int kindHash(final String kind)
    {
        return kind.hashCode();
    }
}
