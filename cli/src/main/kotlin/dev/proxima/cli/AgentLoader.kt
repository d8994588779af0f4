package dev.proxima.cli

import dev.proxima.cli.files.InputFiles
import dev.proxima.cli.script.Plugins
import dev.proxima.cli.script.ScriptHost
import dev.proxima.core.checkpoint.CheckpointException
import dev.proxima.core.env.EnvNotFoundException
import dev.proxima.core.plugin.PluginNotFoundException
import dev.proxima.core.plugin.Registry
import dev.proxima.core.ppo.Agent
import dev.proxima.core.ppo.PpoConfig
import dev.proxima.core.train.Trainer
import dev.proxima.dsl.pipeline.PpoTrainer
import java.io.IOException
import java.nio.file.Files
import java.nio.file.Path

/**
 * Loads the agent of a checkpoint for `eval` and `export`, running no code the user did not name: the env and a custom
 * network are looked up in the registry (the built-in envs and the providers of plugin jars); a script runs only when
 * given with `--script`. Every failure is one line that says what is missing and how to provide it.
 *
 * @param command    the command, for messages
 * @param checkpoint the checkpoint as the user typed it
 * @param script     the `--script` value, or null
 */
internal class AgentLoader(private val ctx: Cli.Context, private val command: String, private val checkpoint: String,
                           private val script: String?) {
    fun load(file: Path, plugins: Plugins): Agent {
        val registry = plugins.registry()
        if (script != null) {
            val config = scriptConfig(ctx, command, script!!, plugins)
            val withScript = registry.with(Registry().register(config.env()))
            return try {
                Agent.load(file, withScript, config.network())
            } catch (e: CheckpointException) {
                throw CommandException("$command: ${e.message}")
            } catch (e: EnvNotFoundException) {
                throw CommandException("$command: $checkpoint: ${e.message} (--script $script declares ${config.env().id()})")
            }
        }
        return try {
            registry.loadAgent(file)
        } catch (e: EnvNotFoundException) {
            throw CommandException("$command: $checkpoint was trained on env \"${e.id()}\", which is not registered here" +
                " (known: ${e.known().joinToString(", ")}). If a script declares it, pass that script with --script FILE" +
                " (it is run to find the env); if a jar provides it, add the jar with --classpath JAR or ${Plugins.ENV}." +
                nearbyScripts(file))
        } catch (e: CheckpointException) {
            val custom = e.message.orEmpty().contains("custom network")
            throw CommandException("$command: ${e.message}" + if (custom) " From the command line: --script FILE (the " +
                "training script) or --classpath with a jar whose NetworkProvider registers it." + nearbyScripts(file) else "")
        } catch (e: PluginNotFoundException) {
            throw CommandException("$command: ${e.message}")
        } catch (e: IOException) {
            throw CommandException("$command: ${e.message}")
        }
    }

    /** Scripts beside a run's checkpoint: named, never run. */
    private fun nearbyScripts(file: Path): String {
        val runDir = file.toAbsolutePath().parent?.parent ?: return ""
        val scripts = try {
            Files.list(runDir).use { s -> s.filter { it.fileName.toString().endsWith(".ppo.kts") }.map { ctx.display(it) }.toList() }
        } catch (e: IOException) {
            return ""
        }
        return if (scripts.isEmpty()) "" else " (The run directory holds ${scripts.joinToString(", ")}; it is not run" +
            " unless you pass it with --script.)"
    }

}

/**
 * The configuration of the script [arg] (`--script` of `eval`, `export` and `worker`): it is compiled (or loaded from
 * the cache) and run, and its value (a `ppo { }` block, a `PpoConfig` or a `Trainer`) gives the env and network it
 * declares.
 */
internal fun scriptConfig(ctx: Cli.Context, command: String, arg: String, plugins: Plugins): PpoConfig {
    val path = InputFiles.requireReadableFile(ctx.workDir.resolve(arg), arg, "script")
    val host = ScriptHost(ctx.cacheDir, plugins)
    host.cacheNotes.forEach { ctx.err.println("proxima: note: $it") }
    return when (val value = host.evaluate(host.compile(path, arg), arg)) {
        is PpoConfig -> value
        is PpoTrainer -> value.config
        is Trainer -> value.config()
        else -> throw CommandException("$command: script $arg does not end with a ppo { } block, a PpoConfig or a Trainer.")
    }
}
