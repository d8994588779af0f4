package dev.proxima.script

import java.io.File
import java.net.URISyntaxException
import java.nio.file.Paths
import kotlin.script.experimental.api.ScriptAcceptedLocation
import kotlin.script.experimental.api.ScriptCompilationConfiguration
import kotlin.script.experimental.api.acceptedLocations
import kotlin.script.experimental.api.defaultImports
import kotlin.script.experimental.api.ide
import kotlin.script.experimental.jvm.jvm
import kotlin.script.experimental.jvm.jvmTarget
import kotlin.script.experimental.jvm.updateClasspath

/**
 * How a `*.ppo.kts` script is compiled: Proxima's packages imported by default, JVM target 17 (so inline functions
 * from Proxima's Kotlin modules, compiled for 17, can be inlined), and a class path of exactly the jars that hold
 * Proxima and the Kotlin standard library.
 *
 * The class path is found from anchor classes rather than from the whole class path of the host: the `proxima`
 * command carries the Kotlin compiler (60 MB), which a script must neither see nor pay for at compile time.
 */
object PpoScriptCompilationConfiguration : ScriptCompilationConfiguration({
    defaultImports(PpoScriptDefaults.IMPORTS)
    jvm {
        jvmTarget("17")
        updateClasspath(PpoScriptDefaults.classpath())
    }
    ide {
        acceptedLocations(ScriptAcceptedLocation.Everywhere)
    }
})

/** What every `*.ppo.kts` script gets without asking: its imports and its compile class path. */
object PpoScriptDefaults {
    /** Packages imported into every script. */
    @JvmField
    val IMPORTS: List<String> = listOf(
        "dev.proxima.core.ppo.*",
        "dev.proxima.core.train.*",
        "dev.proxima.core.nn.*",
        "dev.proxima.core.env.*",
        "dev.proxima.core.space.*",
        "dev.proxima.core.dist.ContinuousActions",
        "dev.proxima.core.dist.LogStdBound",
        // Not dev.proxima.envs.classic.*: its Java env classes share their names with the DSL's env objects
        // (CartPole, Pendulum, ...), which would shadow them anyway. Import a class explicitly to use it.
        "dev.proxima.envs.classic.ClassicControl",
        "dev.proxima.core.env.check.*",
        "dev.proxima.dsl.*",
        "dev.proxima.dsl.pipeline.*",
    )

    /**
     * One class from each library a script may use. Optional libraries (absent from a class path that lacks them)
     * are skipped.
     */
    private val ANCHORS = listOf(
        "kotlin.Unit",                                          // kotlin-stdlib
        "kotlin.script.experimental.annotations.KotlinScript",  // kotlin-scripting-common (the @KotlinScript base)
        "kotlin.script.experimental.jvm.JvmDependency",         // kotlin-scripting-jvm
        "dev.proxima.script.PpoScript",                         // this module
        "dev.proxima.core.ppo.PpoConfig",                       // proxima-core
        "dev.proxima.envs.classic.CartPole",                    // proxima-envs
        "dev.proxima.dsl.PpoSpec",                              // proxima-dsl
        "kotlinx.coroutines.flow.Flow",                         // kotlinx-coroutines (in the DSL's signatures)
        "org.koin.core.Koin",                                   // koin-core (ppo(koin) { })
    )

    /** The jars (or class directories) that hold the [ANCHORS] present on this class path, without duplicates. */
    @JvmStatic
    fun classpath(): List<File> {
        val loader = PpoScript::class.java.classLoader
        val files = LinkedHashSet<File>()
        for (name in ANCHORS) {
            val type = try {
                Class.forName(name, false, loader)
            } catch (e: ClassNotFoundException) {
                continue
            }
            codeSource(type)?.let { files += it }
        }
        return files.toList()
    }

    private fun codeSource(type: Class<*>): File? {
        val location = type.protectionDomain?.codeSource?.location ?: return null
        return try {
            Paths.get(location.toURI()).toFile()
        } catch (e: URISyntaxException) {
            null
        } catch (e: IllegalArgumentException) {
            null // not a file: URL (e.g. a custom class loader); the compiler cannot read it either
        }
    }
}
