package dev.proxima.cli.script

import dev.proxima.cli.CommandException
import dev.proxima.cli.files.InputFiles
import dev.proxima.core.plugin.Registry
import java.io.File
import java.net.URLClassLoader
import java.nio.file.Files
import java.nio.file.Path

/**
 * The user's plugin jars (`--classpath`, `PROXIMA_CLASSPATH`): a class loader over them, child of Proxima's, whose
 * `META-INF/services` providers (envs, networks, loss terms) are added to the global [Registry], so `envs`,
 * `check-env`, scripts and `eval` all see them. Scripts compile against these jars too.
 *
 * An entry is a jar, a directory of classes, or a directory followed by `/` and `*` (every jar in it), separated by the
 * platform's path separator (`:` on Unix), as `java -cp` takes them.
 */
class Plugins private constructor(val entries: List<Path>, parent: ClassLoader) {
    /** Loads the user's classes (Proxima's own loader when there are none). */
    val loader: ClassLoader = if (entries.isEmpty()) parent
        else URLClassLoader("proxima-plugins", entries.map { it.toUri().toURL() }.toTypedArray(), parent)

    /** Adds the providers of [loader] to the global registry (once); returns it. */
    fun registry(): Registry {
        val r = Registry.global()
        if (entries.isNotEmpty() && !loaded) {
            try {
                r.loadProviders(loader)
            } catch (e: IllegalStateException) {
                throw CommandException("--classpath/$ENV: ${e.message}")
            } catch (e: java.util.ServiceConfigurationError) {
                throw CommandException("--classpath/$ENV: a provider could not be loaded: ${e.message}")
            }
            loaded = true
        }
        return r
    }

    @Volatile
    private var loaded = false

    companion object {
        /** The environment variable read for plugin entries (before `--classpath`'s). */
        const val ENV = "PROXIMA_CLASSPATH"

        val NONE = Plugins(emptyList(), Plugins::class.java.classLoader)
        private val LOADED = HashMap<List<Path>, Plugins>()

        /**
         * The entries of [env]'s `PROXIMA_CLASSPATH` and of each `--classpath` value, resolved against [workDir];
         * every entry must exist (the message names the one that does not, and where it came from).
         */
        fun of(options: List<String>, env: Map<String, String>, workDir: Path): Plugins {
            val specs = ArrayList<Pair<String, String>>()
            env[ENV]?.takeIf { it.isNotBlank() }?.let { v -> v.split(File.pathSeparator).forEach { specs += it to ENV } }
            options.forEach { v -> v.split(File.pathSeparator).forEach { specs += it to "--classpath" } }
            val entries = LinkedHashSet<Path>()
            for ((spec, from) in specs) {
                if (spec.isBlank()) continue
                if (spec.endsWith("/*") || spec.endsWith(File.separator + "*")) {
                    val dir = workDir.resolve(spec.dropLast(2))
                    InputFiles.problem(dir, spec.dropLast(2))?.let { throw CommandException("$from: $it") }
                    if (!Files.isDirectory(dir)) throw CommandException("$from: $spec: ${spec.dropLast(2)} is not a directory.")
                    Files.list(dir).use { s ->
                        s.filter { it.fileName.toString().endsWith(".jar") && Files.isRegularFile(it) }.sorted()
                            .forEach { entries.add(it.toAbsolutePath().normalize()) }
                    }
                    continue
                }
                val p = workDir.resolve(spec)
                InputFiles.problem(p, spec)?.let { throw CommandException("$from: $it") }
                if (!Files.isDirectory(p) && !spec.endsWith(".jar") && !spec.endsWith(".zip")) {
                    throw CommandException("$from: $spec is neither a jar nor a directory of classes.")
                }
                if (!Files.isReadable(p)) throw CommandException("$from: cannot read $spec: permission denied.")
                entries.add(p.toAbsolutePath().normalize())
            }
            if (entries.isEmpty()) return NONE
            // One loader per set of entries in a process: the registry refuses an env id from two providers, and a
            // second loader of the same jar would be a second provider.
            return synchronized(LOADED) {
                LOADED.getOrPut(entries.toList()) { Plugins(entries.toList(), Plugins::class.java.classLoader) }
            }
        }
    }
}
