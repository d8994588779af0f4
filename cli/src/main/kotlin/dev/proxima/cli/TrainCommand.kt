package dev.proxima.cli

import dev.proxima.cli.console.Progress
import dev.proxima.cli.run.EvalPoint
import dev.proxima.cli.run.RunRecorder
import dev.proxima.cli.run.RunSummary
import dev.proxima.cli.run.TrainTarget
import dev.proxima.cli.script.ScriptHost
import dev.proxima.cli.script.ScriptRuntimeException
import dev.proxima.cli.script.isReadableFile
import dev.proxima.core.ppo.EvalResult
import dev.proxima.core.ppo.PpoConfig
import dev.proxima.core.ppo.TrainingResult
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardCopyOption
import java.time.Instant
import java.time.LocalDateTime
import java.time.format.DateTimeFormatter
import java.util.Locale
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit

/**
 * `proxima train SCRIPT`: compiles and runs the script, trains what it returns with a live progress display, and
 * records the run (checkpoints, metrics, TensorBoard events, reward curve, summary) in the run directory.
 */
internal class TrainCommand(private val ctx: Cli.Context) {
    private val out get() = ctx.out

    fun run(args: List<String>): Int {
        val p = Args("train", listOf("SCRIPT"), setOf("steps", "seed", "out", "eval-episodes")).parse(args)
        val scriptArg = p.positional[0]
        val steps = p.values["steps"]?.let { Args.count("train", "steps", it, 1) }
        val seed = p.values["seed"]?.let { Args.long("train", "seed", it) }
        val evalEpisodes = p.values["eval-episodes"]?.let { Args.count("train", "eval-episodes", it, 1, 100_000).toInt() }
            ?: DEFAULT_EVAL_EPISODES
        val script = ctx.workDir.resolve(scriptArg)
        if (!Files.exists(script)) throw CommandException("train: no such file: $scriptArg")
        if (!script.isReadableFile()) throw CommandException("train: cannot read $scriptArg (not a readable file)")

        // --- the script -----------------------------------------------------------------------------------------
        val host = ScriptHost(ctx.cacheDir)
        val compiled = host.compile(script, scriptArg)
        compiled.warnings.forEach { ctx.err.println(it) }
        out.println(String.format(Locale.ROOT, "script %s: %s in %.2f s", scriptArg,
            if (compiled.fromCache) "loaded from cache" else "compiled", compiled.seconds))
        val value = host.evaluate(compiled, scriptArg)
        var target = TrainTarget.of(value) ?: throw CommandException("train: $scriptArg must end with a ppo { } block " +
            "or a PpoConfig (its last expression is what gets trained), but it " +
            (if (value == null) "gives no value" else "gives a ${value.javaClass.name}") +
            (if (value is TrainingResult) "; drop the script's own train call, proxima train does the training" else "") +
            ".")
        if (seed != null) {
            target = target.withSeed(seed)
            target.seedNote?.let { ctx.err.println("proxima: note: $it") }
        }
        val config = target.config
        val totalSteps = steps ?: target.defaultSteps
        val numUpdates = config.numUpdates(totalSteps)

        // --- the run directory ----------------------------------------------------------------------------------
        val dir = runDirectory(p.values["out"], config)
        val checkpoints = dir.resolve(CHECKPOINTS)
        Files.createDirectories(checkpoints)
        val best = checkpoints.resolve(BEST)
        val last = checkpoints.resolve(LAST)
        val scriptCopy = dir.resolve(script.fileName.toString())
        Files.copy(script, scriptCopy, StandardCopyOption.REPLACE_EXISTING)

        out.println(String.format(Locale.ROOT, "training PPO on %s for %,d steps: %,d updates of %d envs x %d steps, seed %d",
            config.env().id(), totalSteps, numUpdates, config.numEnvs(), config.numSteps(), config.seed()))
        out.println("run directory: ${display(dir)}")

        val progress = Progress(out, ctx.interactive, numUpdates.toLong() * config.batchSize(), numUpdates)
        val evalEvery = maxOf(1, numUpdates / EVALS_PER_RUN)
        val evalSeed = config.seed() + EVAL_SEED_OFFSET
        val started = Instant.now(ctx.clock)
        val stopRequested = java.util.concurrent.atomic.AtomicBoolean(false)
        val done = CountDownLatch(1)
        val hook = if (ctx.handleSignals) installStopHook(stopRequested, done) else null
        try {
            RunRecorder(dir, config, progress, evalEpisodes, evalEvery, evalSeed,
                onBest = { agent, _ -> agent.save(best) },
                onEvalDone = { run -> run.saveCheckpoint(last) },
            ).use { rec ->
                var finalEval: EvalResult? = null
                val result = try {
                    target.train(totalSteps,
                        sink = { stats, run ->
                            // The last update is evaluated by the final evaluation below, with the same episodes.
                            rec.onUpdate(stats, if (stats.update() < numUpdates) run else null)
                        },
                        stop = { stopRequested.get() },
                        finish = { run ->
                            run.saveCheckpoint(last)
                            val s = rec.last
                            finalEval = rec.evaluate(run.agent(), s?.globalStep() ?: 0, s?.update() ?: 0, evalEpisodes)
                        })
                } catch (e: ScriptRuntimeException) {
                    throw e
                } catch (e: Exception) {
                    throw failure(e, compiled.file.fileName.toString(), scriptArg, rec.last?.update())
                }
                progress.finish()
                val eval = finalEval ?: result.agent().evaluate(evalEpisodes, true, evalSeed)
                val interrupted = stopRequested.get()
                val files = linkedMapOf(
                    "metrics" to RunRecorder.METRICS_CSV,
                    "tensorboard" to rec.eventFile.fileName.toString(),
                    "reward_curve" to RunRecorder.REWARD_CURVE_PNG,
                    "best_checkpoint" to "$CHECKPOINTS/$BEST",
                    "last_checkpoint" to "$CHECKPOINTS/$LAST",
                    "last_checkpoint_kind" to if (target.resumableCheckpoints) "training" else "agent",
                    "script" to scriptCopy.fileName.toString(),
                )
                try {
                    rec.drawRewardCurve()
                } catch (e: Exception) {
                    // The picture is a convenience; the numbers are in metrics.csv and the summary still gets written.
                    ctx.err.println("proxima: warning: could not draw ${RunRecorder.REWARD_CURVE_PNG}: $e")
                    files.remove("reward_curve")
                }
                val summary = RunSummary.build(RunSummary.Inputs(config, scriptArg, totalSteps, result, eval,
                    evalEpisodes, rec.recentReturn, rec.best, rec.bestUpdate, started, interrupted, files))
                RunSummary.write(dir.resolve(RunRecorder.SUMMARY_JSON), summary)
                printSummary(config, result.steps(), result.updates().size, result.seconds(), eval, rec.best,
                    rec.bestUpdate, dir, interrupted)
            }
        } finally {
            done.countDown()
            if (hook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook)
                } catch (e: IllegalStateException) {
                    // the JVM is already shutting down (Ctrl-C): the hook is waiting for `done`
                }
            }
        }
        return Cli.EXIT_OK
    }

    /** `--out DIR` (new or empty), or `runs/<env>-<timestamp>` under the working directory (suffixed if taken). */
    private fun runDirectory(outArg: String?, config: PpoConfig): Path {
        if (outArg != null) {
            val dir = ctx.workDir.resolve(outArg)
            if (Files.exists(dir)) {
                if (!Files.isDirectory(dir)) throw CommandException("train: --out $outArg is a file, not a directory.")
                val empty = Files.list(dir).use { it.findFirst().isEmpty }
                if (!empty) {
                    throw CommandException("train: --out $outArg already holds files; give a new or empty directory " +
                        "so an earlier run is not overwritten.")
                }
            }
            return Files.createDirectories(dir)
        }
        val stamp = LocalDateTime.now(ctx.clock).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
        val name = config.env().id().replace(Regex("[^A-Za-z0-9._-]"), "_") + "-" + stamp
        val runs = ctx.workDir.resolve("runs")
        var dir = runs.resolve(name)
        var n = 2
        while (Files.exists(dir)) dir = runs.resolve("$name-${n++}")
        return Files.createDirectories(dir)
    }

    private fun display(p: Path): String = ctx.workDir.toAbsolutePath().normalize().let { wd ->
        val abs = p.toAbsolutePath().normalize()
        if (abs.startsWith(wd)) wd.relativize(abs).toString() else abs.toString()
    }

    private fun printSummary(
        config: PpoConfig, steps: Long, updates: Int, seconds: Double, eval: EvalResult, best: EvalPoint?,
        bestUpdate: Int, dir: Path, interrupted: Boolean,
    ) {
        val threshold = config.env().rewardThreshold()
        out.println()
        out.println(String.format(Locale.ROOT, "%s: %,d steps in %.1f s (%,.0f steps/s), %d updates",
            if (interrupted) "stopped early" else "done", steps, seconds, if (seconds > 0) steps / seconds else 0.0,
            updates))
        val verdict = if (threshold.isPresent) {
            val t = threshold.asDouble
            String.format(Locale.ROOT, ", %s (%s is solved at %s)", if (eval.meanReturn() >= t) "solved" else "not solved",
                config.env().id(), num(t))
        } else ""
        out.println(String.format(Locale.ROOT, "evaluation: %.1f ± %.1f over %d episodes, deterministic policy%s",
            eval.meanReturn(), eval.stdReturn(), eval.episodes(), verdict))
        if (best != null) {
            out.println(String.format(Locale.ROOT, "best evaluation: %.1f at %,d steps (update %d)", best.mean,
                best.globalStep, bestUpdate))
        }
        out.println("run directory: ${display(dir)}")
        out.println("  $CHECKPOINTS/$BEST  $CHECKPOINTS/$LAST  ${RunRecorder.METRICS_CSV}  " +
            "${RunRecorder.REWARD_CURVE_PNG}  ${RunRecorder.SUMMARY_JSON}  events.out.tfevents.*")
    }

    /** A failure during training, pointed at the script line when the script's own code threw. */
    private fun failure(e: Exception, scriptFileName: String, displayPath: String, update: Int?): Exception {
        if (ScriptRuntimeException.scriptLine(e, scriptFileName) > 0) {
            return ScriptRuntimeException.of(e, scriptFileName, displayPath)
        }
        if (e is java.io.IOException) return e
        val at = if (update == null) "before the first update" else "after update $update"
        return CommandException("train: training failed $at: ${e.javaClass.simpleName}: ${e.message}")
    }

    /**
     * On Ctrl-C (SIGINT/SIGTERM), stop after the current update and let the command finish writing the run (up to
     * [STOP_GRACE_SECONDS]) before the JVM exits.
     */
    private fun installStopHook(stop: java.util.concurrent.atomic.AtomicBoolean, done: CountDownLatch): Thread {
        val hook = Thread({
            stop.set(true)
            done.await(STOP_GRACE_SECONDS, TimeUnit.SECONDS)
        }, "proxima-stop")
        Runtime.getRuntime().addShutdownHook(hook)
        return hook
    }

    companion object {
        const val DEFAULT_STEPS = TrainTarget.DEFAULT_STEPS
        const val DEFAULT_EVAL_EPISODES = 10
        const val EVALS_PER_RUN = 10
        const val EVAL_SEED_OFFSET = 1_000_000L
        const val STOP_GRACE_SECONDS = 60L
        const val CHECKPOINTS = "checkpoints"
        const val BEST = "best.safetensors"
        const val LAST = "last.safetensors"

        private fun num(x: Double) = if (x == Math.rint(x)) x.toLong().toString() else x.toString()

        val USAGE = """
            |Usage: proxima train SCRIPT [--steps N] [--seed S] [--out DIR] [--eval-episodes K]
            |
            |Compiles and runs SCRIPT (a .ppo.kts Kotlin script whose last expression is a ppo { } block or a
            |PpoConfig), trains it, and writes the run directory: checkpoints/best.safetensors (best evaluation) and
            |checkpoints/last.safetensors (the final agent; for a PpoConfig a training checkpoint that
            |Stages.restore continues), metrics.csv, a TensorBoard event file, reward_curve.png and summary.json. Compiled scripts are cached (${ScriptHost.CACHE_ENV} or -D${ScriptHost.CACHE_PROPERTY}
            |sets the directory, 'off' disables it).
            |
            |  --steps N          env steps to train for (default: the trainer's totalSteps, else ${DEFAULT_STEPS};
            |                     100k, 1.5M and 100_000 work)
            |  --seed S           the run's seed, replacing the script's
            |  --out DIR          run directory, new or empty (default runs/<env>-<timestamp>)
            |  --eval-episodes K  episodes per evaluation (default $DEFAULT_EVAL_EPISODES); about $EVALS_PER_RUN evaluations
            |                     run during training and one at the end
        """.trimMargin()
    }
}
