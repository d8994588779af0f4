package dev.proxima.cli.script

import dev.proxima.cluster.ClusterCollector
import dev.proxima.script.PpoScript
import dev.proxima.script.PpoScriptCompilationConfiguration
import java.io.File
import java.net.URLClassLoader
import java.nio.file.Files
import java.nio.file.Path
import kotlin.script.experimental.api.CompiledScript
import kotlin.script.experimental.api.EvaluationResult
import kotlin.script.experimental.api.ResultValue
import kotlin.script.experimental.api.ResultWithDiagnostics
import kotlin.script.experimental.api.ScriptCompilationConfiguration
import kotlin.script.experimental.api.ScriptDiagnostic
import kotlin.script.experimental.api.ScriptEvaluationConfiguration
import kotlin.script.experimental.api.KotlinType
import kotlin.script.experimental.api.baseClass
import kotlin.script.experimental.api.defaultImports
import kotlin.script.experimental.api.dependencies
import kotlin.script.experimental.api.displayName
import kotlin.script.experimental.api.fileExtension
import kotlin.script.experimental.api.hostConfiguration
import kotlin.script.experimental.api.refineConfiguration
import kotlin.script.experimental.dependencies.DependsOn
import kotlin.script.experimental.jvm.JvmDependency
import kotlin.script.experimental.host.FileScriptSource
import kotlin.script.experimental.host.ScriptingHostConfiguration
import kotlin.script.experimental.jvm.BasicJvmScriptEvaluator
import kotlin.script.experimental.jvm.baseClassLoader
import kotlin.script.experimental.jvm.compilationCache
import kotlin.script.experimental.jvm.defaultJvmScriptingHostConfiguration
import kotlin.script.experimental.jvm.jvm
import kotlin.script.experimental.jvm.loadDependencies
import kotlin.script.experimental.jvmhost.BasicJvmScriptingHost
import kotlin.script.experimental.jvmhost.JvmScriptCompiler

/**
 * Compiles and runs `*.ppo.kts` scripts with the embedded Kotlin compiler (`kotlin-scripting-jvm-host`), caching
 * compiled scripts as jars in [cacheDir] (see [ScriptCache]) so an unchanged script skips the compiler, which costs
 * seconds, on every later run.
 *
 * The script's classes are loaded by a child of the class loader that loaded Proxima (through the user's [plugins]
 * jars and the script's own `@file:DependsOn` jars, see [DependsOnResolver]), so what a script returns (a
 * `PpoConfig`, a trainer) is of the host's own classes.
 *
 * @param cacheDir where compiled scripts are kept, or null for no cache
 */
class ScriptHost(val cacheDir: Path?, private val plugins: Plugins = Plugins.NONE) {
    private val cache: ScriptCache? = cacheDir?.let { ScriptCache(it) }

    /** What the user should know about the cache (e.g. that it was not used), once per host. */
    val cacheNotes: List<String> get() = cache?.notes.orEmpty()

    private val dependsOn = DependsOnResolver()

    init {
        cache?.dependsOnOf = { dependsOn.lastResolved }
    }

    private val hostConfiguration = ScriptingHostConfiguration(defaultJvmScriptingHostConfiguration) {
        if (cache != null) {
            jvm { compilationCache(cache) }
        }
    }

    /**
     * What `createJvmCompilationConfigurationFromTemplate<PpoScript>()` would give, built without it: the template
     * path reads the `@KotlinScript` annotation through kotlin-reflect, which loads some 800 classes and costs a
     * cached run a third of a second before the script even starts.
     */
    private val compilationConfiguration = ScriptCompilationConfiguration(PpoScriptCompilationConfiguration) {
        baseClass(KotlinType(PpoScript::class.java.name))
        fileExtension(PpoScript.FILE_EXTENSION)
        displayName(PpoScript.DISPLAY_NAME)
        hostConfiguration(this@ScriptHost.hostConfiguration)
        // A builder's value replaces its base configuration's (it does not add to it): spell out the whole lists.
        // The cluster module (cluster(workers) { } in ppo { }) comes with the command line, not with the script
        // definition, so proxima-script stays free of Hazelcast.
        defaultImports(PpoScriptCompilationConfiguration[ScriptCompilationConfiguration.defaultImports].orEmpty() +
            DependsOn::class.java.name + CLUSTER_IMPORT)
        dependencies(PpoScriptCompilationConfiguration[ScriptCompilationConfiguration.dependencies].orEmpty() +
            JvmDependency(listOfNotNull(codeSource(DependsOn::class.java), codeSource(ClusterCollector::class.java)) +
                plugins.entries.map { it.toFile() }))
        refineConfiguration {
            onAnnotations(DependsOn::class, handler = { ctx -> dependsOn.refine(ctx) })
        }
    }

    private val host = BasicJvmScriptingHost(
        baseHostConfiguration = hostConfiguration,
        compiler = JvmScriptCompiler(hostConfiguration),
        evaluator = BasicJvmScriptEvaluator(),
    )

