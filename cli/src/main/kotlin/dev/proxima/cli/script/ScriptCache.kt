package dev.proxima.cli.script

import dev.proxima.cli.Version
import java.io.File
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardCopyOption
import java.security.MessageDigest
import kotlin.script.experimental.api.CompiledScript
import kotlin.script.experimental.api.ScriptCompilationConfiguration
import kotlin.script.experimental.api.SourceCode
import kotlin.script.experimental.api.compilerOptions
import kotlin.script.experimental.api.defaultImports
import kotlin.script.experimental.api.dependencies
import kotlin.script.experimental.jvm.CompiledJvmScriptsCache
import kotlin.script.experimental.jvm.JvmDependency
import kotlin.script.experimental.jvm.impl.KJvmCompiledScript
import kotlin.script.experimental.jvmhost.loadScriptFromJar
import kotlin.script.experimental.jvmhost.saveToJar

/**
 * Compiled scripts kept as jars in [dir], one per key. The key is a SHA-256 of everything that changes the compiled
 * classes: the script's file name (it names the script class and appears in stack traces) and text, the default
 * imports and compiler options, each class-path entry with its size and modification time (so a rebuilt Proxima jar
 * invalidates what was compiled against the old one), and the Proxima and Kotlin versions.
 *
 * Jars are written to a temporary file and renamed into place, so a concurrent run never reads half a jar; an entry
 * that cannot be read counts as a miss and is compiled again. Hits refresh the entry's modification time, and the
 * oldest entries beyond [maxEntries] are deleted when a new one is stored.
 */
class ScriptCache(val dir: Path, private val maxEntries: Int = 256) : CompiledJvmScriptsCache {
    @Volatile
    var lastWasHit: Boolean = false
        private set

    internal fun resetHit() {
        lastWasHit = false
    }

    override fun get(script: SourceCode, scriptCompilationConfiguration: ScriptCompilationConfiguration): CompiledScript? {
        val file = fileFor(script, scriptCompilationConfiguration).toFile()
        if (!file.isFile) return null
        val loaded = try {
            file.loadScriptFromJar(checkMissingDependencies = true)
        } catch (e: Exception) {
            null // unreadable or foreign: compile again and overwrite it
        }
        if (loaded != null) {
            lastWasHit = true
            file.setLastModified(System.currentTimeMillis())
        }
        return loaded
    }

    override fun store(
        compiledScript: CompiledScript,
        script: SourceCode,
        scriptCompilationConfiguration: ScriptCompilationConfiguration,
    ) {
        val jvmScript = compiledScript as? KJvmCompiledScript ?: return
        try {
            Files.createDirectories(dir)
            val target = fileFor(script, scriptCompilationConfiguration)
            val tmp = Files.createTempFile(dir, ".store-", ".tmp")
            try {
                jvmScript.saveToJar(tmp.toFile())
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE)
            } finally {
                Files.deleteIfExists(tmp)
            }
            prune()
        } catch (e: Exception) {
            // A cache that cannot be written (read-only home, full disk) only costs the next run a compile.
        }
    }

    /** The jar a script with this text and configuration is cached in. */
    fun fileFor(script: SourceCode, configuration: ScriptCompilationConfiguration): Path =
        dir.resolve(key(script, configuration) + ".jar")

    private fun prune() {
        val jars = Files.list(dir).use { s -> s.filter { it.fileName.toString().endsWith(".jar") }.toList() }
        if (jars.size <= maxEntries) return
        jars.sortedBy { Files.getLastModifiedTime(it).toMillis() }.take(jars.size - maxEntries)
            .forEach { Files.deleteIfExists(it) }
    }

    companion object {
        /** Changes whenever the cache layout or key changes, so old entries are never read by new code. */
        private const val FORMAT = "proxima-script-cache/1"

        fun key(script: SourceCode, configuration: ScriptCompilationConfiguration): String {
            val d = MessageDigest.getInstance("SHA-256")
            fun add(s: String) {
                val b = s.toByteArray(Charsets.UTF_8)
                d.update(ByteArray(4) { i -> (b.size ushr (24 - 8 * i)).toByte() })
                d.update(b)
            }
            add(FORMAT)
            add(Version.PROXIMA)
            add(KotlinVersion.CURRENT.toString())
            add(script.name ?: "")
            add(script.text)
            configuration[ScriptCompilationConfiguration.defaultImports].orEmpty().forEach { add("import $it") }
            configuration[ScriptCompilationConfiguration.compilerOptions].orEmpty().forEach { add("option $it") }
            configuration[ScriptCompilationConfiguration.dependencies].orEmpty().forEach { dep ->
                if (dep is JvmDependency) {
                    dep.classpath.forEach { add("cp " + describe(it)) }
                } else {
                    add("dep $dep")
                }
            }
            return d.digest().joinToString("") { "%02x".format(it) }
        }

        private fun describe(f: File): String = f.absolutePath + "|" + f.length() + "|" + f.lastModified()
    }
}
