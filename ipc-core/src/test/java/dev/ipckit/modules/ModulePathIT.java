package dev.ipckit.modules;

import dev.ipckit.RuntimeDirectory;
import dev.ipckit.support.RuntimeDirectoryClean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.File;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ipckit's packaged jars on the module path, as a modular application uses them: their module
 * names, and the Agrona export check, which must name the export to {@code org.agrona} there (the
 * class path's {@code ALL-UNNAMED} does not help a named Agrona) and must let a JVM with it run
 * shared memory and a child process. Runs after {@code package}, on the jars themselves.
 */
@Timeout(120)
@ExtendWith(RuntimeDirectoryClean.class)
class ModulePathIT
{
    private static final long BOUND_SECONDS = 60;

    @Test
    void shouldNameTheModulesInTheJars()
    {
        final Set<ModuleDescriptor> modules = ModuleFinder.of(jar("ipc-core-"), jar("ipc-shm-")).findAll().stream()
            .map(ModuleReference::descriptor)
            .collect(Collectors.toSet());
        assertEquals(Set.of("dev.ipckit.core", "dev.ipckit.shm"),
            modules.stream().map(ModuleDescriptor::name).collect(Collectors.toSet()));
        assertTrue(modules.stream().allMatch(ModuleDescriptor::isAutomatic), modules.toString());
    }

    @Test
    void shouldNameTheExportToAgronasModuleWhenTheFlagIsMissing() throws Exception
    {
        final Run run = run(List.of());
        assertEquals(3, run.exitCode, run.output);
        assertTrue(run.output.contains("--add-exports java.base/jdk.internal.misc=org.agrona"), run.output);
        assertTrue(run.output.contains("<argLine>"), run.output);
        assertTrue(run.output.contains("applicationDefaultJvmArgs"), run.output);
    }

    @Test
    void shouldNotAcceptTheClassPathExportForAgronaOnTheModulePath() throws Exception
    {
        final Run run = run(List.of("--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"));
        assertEquals(3, run.exitCode, run.output);
        assertTrue(run.output.contains("jdk.internal.misc=org.agrona"), run.output);
    }

    @Test
    void shouldRunSharedMemoryAndAChildOnTheModulePathWithTheFlag() throws Exception
    {
        final Run run = run(List.of("--add-exports", "java.base/jdk.internal.misc=org.agrona"));
        assertEquals(0, run.exitCode, run.output);
        assertTrue(run.output.contains("module=dev.ipckit.shm child exitCode=0 value=42"), run.output);
        assertFalse(run.output.contains("Exception"), run.output);
    }

    private static Run run(final List<String> flags) throws Exception
    {
        final String modulePath = Stream.of(jar("ipc-core-"), jar("ipc-shm-"), jar("agrona-"))
            .map(Path::toString).collect(Collectors.joining(File.pathSeparator));
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(flags);
        command.addAll(List.of(
            "-Dipckit.dir=" + RuntimeDirectory.path(),
            "--module-path", modulePath,
            "--add-modules", "dev.ipckit.core",
            "-cp", testClasses().toString(),
            ModulePathMain.class.getName()));
        final Process jvm = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(jvm.getInputStream().readAllBytes());
        if (!jvm.waitFor(BOUND_SECONDS, TimeUnit.SECONDS))
        {
            jvm.destroyForcibly().waitFor();
            throw new AssertionError("the module-path JVM did not exit: " + output);
        }
        return new Run(jvm.exitValue(), output);
    }

    private static Path jar(final String prefix)
    {
        return classPath()
            .filter(p -> p.getFileName().toString().startsWith(prefix) && p.getFileName().toString().endsWith(".jar") &&
                !p.getFileName().toString().endsWith("-tests.jar"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no " + prefix + "*.jar on the class path (run by failsafe after " +
                "package): " + System.getProperty("java.class.path")));
    }

    private static Path testClasses()
    {
        return Path.of(ModulePathMain.class.getProtectionDomain().getCodeSource().getLocation().getPath());
    }

    private static Stream<Path> classPath()
    {
        return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator)).map(Path::of);
    }

    private record Run(int exitCode, String output)
    {
    }
}