    /** A compiled script, whether it came from the cache, and how long getting it took. */
    class Compiled internal constructor(
        val file: Path,
        internal val script: CompiledScript,
        val fromCache: Boolean,
        val seconds: Double,
        val warnings: List<ScriptMessage>,
        /** The jars the script's `@file:DependsOn` annotations added. */
        val dependsOn: List<File>,
    )

    /**
     * Compiles [file] (or loads it from the cache).
     *
     * @throws ScriptCompileException listing every error with its line and column
     */
    fun compile(file: Path, displayPath: String = file.toString()): Compiled {
        val source = FileScriptSource(file.toFile())
        val start = System.nanoTime()
        cache?.resetHit()
        dependsOn.lastResolved = emptyList()
        val result = host.runInCoroutineContext { host.compiler(source, compilationConfiguration) }
        val seconds = (System.nanoTime() - start) / 1e9
        val messages = messages(result.reports, displayPath)
        return when (result) {
            is ResultWithDiagnostics.Success -> {
                val hit = cache?.lastWasHit == true
                Compiled(file, result.value, hit, seconds, messages.filter { it.severity == ScriptMessage.Severity.WARNING },
                    if (hit) cache!!.lastDependsOn else dependsOn.lastResolved)
            }
            is ResultWithDiagnostics.Failure -> {
                val errors = messages.filter { it.severity == ScriptMessage.Severity.ERROR }
                throw ScriptCompileException(displayPath,
                    errors.ifEmpty { listOf(ScriptMessage(displayPath, 0, 0, ScriptMessage.Severity.ERROR,
                        "the script did not compile, and the compiler gave no reason")) },
                    messages.filter { it.severity == ScriptMessage.Severity.WARNING })
            }
        }
    }

    /**
     * Runs a compiled script and returns the value of its last expression (null if it has none).
     *
     * @throws ScriptRuntimeException if the script threw, pointing at the script line
     */
    fun evaluate(compiled: Compiled, displayPath: String = compiled.file.toString()): Any? {
        val jars = compiled.dependsOn
        val loader = if (jars.isEmpty()) plugins.loader
            else URLClassLoader("proxima-script-dependencies", jars.map { it.toURI().toURL() }.toTypedArray(), plugins.loader)
        if (jars.isNotEmpty()) dev.proxima.core.plugin.Registry.global().loadProviders(loader)
        val evaluationConfiguration = ScriptEvaluationConfiguration {
            jvm {
                baseClassLoader(loader)
                // Proxima and the plugins are already on the host's class path: no second loader for them.
                loadDependencies(false)
            }
        }
        val thread = Thread.currentThread()
        val previous = thread.contextClassLoader
        thread.contextClassLoader = loader
        val result: ResultWithDiagnostics<EvaluationResult> = try {
            host.runInCoroutineContext { host.evaluator(compiled.script, evaluationConfiguration) }
        } finally {
            thread.contextClassLoader = previous
        }
        return when (result) {
            is ResultWithDiagnostics.Failure -> {
                val thrown = result.reports.firstNotNullOfOrNull { it.exception }
                if (thrown != null) {
                    throw ScriptRuntimeException.of(thrown, compiled.file.fileName.toString(), displayPath)
                }
                throw ScriptRuntimeException(displayPath, 0,
                    result.reports.joinToString("; ") { it.message }.ifEmpty { "the script could not be run" }, null)
            }
            is ResultWithDiagnostics.Success -> when (val v = result.value.returnValue) {
                is ResultValue.Value -> v.value
                is ResultValue.Unit -> null
                is ResultValue.Error ->
                    throw ScriptRuntimeException.of(v.error, compiled.file.fileName.toString(), displayPath)
                is ResultValue.NotEvaluated -> throw ScriptRuntimeException(displayPath, 0,
                    "the script was not evaluated", null)
            }
        }
    }

    private fun messages(reports: List<ScriptDiagnostic>, displayPath: String): List<ScriptMessage> =
        reports.mapNotNull { d ->
            val severity = when (d.severity) {
                ScriptDiagnostic.Severity.FATAL, ScriptDiagnostic.Severity.ERROR -> ScriptMessage.Severity.ERROR
                ScriptDiagnostic.Severity.WARNING -> ScriptMessage.Severity.WARNING
                else -> return@mapNotNull null
            }
            val start = d.location?.start
            val text = d.message + (d.exception?.let { e -> if (d.message.contains(e.toString())) "" else ": $e" } ?: "")
            ScriptMessage(if (d.sourcePath == null) displayPath else displayPathOf(d.sourcePath!!, displayPath),
                start?.line ?: 0, start?.col ?: 0, severity, text)
        }

    private fun displayPathOf(sourcePath: String, displayPath: String): String =
        // The compiler reports the absolute path; the user typed displayPath.
        if (File(sourcePath).name == File(displayPath).name) displayPath else sourcePath

