package dev.proxima.cli.script

import java.io.File
import java.nio.file.Files
import java.nio.file.Path
import kotlin.script.experimental.api.ResultWithDiagnostics
import kotlin.script.experimental.api.ScriptCollectedData
import kotlin.script.experimental.api.ScriptCompilationConfiguration
import kotlin.script.experimental.api.ScriptConfigurationRefinementContext
import kotlin.script.experimental.api.ScriptDiagnostic
import kotlin.script.experimental.api.asSuccess
import kotlin.script.experimental.api.collectedAnnotations
import kotlin.script.experimental.api.dependencies
import kotlin.script.experimental.api.with
import kotlin.script.experimental.dependencies.DependsOn
import kotlin.script.experimental.host.FileScriptSource
import kotlin.script.experimental.jvm.JvmDependency

/**
 * Resolves Kotlin's `@file:DependsOn(...)` in a script, offline: each value is either
 * - `group:artifact:version` (or `group:artifact:version:classifier`), the jar
 *   `<local repository>/group/as/path/artifact/version/artifact-version[-classifier].jar` of the local Maven repository
 *   (`-Dmaven.repo.local`, else `$PROXIMA_MAVEN_REPO`, else `~/.m2/repository`); only that jar, not its own
 *   dependencies: name each jar the script needs;
 * - or a path to a jar or a class directory, relative to the script's folder.
 * Nothing is downloaded. A value that cannot be resolved is a compile error at the annotation's line.
 */
class DependsOnResolver(private val env: Map<String, String> = System.getenv()) {
    /** The local Maven repository. */
    fun repository(): Path = System.getProperty("maven.repo.local")?.takeIf { it.isNotBlank() }?.let { Path.of(it) }
        ?: env["PROXIMA_MAVEN_REPO"]?.takeIf { it.isNotBlank() }?.let { Path.of(it) }
        ?: Path.of(System.getProperty("user.home"), ".m2", "repository")

    /** The jars the last [refine] resolved (the host reads them after compiling). */
    @Volatile
    var lastResolved: List<File> = emptyList()

    fun refine(context: ScriptConfigurationRefinementContext): ResultWithDiagnostics<ScriptCompilationConfiguration> {
        lastResolved = emptyList()
        val annotations = context.collectedData?.get(ScriptCollectedData.collectedAnnotations).orEmpty()
            .filter { it.annotation is DependsOn }
        if (annotations.isEmpty()) return context.compilationConfiguration.asSuccess()
        val scriptDir = (context.script as? FileScriptSource)?.file?.absoluteFile?.parentFile?.toPath()
        val files = ArrayList<File>()
        val errors = ArrayList<ScriptDiagnostic>()
        for (a in annotations) {
            for (value in (a.annotation as DependsOn).artifactsCoordinates) {
                val r = resolve(value, scriptDir)
                if (r.file != null) files += r.file
                else errors += ScriptDiagnostic(ScriptDiagnostic.unspecifiedError, r.problem!!,
                    ScriptDiagnostic.Severity.ERROR, a.location?.codeLocationId, a.location?.locationInText)
            }
        }
        if (errors.isNotEmpty()) return ResultWithDiagnostics.Failure(errors)
        lastResolved = files.toList()
        return context.compilationConfiguration.with {
            dependencies.append(JvmDependency(files))
        }.asSuccess()
    }

    class Resolved(val file: File?, val problem: String?)

    fun resolve(value: String, scriptDir: Path?): Resolved {
        val v = value.trim()
        val parts = v.split(':')
        val looksLikeCoordinates = parts.size in 3..4 && parts.all { it.isNotBlank() && !it.contains('/') && !it.contains('\\') }
        if (!looksLikeCoordinates) {
            val p = (scriptDir ?: Path.of("")).resolve(v)
            return if (Files.isRegularFile(p) || Files.isDirectory(p)) Resolved(p.toAbsolutePath().normalize().toFile(), null)
            else Resolved(null, "@file:DependsOn(\"$value\"): no such jar or directory ($p), and it is not Maven" +
                " coordinates group:artifact:version.")
        }
        val (group, artifact, version) = parts
        val classifier = parts.getOrNull(3)
        val repo = repository()
        val jar = repo.resolve(group.replace('.', '/')).resolve(artifact).resolve(version)
            .resolve("$artifact-$version${classifier?.let { "-$it" } ?: ""}.jar")
        return if (Files.isRegularFile(jar)) Resolved(jar.toFile(), null)
        else Resolved(null, "@file:DependsOn(\"$value\"): $jar is not in the local Maven repository ($repo); Proxima" +
            " resolves offline. Fetch it first, e.g. mvn dependency:get -Dartifact=$v, or give the jar's path.")
    }
}
