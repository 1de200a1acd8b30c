package dev.ipckit.examples;

import dev.ipckit.process.IpcProcess;

/**
 * Two processes, one printing {@code Hi-------}, the other {@code Yes------}, then sleeping, in a
 * loop: the lines alternate. The original loops for ever, a second a turn; this does five turns
 * of 0.2 s each and waits for both, so it prints five of each.
 */
public final class SayHiSayYes
{
    private static final int TURNS = 5;

    private SayHiSayYes()
    {
    }

    /**
     * @param args ignored.
     * @throws Exception if a wait is interrupted.
     */
    public static void main(final String[] args) throws Exception
    {
        final IpcProcess p1 = IpcProcess.start(SayHiSayYes::sayHi);
        final IpcProcess p2 = IpcProcess.start(SayHiSayYes::sayYes);
        p1.join();
        p2.join();
    }

    private static void sayHi() throws InterruptedException
    {
        for (int i = 0; i < TURNS; i++)
        {
            System.out.println("Hi-------");
            Thread.sleep(200);
        }
    }

    private static void sayYes() throws InterruptedException
    {
        for (int i = 0; i < TURNS; i++)
        {
            System.out.println("Yes------");
            Thread.sleep(200);
        }
    }
}
