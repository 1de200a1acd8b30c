package dev.ipckit.cluster;

import dev.ipckit.IpcException;

/**
 * A cluster member left the cluster (it died, was killed, or was shut down) while it ran a task,
 * or before the task reached it.
 * <p>
 * <b>Note:</b> immutable.
 */
public final class MemberDiedException extends IpcException
{
    private static final long serialVersionUID = 1L;

    /** The dead member's address, {@code host:port}. */
    private final String member;

    /**
     * @param member the member's address, {@code host:port}.
     * @param cause  what Hazelcast reported.
     */
    public MemberDiedException(final String member, final Throwable cause)
    {
        super("member " + member + " left the cluster before the task finished (it died or was shut down)", cause);
        this.member = member;
    }

    /**
     * @return the member's address, {@code host:port}.
     */
    public String member()
    {
        return member;
    }
}
