package dev.ipckit.manager;

import java.io.ObjectStreamException;
import java.io.Serializable;

/**
 * Implemented by every proxy a {@link Manager} hands out, besides the managed object's interface:
 * it makes the proxy {@code Serializable} as a small handle (the server's address, its key and the
 * object's id), so a proxy sent to another process, in a task, a pool job or a queue item, attaches
 * there to the same object.
 * <p>
 * <b>Note:</b> the handle carries the manager's authentication key: send proxies only to processes
 * you would trust with it.
 */
public interface ManagedProxy extends Serializable
{
    /**
     * Called by Java serialization; not meant for direct use.
     *
     * @return the proxy's handle.
     * @throws ObjectStreamException never.
     */
    Object writeReplace() throws ObjectStreamException;
}
