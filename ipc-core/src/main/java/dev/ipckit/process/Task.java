package dev.ipckit.process;

import java.io.Serializable;

/**
 * What a child process runs: Python's {@code Process(target=...)}. Usually a lambda; whatever it
 * captures travels with it, so captured values must be {@code Serializable} (ipckit's pipes,
 * queues and shared values are, as handles).
 */
@FunctionalInterface
public interface Task extends Serializable
{
    /**
     * Runs in the child. Returning ends the child with exit code 0; an exception with exit code 1,
     * its stack trace printed to the child's standard error.
     *
     * @throws Exception anything; it ends the child with exit code 1.
     */
    void run() throws Exception;
}
