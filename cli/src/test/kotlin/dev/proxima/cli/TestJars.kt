package dev.proxima.cli

import java.nio.file.Files
import java.nio.file.Path
import java.util.jar.JarEntry
import java.util.jar.JarOutputStream
import javax.tools.ToolProvider

/** Jars made by the tests: Java sources compiled against the test class path, with META-INF/services entries. */
object TestJars {
    /**
     * Compiles [sources] (class name to source) and writes them, with [services] (service interface to provider
     * class), into the jar [jar].
     */
    fun build(jar: Path, sources: Map<String, String>, services: Map<String, String> = emptyMap()): Path {
        val src = Files.createTempDirectory("jar-src")
        val classes = Files.createTempDirectory("jar-classes")
        val files = sources.map { (name, text) ->
            src.resolve(name.replace('.', '/') + ".java").also { Files.createDirectories(it.parent); Files.writeString(it, text) }
        }
        val javac = ToolProvider.getSystemJavaCompiler() ?: error("no Java compiler: the tests need a JDK")
        val code = javac.run(null, null, null, "-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
            *files.map { it.toString() }.toTypedArray())
        check(code == 0) { "javac failed ($code)" }
        Files.createDirectories(jar.toAbsolutePath().parent)
        JarOutputStream(Files.newOutputStream(jar)).use { out ->
            Files.walk(classes).use { s ->
                s.filter { Files.isRegularFile(it) }.sorted().forEach { f ->
                    out.putNextEntry(JarEntry(classes.relativize(f).toString().replace('\\', '/')))
                    out.write(Files.readAllBytes(f))
                    out.closeEntry()
                }
            }
            for ((service, provider) in services) {
                out.putNextEntry(JarEntry("META-INF/services/$service"))
                out.write((provider + "\n").toByteArray())
                out.closeEntry()
            }
        }
        return jar
    }

    /** A plugin jar whose EnvProvider serves `Plugin-v0`: a one-step env with a Box(1) observation, 2 actions. */
    fun pluginEnv(jar: Path): Path = build(jar, mapOf("demo.plugin.PluginProvider" to """
        package demo.plugin;
        import dev.proxima.core.env.*;
        import dev.proxima.core.space.*;
        import java.util.*;
        public final class PluginProvider implements EnvProvider {
            public static final class Coin implements Env<float[], Integer> {
                public Space<float[]> observationSpace() { return Box.of(0f, 1f, 1); }
                public Space<Integer> actionSpace() { return new Discrete(2); }
                public Reset<float[]> reset(long seed) { return new Reset<>(new float[] {0f}); }
                public Reset<float[]> reset() { return new Reset<>(new float[] {0f}); }
                public Step<float[]> step(Integer a) { return new Step<>(new float[] {0f}, a, true, false); }
            }
            public Collection<EnvSpec<?, ?>> specs() {
                return List.of(new EnvSpec<float[], Integer>("Plugin-v0", seed -> new Coin(), 10, 1.0));
            }
        }
    """.trimIndent()), mapOf("dev.proxima.core.env.EnvProvider" to "demo.plugin.PluginProvider"))
}
