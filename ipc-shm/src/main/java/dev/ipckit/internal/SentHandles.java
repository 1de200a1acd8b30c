package dev.ipckit.internal;

import dev.ipckit.IpcException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which shared primitives an encoding carries, so that whoever sends it to a child can keep them
 * alive until that child has attached them or died (DESIGN.md, "handle lifetime"). A handle's
 * {@code writeReplace} calls {@link #note}; it records something only in a thread that has opened
 * a {@link #capture()}, so encoding a queue item or a pipe message records nothing.
 * <p>
 * Two ways to keep what was captured alive: {@link Capture#keepAliveFor(long)} gives a child
 * process an owner link of its own in each group, which its attach takes over and the sweep
 * removes once it died; {@link Capture#retain()} attaches each one in this JVM until closed, for
 * a job whose receiver is not known yet (a pool's queue).
 * <p>
 * <b>Note:</b> internal to ipckit; a capture belongs to the thread that opened it.
 */
public final class SentHandles
{
    private static final ThreadLocal<Capture> CURRENT = new ThreadLocal<>();

    private SentHandles()
    {
    }

    /**
     * Starts recording, in this thread, the primitives encoded until the capture is closed.
     *
     * @return the capture; close it in the same thread.
     */
    public static Capture capture()
    {
        final Capture capture = new Capture(CURRENT.get());
        CURRENT.set(capture);
        return capture;
    }

    /**
     * Records that a handle of {@code kind@id} is being encoded; does nothing outside a capture.
     *
     * @param kind the region's kind.
     * @param id   the region's id.
     */
    public static void note(final String kind, final String id)
    {
        final Capture capture = CURRENT.get();
        if (null != capture)
        {
            capture.groups.add(new Group(kind, id));
        }
    }

    /**
     * Records that a handle of {@code region} is being encoded; does nothing outside a capture.
     *
     * @param region the region behind the handle.
     */
    public static void note(final SharedRegion region)
    {
        note(region.kind(), region.id());
    }

    /** A region: its kind and id. */
    record Group(String kind, String id)
    {
        String name()
        {
            return kind + '@' + id;
        }
    }

    /**
     * The primitives encoded in one thread between {@link #capture()} and {@link #close()}.
     * <p>
     * <b>Note:</b> not thread-safe.
     */
    public static final class Capture implements AutoCloseable
    {
        private final Capture outer;
        private final Set<Group> groups = new LinkedHashSet<>();
        private boolean closed;

        private Capture(final Capture outer)
        {
            this.outer = outer;
        }

        /**
         * @return whether nothing was captured.
         */
        public boolean isEmpty()
        {
            return groups.isEmpty();
        }

        /**
         * Gives a child process an owner link in each captured group that still exists, naming the
         * child's token, so that the group outlives every handle of this process until the child
         * has attached it (its attach takes the link over) or has died (the sweep removes it).
         *
         * @param pid the child's pid, taken from a child of this JVM that has not been waited for.
         * @return whether a link was made.
         * @throws IpcException if a link cannot be made.
         */
        public boolean keepAliveFor(final long pid)
        {
            if (groups.isEmpty())
            {
                return false;
            }
            final String token = ProcessIdentity.tokenOf(pid);
            if (null == token)
            {
                return false;
            }
            boolean made = false;
            for (final Group group : groups)
            {
                made |= SharedRegion.keepAlive(group.name(), pid, token);
            }
            return made;
        }

        /**
         * Attaches each captured region in this JVM, so that it lives until the returned handle
         * is closed, whatever becomes of the handles that were encoded.
         *
         * @return what to close once the receiver has attached them or died; idempotent.
         * @throws IpcException if a region no longer exists.
         */
        public Retained retain()
        {
            final List<SharedRegion> regions = new ArrayList<>(groups.size());
            try
            {
                for (final Group group : groups)
                {
                    regions.add(SharedRegion.attach(group.kind(), group.id()));
                }
            }
            catch (final RuntimeException ex)
            {
                regions.forEach(SharedRegion::close);
                throw ex;
            }
            return new Retained(regions);
        }

        /** Stops recording; what an enclosing capture records goes on. */
        @Override
        public void close()
        {
            if (!closed)
            {
                closed = true;
                if (null == outer)
                {
                    CURRENT.remove();
                }
                else
                {
                    outer.groups.addAll(groups);
                    CURRENT.set(outer);
                }
            }
        }
    }

    /**
     * Regions attached in this JVM by {@link Capture#retain()}.
     * <p>
     * <b>Note:</b> thread-safe; {@link #close()} is idempotent.
     */
    public static final class Retained implements AutoCloseable
    {
        private final List<SharedRegion> regions;

        private Retained(final List<SharedRegion> regions)
        {
            this.regions = regions;
        }

        /** Detaches the regions: each goes if no other process holds it. */
        @Override
        public void close()
        {
            regions.forEach(SharedRegion::close);
        }
    }
}
