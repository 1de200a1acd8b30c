package dev.ipckit.durable;

/**
 * One item as a durable queue hands it out, with what at-least-once delivery lets a consumer know:
 * the item's sequence number and whether it was delivered before, to a consumer that died before
 * marking it done (it may have acted on it in part).
 * <p>
 * <b>Note:</b> immutable.
 *
 * @param <E> the element type.
 */
public final class Delivery<E>
{
    private final E value;
    private final long sequence;
    private final boolean redelivered;

    Delivery(final E value, final long sequence, final boolean redelivered)
    {
        this.value = value;
        this.sequence = sequence;
        this.redelivered = redelivered;
    }

    /**
     * @return the item, {@code null} included.
     */
    public E value()
    {
        return value;
    }

    /**
     * @return the item's place in the order of every item put in the queue, from 0, over the
     * queue's whole life; items of one producer have increasing sequences.
     */
    public long sequence()
    {
        return sequence;
    }

    /**
     * @return true if the item was handed to a consumer before, which died before marking it done.
     */
    public boolean redelivered()
    {
        return redelivered;
    }

    @Override
    public String toString()
    {
        return "Delivery{sequence=" + sequence + (redelivered ? ", redelivered" : "") + ", value=" + value + '}';
    }
}
