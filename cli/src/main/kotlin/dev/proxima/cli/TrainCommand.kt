package dev.proxima.cli

import com.github.ajalt.clikt.core.Context
import com.github.ajalt.clikt.core.CoreCliktCommand
import com.github.ajalt.clikt.parameters.arguments.argument
import com.github.ajalt.clikt.parameters.arguments.optional
import com.github.ajalt.clikt.parameters.options.convert
import com.github.ajalt.clikt.parameters.options.multiple
import com.github.ajalt.clikt.parameters.options.option
import com.github.ajalt.clikt.parameters.types.int
import com.github.ajalt.clikt.parameters.types.long
import com.github.ajalt.clikt.parameters.types.restrictTo
import dev.proxima.cli.script.Plugins
import dev.proxima.cli.script.ScriptHost
import dev.proxima.cli.train.Training
import dev.proxima.core.train.Evaluate
import dev.proxima.core.train.Trainer

/**
 * `proxima train SCRIPT` / `proxima train --resume RUN`: the options; [Training] does the work.
 */
internal class TrainCommand(private val ctx: Cli.Context) : CoreCliktCommand(name = "train") {
    override fun help(context: Context) = """
        Trains the PPO setup of a .ppo.kts script and records the run, or resumes a run.

        Compiles and runs SCRIPT (a .ppo.kts Kotlin script whose last expression is a ppo { } block, a PpoConfig or a
        core Trainer), trains it with core's trainer (the script's own callbacks, workers and preset stay), and writes
        the run directory: checkpoints/best.safetensors (the best evaluation), checkpoints/last.safetensors (a full
        training checkpoint, written atomically every --checkpoint-every updates, at the end and when stopped),
        metrics.csv, evaluations.csv, a TensorBoard event file, reward_curve.png, summary.json, run.json (how the run
        was started) and a copy of the script.

        --resume RUN_DIR_OR_FILE continues an interrupted run (also after kill -9) exactly where its last training
        checkpoint left it: it runs the run directory's copy of the script with the options recorded in run.json, and
        keeps writing the same directory. Ctrl-C (or SIGTERM) stops after the update in progress, writes the summary
        and the last checkpoint; if an env step blocks, it stops within a few seconds anyway, says what it was waiting
        for and keeps the last checkpoint written.

        A script with cluster(workers = N) { } trains with N worker JVMs: by default they are started here as
        proxima worker --script SCRIPT (so the script's own envs exist there), their output in the run directory's
        workers/; the progress shows them and summary.json records their failures and restarts.

        Compiled scripts are cached (${ScriptHost.CACHE_ENV} or -D${ScriptHost.CACHE_PROPERTY} sets the folder, 'off'
        disables it). Plugin jars: --classpath or ${Plugins.ENV}; scripts may use @file:DependsOn("group:artifact:version")
        from the local Maven repository.
    """.trimIndent()

    val script by argument("SCRIPT", help = "the .ppo.kts script to train (not with --resume)").optional()
    val resume by option("--resume", metavar = "RUN_DIR_OR_FILE",
        help = "continue the run in this run directory (from checkpoints/last.safetensors), or from this training " +
            "checkpoint of a run directory")
    val steps by option("--steps", metavar = "N",
        help = "env steps to train for (default: the trainer's totalSteps, else ${Trainer.DEFAULT_TOTAL_STEPS}); " +
            "100000, 100_000, 100k, 1.5M, 2e6 all work. With --resume: a new budget for the run")
        .convert { Counts.parse(it) }
    val seed by option("--seed", metavar = "S", help = "the run's seed, replacing the script's (its callbacks and preset stay)")
        .long()
    val set by option("--set", metavar = "NAME=VALUE",
        help = "override one setting of the script's configuration, e.g. --set clip=0.1 --set numEnvs=8 (PpoConfig's " +
            "names; repeatable)").multiple()
    val out by option("--out", metavar = "DIR", help = "run directory, new or empty (default runs/<env>-<timestamp>)")
    val evalEpisodes by option("--eval-episodes", metavar = "K",
        help = "episodes per evaluation (default ${Training.DEFAULT_EVAL_EPISODES}); deterministic policy, seed = the " +
            "run's seed + ${Evaluate.SEED_OFFSET}").int().restrictTo(1..1_000_000)
    val evalEvery by option("--eval-every", metavar = "N",
        help = "updates between evaluations (default: about ${Training.EVALS_PER_RUN} per run, and one after the last " +
            "update)").int().restrictTo(min = 1)
    val checkpointEvery by option("--checkpoint-every", metavar = "N",
        help = "updates between training checkpoints checkpoints/last.safetensors (default: every evaluation; also " +
            "after the last update and when stopped)").int().restrictTo(min = 1)
    val optimiserThreads by option("--optimiser-threads", metavar = "N",
        help = "threads of each minibatch's forward/backward and of Adam (default: the script's, else 1); the run is " +
            "the same bits for any N, so it may differ on --resume. 2 put actor and critic side by side (about " +
            "1.45x on CartPole once the JIT has compiled the update, 2x per minibatch for wide networks) on idle cores")
        .int().restrictTo(min = 1)
    val classpath by option("--classpath", "-cp", metavar = "PATHS",
        help = "plugin jars or class folders (separated by '${java.io.File.pathSeparator}'; DIR/* for every jar in DIR) " +
            "whose envs, networks and loss terms the script may use; added to ${Plugins.ENV}").multiple()

    override fun run() {
        Training(ctx, this).run()
    }
}

/** Step counts on the command line: long end to end, never silently wrapped. */
internal object Counts {
    /** The largest count accepted (then config.numUpdates bounds the run by its number of updates). */
    const val MAX: Long = Long.MAX_VALUE

    /**
     * A count such as `100000`, `100_000`, `100,000`, `100k`, `1.5M`, `2G` (k = 10^3, M = 10^6, G = 10^9) or `6e11`,
     * at least 1 and at most [MAX]; anything else is an [IllegalArgumentException] naming the value (Clikt prefixes
     * the option).
     */
    fun parse(text: String): Long {
        val t = text.replace("_", "").replace(",", "").trim()
        val mult = when (t.lastOrNull()) {
            'k', 'K' -> 1_000L
            'm', 'M' -> 1_000_000L
            'g', 'G' -> 1_000_000_000L
            else -> 1L
        }
        val digits = if (mult == 1L) t else t.dropLast(1)
        val value = digits.toBigDecimalOrNull()?.multiply(mult.toBigDecimal())
            ?: throw IllegalArgumentException("\"$text\" is not a number of steps (write e.g. 100000, 100k, 1.5M or 2e6).")
        if (value.signum() <= 0) throw IllegalArgumentException("$text: train at least 1 step.")
        if (value.stripTrailingZeros().scale() > 0) throw IllegalArgumentException("$text is not a whole number of steps.")
        if (value > MAX.toBigDecimal()) {
            throw IllegalArgumentException(String.format(java.util.Locale.ROOT, "%s is too large: at most %,d steps.", text, MAX))
        }
        return value.toLong()
    }
}
