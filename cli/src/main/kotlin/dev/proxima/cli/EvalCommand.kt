package dev.proxima.cli

import com.github.ajalt.clikt.core.Context
import com.github.ajalt.clikt.core.CoreCliktCommand
import com.github.ajalt.clikt.parameters.arguments.argument
import com.github.ajalt.clikt.parameters.options.default
import com.github.ajalt.clikt.parameters.options.flag
import com.github.ajalt.clikt.parameters.options.multiple
import com.github.ajalt.clikt.parameters.options.option
import com.github.ajalt.clikt.parameters.types.int
import com.github.ajalt.clikt.parameters.types.long
import com.github.ajalt.clikt.parameters.types.restrictTo
import dev.proxima.cli.files.InputFiles
import dev.proxima.cli.script.Plugins
import dev.proxima.core.checkpoint.Checkpoints
import dev.proxima.core.env.Env
import dev.proxima.core.ppo.Agent
import dev.proxima.core.run.Rng
import dev.proxima.core.train.Evaluate
import dev.proxima.envs.render.GifRecorder
import java.io.IOException
import java.nio.file.Files
import java.nio.file.Path
import java.util.Locale

/**
 * `proxima eval CHECKPOINT`: loads a saved agent (an agent or a training checkpoint), evaluates it, and optionally
 * records an episode as a GIF.
 *
 * It runs no code the user did not name: the env and a custom network are looked up in the registry (the built-in envs
 * and the providers of `--classpath`/`PROXIMA_CLASSPATH` jars); a script runs only when given with `--script`.
 */
internal class EvalCommand(private val ctx: Cli.Context) : CoreCliktCommand(name = "eval") {
    override fun help(context: Context) = """
        Evaluates a saved agent, optionally recording an episode as a GIF.

        Evaluates a saved agent (checkpoints/best.safetensors or last.safetensors of a run, or any agent or training
        checkpoint) and prints the mean and standard deviation of the return.

        By default the episodes start from the run's own evaluation seed, so the figure equals the one proxima train
        reported: a best agent records the seed it was evaluated with (eval_seed), a training checkpoint is evaluated
        from its run's seed + ${Evaluate.SEED_OFFSET} (as evaluations during training are); an agent with neither uses seed 0.

        The env must be registered: built in, or provided by a jar (--classpath or ${Plugins.ENV}). An env or
        network that a script declares itself needs that script: --script FILE runs it (only then is any script run).
    """.trimIndent()

    val checkpoint by argument("CHECKPOINT", help = "the checkpoint file (.safetensors)")
    val episodes by option("--episodes", metavar = "K", help = "episodes to run").int().restrictTo(1..1_000_000).default(10)
    val seed by option("--seed", metavar = "S", help = "seed of the first episode (default: the run's evaluation seed, see above)").long()
    val stochastic by option("--stochastic", help = "sample actions instead of taking the most likely one").flag()
    val gif by option("--gif", metavar = "FILE", help = "also record one episode as an animated GIF")
    val maxEpisodeSteps by option("--max-episode-steps", metavar = "N",
        help = "fail an episode that runs longer (default: the env's time limit, else ${Agent.DEFAULT_MAX_EVAL_STEPS})")
        .long().restrictTo(min = 1)
    val script by option("--script", metavar = "FILE",
        help = "a script to run for an env or network it declares itself (the training script)")
    val classpath by option("--classpath", "-cp", metavar = "PATHS",
        help = "plugin jars or class folders with the env's provider (separated by '${java.io.File.pathSeparator}')").multiple()

    override fun run() {
        val file = InputFiles.requireCheckpoint(ctx.workDir, checkpoint)
        val gifFile = gif?.let { InputFiles.requireWritableTarget(ctx.workDir.resolve(it), it, "--gif", "episode.gif") }
        val plugins = Plugins.of(classpath, ctx.env, ctx.workDir)
        val agent = AgentLoader(ctx, "eval", checkpoint, script).load(file, plugins)
        val deterministic = !stochastic
        val (s, why) = seed?.let { it to "--seed" } ?: defaultSeed(file, agent)
        val r = try {
            if (maxEpisodeSteps != null) agent.evaluate(episodes, deterministic, s, maxEpisodeSteps!!)
            else agent.evaluate(episodes, deterministic, s)
        } catch (e: IllegalStateException) {
            throw CommandException("eval: ${e.message}")
        }
        ctx.out.println(String.format(Locale.ROOT, "%s on %s: %.1f ± %.1f over %d episodes (mean length %.1f, %s policy, seed %d: %s)",
            checkpoint, agent.env().id(), r.meanReturn(), r.stdReturn(), r.episodes(), r.meanLength(),
            if (deterministic) "deterministic" else "stochastic", s, why))
        agent.env().rewardThreshold().ifPresent { t ->
            ctx.out.println(String.format(Locale.ROOT, "%s (threshold %s)",
                if (r.meanReturn() >= t) "solved" else "not solved", t))
        }
        if (gif != null) {
            val rec = record(agent, gifFile!!, gif!!, s, deterministic)
            ctx.out.println(String.format(Locale.ROOT, "recorded %s: %d frames, return %.1f", gif, rec.frames(),
                rec.episodeReturn()))
        }
    }

    /** The seed summary.json's evaluation used, and why. */
    private fun defaultSeed(file: Path, agent: Agent): Pair<Long, String> {
        agent.metadata()[Evaluate.EVAL_SEED]?.toLongOrNull()?.let { return it to "the agent's evaluation seed" }
        if (Checkpoints.kind(file) == Checkpoints.KIND_TRAINING) {
            val runSeed = (Checkpoints.readRun(file).config()["seed"] as? Number)?.toLong()
            if (runSeed != null) return (runSeed + Evaluate.SEED_OFFSET) to "the run's seed + ${Evaluate.SEED_OFFSET}"
        }
        return 0L to "no evaluation seed recorded"
    }

    private fun record(agent: Agent, file: Path, shown: String, seed: Long, deterministic: Boolean): GifRecorder.Recording {
        @Suppress("UNCHECKED_CAST")
        val env = agent.env().make(seed) as Env<Any, Any>
        val rng = Rng(seed)
        return env.use {
            try {
                GifRecorder.create().record(env, { obs: Any -> agent.act(env, obs, deterministic, rng) }, seed, file)
            } catch (e: IllegalArgumentException) {
                throw CommandException("eval: cannot record a GIF: ${e.message}")
            } catch (e: IOException) {
                throw CommandException("eval: cannot write --gif $shown: ${e.message ?: e.javaClass.simpleName}")
            }
        }
    }
}
