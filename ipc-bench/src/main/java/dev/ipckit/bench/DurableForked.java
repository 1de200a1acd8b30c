package dev.ipckit.bench;

import org.openjdk.jmh.annotations.Fork;

/**
 * What every durable-queue benchmark's fork needs: Chronicle Queue's module flags, and its
 * analytics off; JMH's annotations are inherited by the benchmark classes that extend this one.
 */
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
    "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
    "-Dchronicle.analytics.disable=true" })
public abstract class DurableForked
{
}
