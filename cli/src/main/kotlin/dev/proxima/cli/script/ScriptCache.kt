package dev.proxima.cli.script

import dev.proxima.cli.Version
import java.io.File
import java.io.IOException
import java.nio.file.Files
import java.nio.file.LinkOption
import java.nio.file.Path
import java.nio.file.StandardCopyOption
import java.nio.file.attribute.PosixFilePermission
import java.nio.file.attribute.PosixFilePermissions
import java.security.MessageDigest
import java.util.Properties
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
 * **Each entry is verified before it is loaded** (a cached jar is code that runs): beside `KEY.jar` a `KEY.properties`
 * records the key, the SHA-256 of the script's text, the Proxima and Kotlin versions and the SHA-256 of the jar; an
 * entry is used only when all of them match the script being compiled and the jar's bytes, so a jar copied or planted
 * under another script's key is not run. The folder is private to the user: created with mode 0700 (and tightened to
 * it when it is the user's own), and not used at all when another user owns it ([notes] says so); entries owned by
 * someone else or writable by others are ignored too.
 *
 * Jars are written to a temporary file and renamed into place, so a concurrent run never reads half a jar; an entry
 * that cannot be read or verified counts as a miss and is compiled again. Hits refresh the entry's modification time,
 * and the oldest entries beyond [maxEntries] are deleted when a new one is stored.
 */
class ScriptCache(val dir: Path, private val maxEntries: Int = 256) : CompiledJvmScriptsCache {
    @Volatile
    var lastWasHit: Boolean = false
        private set

    /**
     * The `@file:DependsOn` jars of the entry [get] last loaded (a script loaded from a jar knows its refined
     * configuration only once its class is loaded, which needs these jars first).
     */
    @Volatile
    var lastDependsOn: List<File> = emptyList()
        private set

    /** The `@file:DependsOn` jars of the next [store] (set by the host before compiling). */
    @Volatile
    internal var dependsOnOf: (CompiledScript) -> List<File> = { emptyList() }

    /** Why the cache was not used, if it was not. */
    val notes: MutableList<String> = ArrayList()

    private var usable: Boolean? = null

    internal fun resetHit() {
        lastWasHit = false
        lastDependsOn = emptyList()
    }

    override fun get(script: SourceCode, scriptCompilationConfiguration: ScriptCompilationConfiguration): CompiledScript? {
        if (!usable()) return null
        val key = key(script, scriptCompilationConfiguration)
        val jar = dir.resolve("$key.jar")
        val meta = dir.resolve("$key.properties")
        if (!Files.isRegularFile(jar, LinkOption.NOFOLLOW_LINKS) || !Files.isRegularFile(meta, LinkOption.NOFOLLOW_LINKS)) return null
        if (!private(jar) || !private(meta)) return null
        val loaded = try {
            val p = Properties().apply { Files.newInputStream(meta).use { load(it) } }
            val ok = p.getProperty("format") == FORMAT && p.getProperty("key") == key &&
                p.getProperty("script_sha256") == sha256(script.text.toByteArray(Charsets.UTF_8)) &&
                p.getProperty("proxima_version") == Version.PROXIMA &&
                p.getProperty("kotlin_version") == KotlinVersion.CURRENT.toString() &&
                p.getProperty("jar_sha256") == sha256(Files.readAllBytes(jar))
            if (ok) {
                lastDependsOn = p.getProperty("depends_on").orEmpty().split(File.pathSeparator).filter { it.isNotEmpty() }.map { File(it) }
                jar.toFile().loadScriptFromJar(checkMissingDependencies = true)
            } else null
        } catch (e: Exception) {
            null // unreadable or foreign: compile again and overwrite it
        }
        if (loaded != null) {
            lastWasHit = true
            jar.toFile().setLastModified(System.currentTimeMillis())
        }
        return loaded
    }

