package dev.proxima.cli.train

import dev.proxima.cli.Cli
import dev.proxima.cli.CommandException
import dev.proxima.cli.TrainCommand
import dev.proxima.cli.UsageException
import dev.proxima.cli.Version
import dev.proxima.cli.console.Progress
import dev.proxima.cli.files.AtomicWrite
import dev.proxima.cli.files.InputFiles
import dev.proxima.cli.run.CsvLog
import dev.proxima.cli.run.EvalPoint
import dev.proxima.cli.run.EvaluationsCsv
import dev.proxima.cli.run.MetricsCsv
import dev.proxima.cli.run.RunInfo
import dev.proxima.cli.run.RunMonitor
import dev.proxima.cli.run.RunRecorder
import dev.proxima.cli.run.RunSummary
import dev.proxima.cli.script.Plugins
import dev.proxima.cli.script.ScriptCache
import dev.proxima.cli.script.ScriptHost
import dev.proxima.cli.script.ScriptRuntimeException
import dev.proxima.cluster.ClusterCollector
import dev.proxima.core.checkpoint.CheckpointException
import dev.proxima.core.checkpoint.Checkpoints
import dev.proxima.core.ppo.PpoConfig
import dev.proxima.core.ppo.PpoConfigException
import dev.proxima.core.train.Checkpoint
import dev.proxima.core.train.Evaluate
import dev.proxima.core.train.RolloutException
import dev.proxima.core.train.Trainer
import dev.proxima.core.train.TrainingResult
import dev.proxima.core.train.TrainingRun
import dev.proxima.dsl.pipeline.PpoTrainer
import java.io.IOException
import java.io.UncheckedIOException
import java.nio.file.Files
import java.nio.file.Path
import java.time.Instant
import java.time.LocalDateTime
import java.time.format.DateTimeFormatter
import java.util.Locale

/**
 * `proxima train`: turns a script's result into core's [Trainer], adds the CLI's recording as callbacks (the script's
 * own callbacks, workers and preset stay), trains it with core's [TrainingRun] (the CLI has no loop of its own), and
 * writes the run directory; or resumes a run directory. See [TrainCommand] for the options.
 */
internal class Training(private val ctx: Cli.Context, private val o: TrainCommand) {
    private val out get() = ctx.out

    /** What a new run or a resume has settled before training. */
    private class Plan(
        val dir: Path,
        val base: Trainer,
        val config: PpoConfig,
        val info: RunInfo,
        val totalSteps: Long,
        val numUpdates: Int,
        val resumeFrom: Path?,
        val resumeUpdate: Int,
        val resumeGlobalStep: Long,
        val resumed: RunRecorder.Resumed?,
        val scriptShown: String,
        /** The script the trainer came from (a cluster's local workers run it too). */
        val scriptFile: Path,
    )

    fun run() {
        val plan = if (o.resume != null) planResume() else planNew()
        execute(plan)
    }

    // -------------------------------------------------------------------------------------------------- a new run

    private fun planNew(): Plan {
        val scriptArg = o.script ?: throw UsageException("train: missing SCRIPT (or --resume RUN_DIR to continue a run).")
        val script = InputFiles.requireReadableFile(ctx.workDir.resolve(scriptArg), scriptArg, "script")
        val plugins = Plugins.of(o.classpath, ctx.env, ctx.workDir)
        val base = trainerOf(script, scriptArg, plugins)
        val config = override(base.config(), o.seed, o.set)
        val steps = o.steps ?: base.totalSteps()
        val numUpdates = numUpdates(config, steps)
        // Every problem of the trainer with these settings, before the run directory is made.
        base.toBuilder().config(config).totalSteps(steps).problems().takeIf { it.isNotEmpty() }?.let {
            throw CommandException("train: " + PpoConfigException(it).message)
        }
        val evalEvery = o.evalEvery ?: maxOf(1, numUpdates / EVALS_PER_RUN)
        val dir = runDirectory(o.out, config)
        val copy = dir.resolve(script.fileName.toString())
        Files.copy(script, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING)
        val info = RunInfo(copy.fileName.toString(), ScriptCache.sha256(Files.readAllBytes(copy)),
            script.toAbsolutePath().normalize().toString(), o.steps, o.seed, o.set,
            o.evalEpisodes ?: DEFAULT_EVAL_EPISODES, evalEvery, o.checkpointEvery ?: evalEvery,
            plugins.entries.map { it.toString() }, Version.PROXIMA, Instant.now(ctx.clock).toString())
        info.write(dir)
        return Plan(dir, base, config, info, steps, numUpdates, null, 0, 0, null, scriptArg, script)
    }

