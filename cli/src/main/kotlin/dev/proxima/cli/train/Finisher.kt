package dev.proxima.cli.train

import dev.proxima.cli.Cli
import dev.proxima.cli.run.EvalPoint
import dev.proxima.cli.run.EvaluationsCsv
import dev.proxima.cli.run.MetricsCsv
import dev.proxima.cli.run.RunInfo
import dev.proxima.cli.run.RunMonitor
import dev.proxima.cli.run.RunRecorder
import dev.proxima.cli.run.RunSummary
import dev.proxima.core.checkpoint.Checkpoints
import dev.proxima.core.ppo.Agent
import dev.proxima.core.train.Callback
import dev.proxima.core.train.Checkpoint
import dev.proxima.core.train.Evaluate
import dev.proxima.core.train.RolloutException
import dev.proxima.core.train.TrainingRun
import dev.proxima.core.train.UpdateEvent
import java.nio.file.Files
import java.nio.file.Path
import java.util.Locale
import java.util.concurrent.TimeUnit
import java.util.concurrent.locks.ReentrantLock

/**
 * Core's [Checkpoint] of `checkpoints/last.safetensors`, remembering the update it last saved (for the messages and
 * the summary) and marking the phase for the progress display.
 */
internal class TrackedCheckpoint(private val inner: Checkpoint, private val monitor: RunMonitor, initial: Int?) : Callback {
    @Volatile
    var savedUpdate: Int? = initial

    override fun onUpdate(event: UpdateEvent) {
        if (event.update() % inner.every() != 0 && !event.isLast()) return
        monitor.enter(RunMonitor.Phase.CHECKPOINTING)
        inner.onUpdate(event)
        savedUpdate = event.update()
    }

    override fun toString() = "TrackedCheckpoint($inner)"
}

/**
 * Ends a run once, whichever way it ends: normally or by an early stop ([ended]), by Ctrl-C after the update in
 * progress ([ended] with `interrupted`), by an error ([failed]), or by a stop while the training thread is stuck in an
 * env step ([abandoned], from the signal handler's thread). It writes what can be written — the last training
 * checkpoint when the run's state is whole, the reward curve, `summary.json` — and prints the end of the run.
 */
