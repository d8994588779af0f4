package dev.proxima.cli

import dev.proxima.cli.run.TrainTarget
import dev.proxima.cli.script.ScriptHost
import dev.proxima.cli.script.isReadableFile
import dev.proxima.core.env.Env
import dev.proxima.core.env.EnvNotFoundException
import dev.proxima.core.env.EnvRegistry
import dev.proxima.core.ppo.Agent
import dev.proxima.core.ppo.PpoConfig
import dev.proxima.core.run.Rng
import dev.proxima.envs.render.GifRecorder
import java.io.IOException
import java.nio.file.Files
import java.nio.file.Path
import java.util.Locale

/**
 * `proxima eval CHECKPOINT`: loads a saved agent (an agent or a training checkpoint), evaluates it, and optionally
 * records an episode as a GIF.
 *
 * An agent trained on an env or network that a script declared itself is not in the registry; then the script is
 * run again (from `--script`, or the copy `proxima train` keeps in the run directory) to get them.
 */
internal class EvalCommand(private val ctx: Cli.Context) {
    fun run(args: List<String>): Int {
        val p = Args("eval", listOf("CHECKPOINT"), setOf("episodes", "gif", "seed", "script"), setOf("stochastic"))
            .parse(args)
        val arg = p.positional[0]
        val episodes = p.values["episodes"]?.let { Args.count("eval", "episodes", it, 1, 1_000_000).toInt() } ?: 10
        val seed = p.values["seed"]?.let { Args.long("eval", "seed", it) } ?: 0L
        val deterministic = "stochastic" !in p.flags
        val file = ctx.workDir.resolve(arg)
        if (!Files.exists(file)) throw CommandException("eval: no such file: $arg")
        if (!file.isReadableFile()) throw CommandException("eval: cannot read $arg (not a readable file)")
        val scriptArg = p.values["script"]

        val agent = load(file, arg, scriptArg)
        val r = agent.evaluate(episodes, deterministic, seed)
        ctx.out.println(String.format(Locale.ROOT, "%s on %s: %.1f ± %.1f over %d episodes (mean length %.1f, %s policy)",
            arg, agent.env().id(), r.meanReturn(), r.stdReturn(), r.episodes(), r.meanLength(),
            if (deterministic) "deterministic" else "stochastic"))
        agent.env().rewardThreshold().ifPresent { t ->
            ctx.out.println(String.format(Locale.ROOT, "%s (threshold %s)",
                if (r.meanReturn() >= t) "solved" else "not solved", t))
        }
        p.values["gif"]?.let { gif ->
            val gifFile = ctx.workDir.resolve(gif)
            val rec = record(agent, gifFile, seed, deterministic)
            ctx.out.println(String.format(Locale.ROOT, "recorded %s: %d frames, return %.1f", gif, rec.frames(),
                rec.episodeReturn()))
        }
        return Cli.EXIT_OK
    }

    private fun load(file: Path, arg: String, scriptArg: String?): Agent {
        val firstError: Exception = try {
            return Agent.load(file)
        } catch (e: EnvNotFoundException) {
            e
        } catch (e: IOException) {
            // A file that is not a Proxima checkpoint at all cannot be helped by a script.
            if (e.message?.contains("custom network factory") != true) throw CommandException("eval: ${e.message}")
            e
        }
        val script = scriptArg?.let { ctx.workDir.resolve(it) } ?: findRunScript(file)
            ?: throw CommandException("eval: $arg: ${firstError.message?.lineSequence()?.first()} If the env or " +
                "network is declared in a script, pass it with --script FILE.")
        if (!script.isReadableFile()) throw CommandException("eval: cannot read script $script")
        val config = scriptConfig(script, scriptArg ?: script.toString())
        val registry = EnvRegistry().loadProviders(Thread.currentThread().contextClassLoader).register(config.env())
        return try {
            Agent.load(file, registry, config.network())
        } catch (e: IOException) {
            throw CommandException("eval: ${e.message}")
        } catch (e: EnvNotFoundException) {
            throw CommandException("eval: $arg: ${e.message}")
        }
    }

    /** The script `proxima train` copied into the run directory `<run>/checkpoints/<file>`, if there is one. */
    private fun findRunScript(checkpoint: Path): Path? {
        val runDir = checkpoint.toAbsolutePath().parent?.parent ?: return null
        if (!Files.isDirectory(runDir)) return null
        return Files.list(runDir).use { s ->
            s.filter { it.fileName.toString().endsWith(".ppo.kts") && Files.isRegularFile(it) }.findFirst().orElse(null)
        }
    }

    private fun scriptConfig(script: Path, display: String): PpoConfig {
        val host = ScriptHost(ctx.cacheDir)
        val value = host.evaluate(host.compile(script, display), display)
        return TrainTarget.of(value)?.config
            ?: throw CommandException("eval: script $display does not end with a ppo { } block or a PpoConfig.")
    }

    private fun record(agent: Agent, file: Path, seed: Long, deterministic: Boolean): GifRecorder.Recording {
        @Suppress("UNCHECKED_CAST")
        val env = agent.env().make(seed) as Env<Any, Any>
        val rng = Rng(seed)
        return env.use {
            try {
                GifRecorder.create().record(env, { obs: Any -> agent.act(env, obs, deterministic, rng) }, seed, file)
            } catch (e: IllegalArgumentException) {
                throw CommandException("eval: cannot record a GIF: ${e.message}")
            } catch (e: IOException) {
                throw CommandException("eval: cannot write ${file}: ${e.message}")
            }
        }
    }

    companion object {
        val USAGE = """
            |Usage: proxima eval CHECKPOINT [--episodes K] [--gif FILE] [--seed S] [--stochastic] [--script FILE]
            |
            |Evaluates a saved agent (checkpoints/best.safetensors or last.safetensors of a run) and prints the mean
            |and standard deviation of the return.
            |
            |  --episodes K   episodes to run (default 10)
            |  --gif FILE     also record one episode as an animated GIF
            |  --seed S       seed of the first episode (default 0)
            |  --stochastic   sample actions instead of taking the most likely one
            |  --script FILE  the training script, for an env or network the script declares itself (by default the
            |                 copy in the checkpoint's run directory is used)
        """.trimMargin()
    }
}
