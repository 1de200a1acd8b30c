package dev.ipckit.bench;

import java.io.Serializable;

/**
 * The small object of the object workloads: the Java counterpart of Python's {@code ("task", i)}
 * tuple, sent with Java serialization (ipckit's default codec).
 *
 * @param kind what the job is.
 * @param seq  its sequence number.
 */
record Job(String kind, int seq) implements Serializable
{
}