    companion object {
        private fun codeSource(type: Class<*>): File? = try {
            type.protectionDomain?.codeSource?.location?.toURI()?.let { File(it) }
        } catch (e: Exception) {
            null
        }

        /** Environment variable naming the cache directory. */
        const val CACHE_ENV = "PROXIMA_SCRIPT_CACHE"

        /** System property naming the cache directory (wins over the environment variable). */
        const val CACHE_PROPERTY = "proxima.script.cache"

        /** Imported into every script besides the script definition's imports: `cluster(workers) { }` and its types. */
        const val CLUSTER_IMPORT = "dev.proxima.cluster.*"

        /**
         * The cache directory: the system property [CACHE_PROPERTY], else the environment variable [CACHE_ENV],
         * else `$XDG_CACHE_HOME/proxima/scripts`, else `~/.cache/proxima/scripts`. The value `off` disables caching.
         */
        fun defaultCacheDir(env: Map<String, String> = System.getenv()): Path? {
            val configured = System.getProperty(CACHE_PROPERTY) ?: env[CACHE_ENV]
            if (configured != null) {
                return if (configured.equals("off", ignoreCase = true) || configured.isBlank()) null else Path.of(configured)
            }
            val xdg = env["XDG_CACHE_HOME"]?.takeIf { it.isNotBlank() }
            val base = if (xdg != null) Path.of(xdg) else Path.of(System.getProperty("user.home"), ".cache")
            return base.resolve("proxima").resolve("scripts")
        }
    }
}

/** One compiler message: `file:line:column: severity: text` (line and column 1-based; 0 when unknown). */
data class ScriptMessage(val file: String, val line: Int, val column: Int, val severity: Severity, val text: String) {
    enum class Severity { ERROR, WARNING }

    override fun toString(): String {
        val where = when {
            line > 0 && column > 0 -> "$file:$line:$column"
            line > 0 -> "$file:$line"
            else -> file
        }
        return "$where: ${severity.name.lowercase()}: $text"
    }
}

/** A script that did not compile; [errors] holds every error the compiler reported. */
class ScriptCompileException(val file: String, val errors: List<ScriptMessage>, val warnings: List<ScriptMessage>) :
    RuntimeException("$file: ${errors.size} error${if (errors.size == 1) "" else "s"}\n" + errors.joinToString("\n"))

/**
 * A script that threw while it ran (or while code it defined ran, e.g. an env class stepped during training).
 *
 * @param line the script line where the exception was thrown from, 0 if no frame of the script is on the stack
 */
class ScriptRuntimeException(val file: String, val line: Int, val detail: String, cause: Throwable?) :
    RuntimeException(detail, cause) {

    /** `file:line: error: detail`, the detail's further lines indented below. */
    fun render(): String {
        val where = if (line > 0) "$file:$line" else file
        return "$where: error: $detail"
    }

    companion object {
        /**
         * Wraps [thrown], finding the script line: the innermost stack frame whose source file is the script's
         * (classes a script declares are compiled into that same file, so their frames count too).
         */
        fun of(thrown: Throwable, scriptFileName: String, displayPath: String): ScriptRuntimeException {
            // The exception the script's code threw may be wrapped (e.g. by the vector env that stepped a script's
            // env class): report it, and the wrapper's message as context.
            val chain = generateSequence(thrown) { t -> t.cause?.takeIf { it !== t } }.take(32).toList()
            val origin = chain.firstOrNull { t -> frameIn(t, scriptFileName) != null } ?: thrown
            val line = frameIn(origin, scriptFileName)?.lineNumber ?: 0
            var detail = describe(origin)
            if (origin !== thrown) {
                val context = thrown.message.orEmpty().removeSuffix(origin.toString()).trimEnd(' ', ':')
                if (context.isNotBlank()) detail += "\n(while: $context)"
            }
            return ScriptRuntimeException(displayPath, line, detail.replace("\n", "\n    "), thrown)
        }

        private fun describe(t: Throwable): String {
            val name = t.javaClass.simpleName.ifEmpty { t.javaClass.name }
            val msg = t.message?.takeIf { it.isNotBlank() }
            return if (msg == null) name else "$name: $msg"
        }

        private fun frameIn(t: Throwable, scriptFileName: String): StackTraceElement? =
            t.stackTrace.firstOrNull { it.fileName == scriptFileName && it.lineNumber > 0 }

        /** The script line of the innermost frame in [scriptFileName] in [thrown] or its causes, 0 if none. */
        fun scriptLine(thrown: Throwable, scriptFileName: String): Int {
            var t: Throwable? = thrown
            val seen = HashSet<Throwable>()
            while (t != null && seen.add(t)) {
                t.stackTrace.firstOrNull { it.fileName == scriptFileName && it.lineNumber > 0 }?.let { return it.lineNumber }
                t = t.cause
            }
            return 0
        }
    }
}

/** Whether a path names a readable regular file. */
internal fun Path.isReadableFile(): Boolean = Files.isRegularFile(this) && Files.isReadable(this)