    /** `--out DIR` (new, or empty but for stray temporary files), or `runs/<env>-<timestamp>` (suffixed if taken). */
    private fun runDirectory(outArg: String?, config: PpoConfig): Path {
        if (outArg != null) {
            val dir = ctx.workDir.resolve(outArg)
            if (Files.exists(dir) || Files.isSymbolicLink(dir)) {
                InputFiles.problem(dir, outArg)?.let { throw CommandException("train: --out $it") }
                if (!Files.isDirectory(dir)) throw CommandException("train: --out $outArg is a file, not a directory.")
                AtomicWrite.removeStrayTemps(dir).forEach { ctx.err.println("proxima: removed $outArg/$it (left by an interrupted write)") }
                val empty = Files.list(dir).use { it.findFirst().isEmpty }
                if (!empty) {
                    throw CommandException("train: --out $outArg already holds files; give a new or empty directory " +
                        "so an earlier run is not overwritten" + (if (RunInfo.exists(dir)) ", or continue it with " +
                        "proxima train --resume $outArg" else "") + ".")
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

    // -------------------------------------------------------------------------------------------------- resuming

    private fun planResume(): Plan {
        val arg = o.resume!!
        if (o.script != null) {
            throw UsageException("train: give SCRIPT or --resume, not both: --resume runs the copy of the script in the run directory.")
        }
        listOf("--seed" to o.seed, "--out" to o.out, "--eval-episodes" to o.evalEpisodes, "--eval-every" to o.evalEvery,
            "--checkpoint-every" to o.checkpointEvery, "--set" to o.set.ifEmpty { null }).firstOrNull { it.second != null }?.let {
            throw UsageException("train: ${it.first} cannot be changed when resuming: --resume continues the run with the " +
                "options it was started with (run.json). Start a new run to change them.")
        }
        val target = InputFiles.requireExisting(ctx.workDir.resolve(arg), arg)
        val (dir, checkpoint) = if (Files.isDirectory(target)) {
            if (!RunInfo.exists(target)) {
                throw CommandException("train: --resume $arg is not a run directory of proxima train (it has no ${RunInfo.NAME}).")
            }
            target to target.resolve(CHECKPOINTS).resolve(LAST)
        } else {
            val run = generateSequence(target.toAbsolutePath().parent) { it.parent }.take(3).firstOrNull { RunInfo.exists(it) }
                ?: throw CommandException("train: --resume $arg: no run directory (with ${RunInfo.NAME}) holds this " +
                    "checkpoint, so the script and options to continue it with are unknown. Resume a run directory, " +
                    "or a checkpoint inside one.")
            run to target
        }
        val shownDir = display(dir)
        val removed = AtomicWrite.removeStrayTemps(dir) + AtomicWrite.removeStrayTemps(dir.resolve(CHECKPOINTS)).map { "$CHECKPOINTS/$it" }
        removed.forEach { ctx.err.println("proxima: removed $shownDir/$it (left by an interrupted write)") }
        val info = RunInfo.read(dir)
        if (!Files.exists(checkpoint)) {
            throw CommandException("train: --resume $arg: ${display(checkpoint)} does not exist: the run was stopped before " +
                "its first checkpoint (every ${info.checkpointEvery} updates). Start it again.")
        }
        InputFiles.requireReadableFile(checkpoint, display(checkpoint), "checkpoint")
        val script = dir.resolve(info.script)
        InputFiles.requireReadableFile(script, display(script), "script")
        val sha = ScriptCache.sha256(Files.readAllBytes(script))
        if (sha != info.scriptSha256) {
            throw CommandException("train: --resume: ${display(script)} was changed since the run started (its SHA-256 " +
                "differs from run.json's), so it may not make the same trainer. Restore it, or start a new run.")
        }
        val record = try {
            Checkpoints.readRun(checkpoint)
        } catch (e: CheckpointException) {
            throw CommandException("train: --resume: ${e.message}")
        }
        val plugins = Plugins.of(info.classpath + o.classpath, ctx.env, ctx.workDir)
        out.println("resuming ${shownDir}: running its script ${display(script)}")
        val base = trainerOf(script, display(script), plugins)
        val config = override(base.config(), info.seed, info.set)
        val numUpdates = if (o.steps != null) numUpdates(config, o.steps!!) else record.numUpdates()
        val totalSteps = o.steps ?: record.totalSteps()
        if (o.steps == null && record.update() >= record.numUpdates()) {
            throw CommandException(String.format(Locale.ROOT, "train: --resume: %s is at the end of its run (update %d of %d); " +
                "nothing to continue. Give --steps with a larger budget than %,d to train it further.", display(checkpoint),
                record.update(), record.numUpdates(), record.totalSteps()))
        }
        val metrics = CsvLog.truncate(dir.resolve(MetricsCsv.NAME), record.update())
        val evals = CsvLog.truncate(dir.resolve(EvaluationsCsv.NAME), record.update())
        val info2 = if (o.classpath.isEmpty()) info else info.copy(classpath = plugins.entries.map { it.toString() })
        return Plan(dir, base, config, info2, totalSteps, numUpdates, checkpoint, record.update(), record.globalStep(),
            RunRecorder.Resumed(metrics, evals, record.globalStep()), display(script), script)
    }

    // -------------------------------------------------------------------------------------------------- the script

    private fun trainerOf(script: Path, shown: String, plugins: Plugins): Trainer {
        plugins.registry()
        val host = ScriptHost(ctx.cacheDir, plugins)
        val compiled = host.compile(script, shown)
        host.cacheNotes.forEach { ctx.err.println("proxima: note: $it") }
        compiled.warnings.forEach { ctx.err.println(it) }
        out.println(String.format(Locale.ROOT, "script %s: %s in %.2f s", shown,
            if (compiled.fromCache) "loaded from cache" else "compiled", compiled.seconds))
        val value = host.evaluate(compiled, shown)
        return when (value) {
            is Trainer -> value
            is PpoTrainer -> value.trainer
            is PpoConfig -> Trainer.of(value)
            else -> throw CommandException("train: $shown must end with a ppo { } block, a PpoConfig or a Trainer " +
                "(its last expression is what gets trained), but it " +
                (if (value == null) "gives no value" else "gives a ${value.javaClass.name}") +
                (if (value is TrainingResult || value is TrainingRun) "; drop the script's own train call, proxima train " +
                    "does the training" else "") + ".")
        }
    }

    /** The configuration with `--seed` and `--set` applied (through its builder: the preset and the rest stay). */
    private fun override(config: PpoConfig, seed: Long?, sets: List<String>): PpoConfig {
        if (seed == null && sets.isEmpty()) return config
        val b = config.toBuilder()
        seed?.let { b.seed(it) }
        for (s in sets) {
            val eq = s.indexOf('=')
            if (eq <= 0) throw UsageException("train: --set $s: write --set name=value, e.g. --set clip=0.1.")
            b.set(s.substring(0, eq).trim(), s.substring(eq + 1).trim())
        }
        return try {
            b.build()
        } catch (e: PpoConfigException) {
            throw CommandException("train: --seed/--set: ${e.message}")
        }
    }

    private fun numUpdates(config: PpoConfig, steps: Long): Int = try {
        config.numUpdates(steps)
    } catch (e: IllegalArgumentException) {
        throw UsageException("train: --steps: ${e.message}")
    }

    // -------------------------------------------------------------------------------------------------- training

    private fun execute(p: Plan) {
        val config = p.config
        val dir = p.dir
        val last = dir.resolve(CHECKPOINTS).resolve(LAST)
        val best = dir.resolve(CHECKPOINTS).resolve(BEST)
        Files.createDirectories(last.parent)
        val monitor = RunMonitor(p.base.workers(), config.numEnvs(), config.numSteps(),
            p.resumeUpdate.toLong() * config.numSteps())
        val clusterCollector = p.base.collector() as? ClusterCollector
        val progress = Progress(out, ctx.err, ctx.interactive, p.numUpdates.toLong() * config.batchSize(), p.numUpdates, monitor,
            clusterWorkers = clusterCollector?.workers() ?: 0)
        val recorder = RunRecorder(dir, config, progress, monitor, p.info.evalEvery, p.resumed)
        val checkpoint = TrackedCheckpoint(Checkpoint.every(p.info.checkpointEvery).file(last), monitor,
            if (p.resumeFrom != null) p.resumeUpdate else null)
        val evaluate = Evaluate.every(p.info.evalEvery).episodes(p.info.evalEpisodes).key(EVALUATE_KEY).saveBest(best)
            .listener(recorder)
        val evalSeed = evaluate.seedFor(config.seed())
        val cluster = clusterCollector?.let {
            ClusterWatch(it, p.scriptFile, p.info.classpath, ctx.cacheDir, dir, last, progress, monitor, ::display)
        }
        val finisher = Finisher(ctx, dir, p.info, p.totalSteps, p.numUpdates, recorder, checkpoint, evalSeed, best, last,
            cluster)
        try {
            val trainer = try {
                val b = p.base.toBuilder().config(config).totalSteps(p.totalSteps).samplingExecutor(monitor)
                    .callback(recorder)
                o.optimiserThreads?.let { b.optimiserThreads(it) }
                if (cluster != null) b.collector(cluster.factory).callback(cluster)
                b.callback(evaluate).callback(checkpoint).build()
            } catch (e: PpoConfigException) {
                throw CommandException("train: ${e.message}")
            }
            val run = try {
                if (p.resumeFrom != null) trainer.resume(p.resumeFrom, if (o.steps != null) p.totalSteps else 0)
                else trainer.start()
            } catch (e: CheckpointException) {
                throw CommandException("train: --resume: ${e.message}")
            } catch (e: RuntimeException) {
                // The cluster's settings that only opening it checks (numEnvs per worker, minibatches, the address).
                if (cluster == null || !(e is IllegalArgumentException || e is IllegalStateException)) throw e
                throw CommandException("train: cannot start the cluster: ${e.message}")
            }
            run.use { trainRun(p, run, monitor, progress, recorder, finisher) }
        } finally {
            cluster?.close()
            monitor.close()
            recorder.close()
        }
    }

    private fun trainRun(p: Plan, run: TrainingRun, monitor: RunMonitor, progress: Progress, recorder: RunRecorder,
                         finisher: Finisher) {
        val c = p.config
        val preset = c.preset().map { ", preset $it" }.orElse("")
        if (p.resumeFrom == null) {
            out.println(String.format(Locale.ROOT, "training PPO on %s for %,d steps: %,d updates of %d envs x %d steps, seed %d%s",
                c.env().id(), p.totalSteps, p.numUpdates, c.numEnvs(), c.numSteps(), c.seed(), preset))
            if (p.totalSteps < c.batchSize()) {
                ctx.err.println(String.format(Locale.ROOT, "proxima: note: %,d steps is less than one rollout of %,d steps; " +
                    "training one update (%,d steps).", p.totalSteps, c.batchSize(), c.batchSize()))
            }
        } else {
            out.println(String.format(Locale.ROOT, "continuing PPO on %s from update %,d of %,d (%,d of %,d steps), seed %d%s",
                c.env().id(), p.resumeUpdate, run.numUpdates(), p.resumeGlobalStep, run.numUpdates().toLong() * c.batchSize(),
                c.seed(), preset))
            progress.resumedAt(p.resumeUpdate, p.resumeGlobalStep, recorder.recentReturn)
        }
        out.println("run directory: ${display(p.dir)}")
        out.flush()
        val stop = StopHandler(ctx, run, monitor, finisher, progress)
        val ticker = Ticker(progress)
        if (ctx.handleSignals) stop.install()
        ticker.start()
        try {
            var failure: Throwable? = null
            try {
                run.train()
            } catch (t: Throwable) {
                failure = t
            }
            ticker.stop()
            monitor.enter(RunMonitor.Phase.FINISHING)
            progress.finish() // the bar goes before the end of the run is printed
            if (failure != null) {
                finisher.failed(run, failure)
                throw failureMessage(failure, p, recorder)
            }
            finisher.ended(run, stop.requested)
        } finally {
            ticker.stop()
            stop.done()
        }
    }

    /** One message for a failed run, pointed at the script line when the script's own code threw. */
    private fun failureMessage(e: Throwable, p: Plan, recorder: RunRecorder): Exception {
        val scriptName = p.dir.resolve(p.info.script).fileName.toString()
        if (e !is OutOfMemoryError && ScriptRuntimeException.scriptLine(e, scriptName) > 0) {
            return ScriptRuntimeException.of(e, scriptName, p.scriptShown)
        }
        val at = if (recorder.lastUpdate == 0) "before the first update" else "after update ${recorder.lastUpdate}"
        if (e is RolloutException) {
            // A cluster run that cannot go on has saved its last completed update as the run's last checkpoint.
            val text = e.message.orEmpty().substringBefore(ROLLOUT_SAVED)
            val saved = e.savedTo().isPresent
            return CommandException("train: training stopped $at: $text" + (if (saved) "\nThe run up to update " +
                "${recorder.lastUpdate} is saved in ${display(e.savedTo().get())}; when the cause is fixed, continue " +
                "it with: proxima train --resume ${display(p.dir)}" else Finisher.intactNote(p.dir, ::display)) +
                "\nThe run directory's summary.json says how it ended.")
        }
        val io = generateSequence(e) { it.cause?.takeIf { c -> c !== it } }.firstOrNull { it is IOException } as IOException?
        val what = when {
            e is OutOfMemoryError -> throw e // Cli turns it into its message
            e is UncheckedIOException && io != null -> "${e.message}"
            io != null -> io.message ?: io.toString()
            e is IllegalStateException || e is IllegalArgumentException -> e.message ?: e.toString()
            else -> "${e.javaClass.simpleName}: ${e.message}"
        }
        return CommandException("train: training stopped $at: $what" + Finisher.intactNote(p.dir, ::display) +
            " The run directory's summary.json says how it ended.")
    }

    private fun display(path: Path): String = ctx.display(path)

    companion object {
        const val DEFAULT_EVAL_EPISODES = 10
        const val EVALS_PER_RUN = 10
        const val CHECKPOINTS = "checkpoints"
        const val BEST = "best.safetensors"
        const val LAST = "last.safetensors"
        /** The state key of the CLI's evaluation callback in training checkpoints (a script's own uses `evaluate`). */
        const val EVALUATE_KEY = "proxima-train"
        /** Where core's [RolloutException] message adds the checkpoint it saved (said here in the CLI's words). */
        private const val ROLLOUT_SAVED = "\nThe run up to its last completed update was saved to"
    }
}