internal class Finisher(
    private val ctx: Cli.Context,
    private val dir: Path,
    private val info: RunInfo,
    private val requestedSteps: Long,
    private val numUpdates: Int,
    private val recorder: RunRecorder,
    private val checkpoint: TrackedCheckpoint,
    private val evalSeed: Long,
    private val best: Path,
    private val last: Path,
    /** The cluster of a cluster run, for the summary; null for a run in this JVM. */
    private val cluster: ClusterWatch? = null,
) {
    private val lock = ReentrantLock()
    private var done = false
    private val started = System.nanoTime()
    private val out get() = ctx.out

    /** Training returned: finished, stopped early by a callback, or stopped by a signal after a whole update. */
    fun ended(run: TrainingRun, interrupted: Boolean) {
        lock.lock()
        try {
            if (done) return
            done = true
            val updates = run.updatesDone()
            val notes = ArrayList<String>()
            // The state after a whole update: save it unless the checkpoint callback just did.
            if (checkpoint.savedUpdate != updates && updates > 0) {
                try {
                    run.save(last)
                    checkpoint.savedUpdate = updates
                } catch (e: Exception) {
                    notes += "could not write ${ctx.display(last)}: ${e.message}"
                }
            }
            var eval = recorder.lastEval()
            if (!interrupted && updates > 0 && (eval == null || eval.update != updates)) {
                try {
                    eval = finalEvaluation(run.agent(), updates, run.globalStep())
                } catch (e: Exception) {
                    notes += "the final evaluation failed: ${e.message ?: e}"
                }
            }
            val result = run.result()
            val outcome = when {
                interrupted -> "interrupted"
                run.stoppedEarly() -> "early_stop"
                else -> "finished"
            }
            val detail = when (outcome) {
                "interrupted" -> "stopped by a signal after update $updates"
                "early_stop" -> run.stopReason().orElse("stopped early")
                else -> null
            }
            writeFiles(outcome, detail, updates, run.globalStep(), result.seconds(), eval, notes)
            printEnd(run, updates, result.seconds(), eval, interrupted, notes)
        } finally {
            lock.unlock()
        }
    }

    /** Training threw: the run's files are written as far as they can be; returns nothing, the caller reports. */
    fun failed(run: TrainingRun, failure: Throwable) {
        lock.lock()
        try {
            if (done) return
            done = true
            val notes = ArrayList<String>()
            val seconds = (System.nanoTime() - started) / 1e9
            // A cluster run that cannot go on saved its last completed update there before failing.
            if (failure is RolloutException && failure.savedTo().map { it.toAbsolutePath() == last.toAbsolutePath() }.orElse(false)) {
                checkpoint.savedUpdate = recorder.lastUpdate
            }
            val detail = (if (failure is OutOfMemoryError) "out of memory: " else "") + (failure.message ?: failure.toString())
            writeFiles("failed", detail, recorder.lastUpdate, recorder.lastGlobalStep, seconds, recorder.lastEval(), notes)
            notes.forEach { ctx.err.println("proxima: $it") }
        } finally {
            lock.unlock()
        }
    }

    /**
     * A stop while the training thread does not return (an env step blocks): writes the summary of the updates that
     * completed and says what the training was waiting for. Called from the signal handler's thread; never touches
     * the run's lock (the blocked thread holds it).
     */
    fun abandoned(waitingFor: String) {
        if (!lock.tryLock(5, TimeUnit.SECONDS)) {
            ctx.err.println("proxima: stopped while $waitingFor; the run files could not be completed.")
            return
        }
        try {
            if (done) return
            done = true
            val notes = ArrayList<String>()
            val seconds = (System.nanoTime() - started) / 1e9
            writeFiles("interrupted", "stopped while $waitingFor; the update in progress was abandoned", recorder.lastUpdate,
                recorder.lastGlobalStep, seconds, recorder.lastEval(), notes)
            ctx.err.println("proxima: stopped while $waitingFor.")
            ctx.err.println("proxima: the update in progress was abandoned; updates 1-${recorder.lastUpdate} are recorded." +
                intactNote(dir, ctx::display))
            notes.forEach { ctx.err.println("proxima: $it") }
            ctx.err.println("proxima: continue with: proxima train --resume ${ctx.display(dir)}")
            ctx.err.flush()
        } finally {
            lock.unlock()
        }
    }

    private fun finalEvaluation(agent: Agent, update: Int, globalStep: Long): EvalPoint {
        val r = agent.evaluate(info.evalEpisodes, true, evalSeed)
        val p = EvalPoint(update, globalStep, r.meanReturn(), r.stdReturn(), r.episodes())
        val isBest = recorder.best.let { it == null || p.mean > it.mean }
        if (isBest) {
            agent.save(best, mapOf(Evaluate.EVAL_SEED to evalSeed.toString(), "eval_update" to update.toString(),
                "eval_mean" to p.mean.toString()))
        }
        recorder.add(p, isBest)
        return p
    }

    private fun writeFiles(outcome: String, detail: String?, updates: Int, steps: Long, seconds: Double, eval: EvalPoint?,
                           notes: MutableList<String>) {
        val files = LinkedHashMap<String, String>()
        files["metrics"] = MetricsCsv.NAME
        files["evaluations"] = EvaluationsCsv.NAME
        files["tensorboard"] = recorder.eventFile.fileName.toString()
        try {
            recorder.drawRewardCurve()
            files["reward_curve"] = RunRecorder.REWARD_CURVE_PNG
        } catch (e: Throwable) {
            // The picture is a convenience; the numbers are in metrics.csv and the summary still gets written.
            notes += "could not draw ${RunRecorder.REWARD_CURVE_PNG}: ${e.message ?: e}"
        }
        if (Files.exists(best)) files["best_checkpoint"] = dir.relativize(best).toString()
        if (Files.exists(last)) files["last_checkpoint"] = dir.relativize(last).toString()
        files["script"] = info.script
        files["run"] = RunInfo.NAME
        if (Files.isDirectory(dir.resolve(ClusterWatch.WORKER_LOGS))) files["worker_logs"] = ClusterWatch.WORKER_LOGS
        val resumes = (Files.list(dir).use { s -> s.filter { it.fileName.toString().startsWith("events.out.tfevents.") }.count() } - 1)
            .coerceAtLeast(0).toInt()
        val summary = RunSummary.build(RunSummary.Inputs(recorder.config, info.script, requestedSteps, updates, numUpdates,
            steps, seconds, eval, evalSeed, recorder.recentReturn, recorder.best, info.started, outcome, detail,
            checkpoint.savedUpdate, resumes, synchronized(recorder.warnings) { recorder.warnings.toList() }, files,
            cluster?.summary()))
        try {
            RunSummary.write(dir.resolve(RunRecorder.SUMMARY_JSON), summary)
        } catch (e: Exception) {
            notes += "could not write ${RunRecorder.SUMMARY_JSON} either: ${e.message}"
        }
    }

    private fun printEnd(run: TrainingRun, updates: Int, seconds: Double, eval: EvalPoint?, interrupted: Boolean,
                         notes: List<String>) {
        val c = recorder.config
        val steps = run.globalStep()
        out.println()
        val head = when {
            interrupted -> "stopped at update $updates of ${run.numUpdates()}"
            run.stoppedEarly() -> "stopped early (${run.stopReason().orElse("early stop")})"
            else -> "done"
        }
        out.println(String.format(Locale.ROOT, "%s: %,d steps in %.1f s (%,.0f steps/s), %d updates", head, steps, seconds,
            if (seconds > 0) steps / seconds else 0.0, updates))
        if (eval != null) {
            val threshold = c.env().rewardThreshold()
            val verdict = if (threshold.isPresent) {
                val t = threshold.asDouble
                String.format(Locale.ROOT, ", %s (%s is solved at %s)", if (eval.mean >= t) "solved" else "not solved",
                    c.env().id(), num(t))
            } else ""
            val which = if (eval.update != updates) " (of update ${eval.update})" else ""
            out.println(String.format(Locale.ROOT, "evaluation%s: %.1f ± %.1f over %d episodes, deterministic policy%s",
                which, eval.mean, eval.std, eval.episodes, verdict))
        }
        recorder.best?.let {
            out.println(String.format(Locale.ROOT, "best evaluation: %.1f at %,d steps (update %d)", it.mean, it.globalStep,
                it.update))
        }
        notes.forEach { ctx.err.println("proxima: warning: $it") }
        out.println("run directory: ${ctx.display(dir)}")
        out.println("  ${Training.CHECKPOINTS}/${Training.BEST}  ${Training.CHECKPOINTS}/${Training.LAST}  ${MetricsCsv.NAME}  " +
            "${EvaluationsCsv.NAME}  ${RunRecorder.REWARD_CURVE_PNG}  ${RunRecorder.SUMMARY_JSON}  events.out.tfevents.*")
        if (interrupted) {
            out.println("continue with: proxima train --resume ${ctx.display(dir)}")
        }
        out.flush()
    }

    companion object {
        private fun num(x: Double) = if (x == Math.rint(x)) x.toLong().toString() else x.toString()

        /** Which checkpoints of [dir] are there to fall back on, as a sentence (with a leading space). */
        fun intactNote(dir: Path, display: (Path) -> String): String {
            val last = dir.resolve(Training.CHECKPOINTS).resolve(Training.LAST)
            val best = dir.resolve(Training.CHECKPOINTS).resolve(Training.BEST)
            val have = ArrayList<String>()
            if (Files.isRegularFile(last)) {
                val at = try {
                    " (update ${Checkpoints.readRun(last).update()})"
                } catch (e: Exception) {
                    ""
                }
                have += display(last) + at
            }
            if (Files.isRegularFile(best)) have += display(best)
            return if (have.isEmpty()) " No checkpoint had been written yet."
            else " The checkpoints written before are intact: ${have.joinToString(", ")}."
        }
    }
}
