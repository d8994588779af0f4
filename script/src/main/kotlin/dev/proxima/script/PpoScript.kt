package dev.proxima.script

import kotlin.script.experimental.annotations.KotlinScript

/**
 * The script definition of `*.ppo.kts` files: a Kotlin script whose last expression is what to train, for example
 *
 * ```kotlin
 * // cartpole.ppo.kts
 * PpoConfig.builder().env("CartPole-v1").rollout(8, 32).build()
 * ```
 *
 * A script sees the imports of [PpoScriptDefaults.IMPORTS] without writing them, may declare its own classes (an
 * `Env`, a `LossTerm`) and runs with `proxima train FILE`. The compilation settings are in
 * [PpoScriptCompilationConfiguration].
 *
 * IDE support: this class's jar carries the marker `META-INF/kotlin/script/templates/dev.proxima.script.PpoScript`,
 * so IntelliJ IDEA recognises `*.ppo.kts` files and offers completion once `proxima-script` is on the project's
 * class path.
 */
@KotlinScript(
    displayName = PpoScript.DISPLAY_NAME,
    fileExtension = PpoScript.FILE_EXTENSION,
    compilationConfiguration = PpoScriptCompilationConfiguration::class,
)
abstract class PpoScript {
    companion object {
        /** The extension that makes a file a Proxima script, without the leading dot. */
        const val FILE_EXTENSION = "ppo.kts"
        const val DISPLAY_NAME = "Proxima PPO script"
    }
}
