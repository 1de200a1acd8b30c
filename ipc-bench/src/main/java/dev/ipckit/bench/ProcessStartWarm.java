package dev.ipckit.bench;

import org.openjdk.jmh.annotations.Benchmark;

/**
 * One child process started and joined after a pause, as a program that starts a worker now and
 * then sees it: the pause lets the spare JVM started after the previous child boot, so this
 * measures handing a task to a warm JVM, running it and reaping the process. Milliseconds per
 * process; CPython has no counterpart row (its spawn costs the same with or without a pause).
 * <p>
 * Not final: JMH subclasses benchmark classes.
 */
public class ProcessStartWarm extends WarmStart
{
    /**
     * Pauses 300 ms: time for the spare to boot.
     */
    public ProcessStartWarm()
    {
        super(300);
    }

    @Benchmark
    public int startJoin() throws InterruptedException
    {
        return ProcessSpawn.startJoinEmptyTask();
    }
}