    override fun store(
        compiledScript: CompiledScript,
        script: SourceCode,
        scriptCompilationConfiguration: ScriptCompilationConfiguration,
    ) {
        val jvmScript = compiledScript as? KJvmCompiledScript ?: return
        if (!usable()) return
        try {
            val key = key(script, scriptCompilationConfiguration)
            val tmp = Files.createTempFile(dir, ".store-", ".tmp")
            try {
                jvmScript.saveToJar(tmp.toFile())
                val p = Properties()
                p["format"] = FORMAT
                p["key"] = key
                p["script_name"] = script.name ?: ""
                p["script_sha256"] = sha256(script.text.toByteArray(Charsets.UTF_8))
                p["proxima_version"] = Version.PROXIMA
                p["kotlin_version"] = KotlinVersion.CURRENT.toString()
                p["jar_sha256"] = sha256(Files.readAllBytes(tmp))
                p["depends_on"] = dependsOnOf(compiledScript).joinToString(File.pathSeparator) { it.path }
                val metaTmp = Files.createTempFile(dir, ".store-", ".tmp")
                try {
                    Files.newOutputStream(metaTmp).use { p.store(it, "proxima script cache entry: verified before its jar is loaded") }
                    Files.move(tmp, dir.resolve("$key.jar"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE)
                    Files.move(metaTmp, dir.resolve("$key.properties"), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE)
                } finally {
                    Files.deleteIfExists(metaTmp)
                }
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

    /** Creates the folder (0700) or checks that an existing one is the user's and private (tightening it if needed). */
    private fun usable(): Boolean = synchronized(this) {
        usable ?: check().also { usable = it }
    }

    private fun check(): Boolean {
        val posix = dir.fileSystem.supportedFileAttributeViews().contains("posix")
        try {
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(dir.toAbsolutePath().parent)
                if (posix) {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PRIVATE))
                    Files.setPosixFilePermissions(dir, PRIVATE) // the umask may have taken bits away; never adds any
                } else {
                    Files.createDirectory(dir)
                }
                return true
            }
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                notes += "script cache $dir is not a directory (a symbolic link or a file); scripts are compiled without the cache"
                return false
            }
            if (!posix) return true
            val me = currentUser()
            if (me != null && Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).name != me) {
                notes += "script cache $dir belongs to ${Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).name}, not to you; " +
                    "scripts are compiled without the cache (a cached script is code that runs)"
                return false
            }
            val perms = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS)
            if (perms != PRIVATE) Files.setPosixFilePermissions(dir, PRIVATE)
            return true
        } catch (e: IOException) {
            notes += "script cache $dir cannot be used (${e.message}); scripts are compiled without the cache"
            return false
        } catch (e: UnsupportedOperationException) {
            return true
        }
    }

    private fun private(file: Path): Boolean {
        if (!file.fileSystem.supportedFileAttributeViews().contains("posix")) return true
        return try {
            val me = currentUser()
            (me == null || Files.getOwner(file, LinkOption.NOFOLLOW_LINKS).name == me) &&
                Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS).none { it in OTHERS_WRITE }
        } catch (e: IOException) {
            false
        }
    }

    private fun prune() {
        val jars = Files.list(dir).use { s -> s.filter { it.fileName.toString().endsWith(".jar") }.toList() }
        if (jars.size <= maxEntries) return
        jars.sortedBy { Files.getLastModifiedTime(it).toMillis() }.take(jars.size - maxEntries).forEach {
            Files.deleteIfExists(it)
            Files.deleteIfExists(it.resolveSibling(it.fileName.toString().removeSuffix(".jar") + ".properties"))
        }
    }

    companion object {
        /** Changes whenever the cache layout or key changes, so old entries are never read by new code. */
        private const val FORMAT = "proxima-script-cache/2"
        private val PRIVATE = PosixFilePermissions.fromString("rwx------")
        private val OTHERS_WRITE = setOf(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE)

        private fun currentUser(): String? = System.getProperty("user.name")

        fun sha256(bytes: ByteArray): String =
            MessageDigest.getInstance("SHA-256").digest(bytes).joinToString("") { "%02x".format(it) }

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
