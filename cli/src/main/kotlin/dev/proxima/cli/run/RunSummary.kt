package dev.proxima.cli.run

import dev.proxima.cli.Version
import dev.proxima.core.internal.Json
import dev.proxima.core.ppo.EvalResult
import dev.proxima.core.ppo.PpoConfig
import dev.proxima.core.ppo.TrainingResult
import java.nio.file.Path
import java.time.Instant

/**
 * `summary.json`: what a run was and how it ended, flat keys first (`env`, `seed`, `steps`, `wall_seconds`, `sps`,
 * `eval_mean_return`, `eval_std_return`, `eval_episodes`, ...) so a shell one-liner can read them, then the best
 * evaluation, the files written, and the whole configuration under `config` (CleanRL's names). Numbers that do not
 * exist (no episode finished, no threshold) are `null`.
 */
object RunSummary {
    class Inputs(
        val config: PpoConfig,
        val script: String?,
        val requestedSteps: Long,
        val result: TrainingResult,
        val finalEval: EvalResult,
        val evalEpisodes: Int,
        val recentReturn: Double,
        val best: EvalPoint?,
        val bestUpdate: Int,
        val started: Instant,
        val interrupted: Boolean,
        val files: Map<String, String>,
    )

    fun build(i: Inputs): Map<String, Any?> {
        val threshold = i.config.env().rewardThreshold()
        val m = LinkedHashMap<String, Any?>()
        m["env"] = i.config.env().id()
        m["seed"] = i.config.seed()
        m["steps"] = i.result.steps()
        m["requested_steps"] = i.requestedSteps
        m["updates"] = i.result.updates().size
        m["wall_seconds"] = i.result.seconds()
        m["sps"] = if (i.result.seconds() > 0) i.result.steps() / i.result.seconds() else null
        m["eval_mean_return"] = finite(i.finalEval.meanReturn())
        m["eval_std_return"] = finite(i.finalEval.stdReturn())
        m["eval_episodes"] = i.finalEval.episodes()
        m["eval_mean_length"] = finite(i.finalEval.meanLength())
        m["eval_deterministic"] = true
        m["recent_return"] = finite(i.recentReturn)
        m["reward_threshold"] = if (threshold.isPresent) threshold.asDouble else null
        m["solved"] = if (threshold.isPresent) i.finalEval.meanReturn() >= threshold.asDouble else null
        m["interrupted"] = i.interrupted
        m["best"] = i.best?.let {
            linkedMapOf("update" to i.bestUpdate, "global_step" to it.globalStep, "eval_mean_return" to finite(it.mean),
                "eval_std_return" to finite(it.std), "eval_episodes" to it.episodes)
        }
        m["script"] = i.script
        m["started"] = i.started.toString()
        m["proxima_version"] = Version.PROXIMA
        m["java_version"] = System.getProperty("java.version")
        m["files"] = i.files
        m["config"] = i.config.toMap()
        return m
    }

    fun write(file: Path, summary: Map<String, Any?>) {
        AtomicWrite.text(file, Json.write(summary, Json.NonFinite.AS_STRING) + "\n")
    }

    private fun finite(x: Double): Double? = if (x.isFinite()) x else null
}
