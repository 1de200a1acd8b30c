package dev.ipckit.examples;

import dev.ipckit.process.IpcProcess;
import dev.ipckit.sync.IpcEvent;

import java.time.Duration;

/**
 * One child waits for an event for ever, another for two seconds only; the parent sets it after
 * three (PyMOTW's {@code multiprocessing_event.py}).
 */
public final class EventWait
{
    private EventWait()
    {
    }

    /**
     * @param args ignored.
     * @throws Exception if a wait is interrupted.
     */
    public static void main(final String[] args) throws Exception
    {
        try (IpcEvent e = IpcEvent.create())
        {
            final IpcProcess w1 = IpcProcess.builder().name("block").target(() -> waitForEvent(e)).start();
            final IpcProcess w2 = IpcProcess.builder().name("nonblock")
                .target(() -> waitForEventTimeout(e, Duration.ofSeconds(2))).start();

            System.out.println("main: waiting before calling Event.set()");
            Thread.sleep(3_000);
            e.set();
            System.out.println("main: event is set");
            w1.join();
            w2.join();
        }
    }

    private static void waitForEvent(final IpcEvent e) throws InterruptedException
    {
        System.out.println("wait_for_event: starting");
        e.await();
        System.out.println("wait_for_event: e.is_set()-> " + e.isSet());
    }

    private static void waitForEventTimeout(final IpcEvent e, final Duration t) throws InterruptedException
    {
        System.out.println("wait_for_event_timeout: starting");
        e.await(t);
        System.out.println("wait_for_event_timeout: e.is_set()-> " + e.isSet());
    }
}
