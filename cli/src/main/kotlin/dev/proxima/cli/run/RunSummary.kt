package dev.proxima.cli.run

import dev.proxima.cli.Version
import dev.proxima.cli.files.AtomicWrite
import dev.proxima.core.ppo.PpoConfig
import java.nio.file.Path

/**
 * `summary.json`: what a run was and how it ended, flat keys first (`env`, `preset`, `seed`, `steps`, `wall_seconds`,
 * `sps`, `eval_mean_return`, `eval_std_return`, `eval_episodes`, ...) so a shell one-liner can read them, then the best
 * evaluation, the files written, a cluster run's `cluster` part (workers, failures, restarts, per-update times, events),
 * and the whole configuration under `config` (CleanRL's names). Numbers that do not
 * exist (no episode finished, no threshold, no evaluation) are `null`.
 */
object RunSummary {
    class Inputs(
        val config: PpoConfig,
        val script: String?,
        val requestedSteps: Long,
        val updates: Int,
        val numUpdates: Int,
        val steps: Long,
        val seconds: Double,
        /** The evaluation of the final agent, or the last one made when the run ended without a final one. */
        val eval: EvalPoint?,
        val evalSeed: Long,
        val recentReturn: Double,
        val best: EvalPoint?,
        val started: String,
        /** How the run ended: `finished`, `early_stop`, `interrupted`, `failed`. */
        val outcome: String,
        val detail: String?,
        val lastCheckpointUpdate: Int?,
        val resumes: Int,
        val warnings: List<String>,
        val files: Map<String, String>,
        /** The `cluster` part of a cluster run (workers, failures, restarts, timings, events), or null. */
        val cluster: Map<String, Any?>? = null,
    )

    fun build(i: Inputs): Map<String, Any?> {
        val threshold = i.config.env().rewardThreshold()
        val m = LinkedHashMap<String, Any?>()
        m["env"] = i.config.env().id()
        m["preset"] = i.config.preset().map { it.toString() }.orElse(null)
        m["seed"] = i.config.seed()
        m["steps"] = i.steps
        m["requested_steps"] = i.requestedSteps
        m["updates"] = i.updates
        m["num_updates"] = i.numUpdates
        m["wall_seconds"] = i.seconds
        m["sps"] = if (i.seconds > 0) i.steps / i.seconds else null
        m["eval_mean_return"] = i.eval?.mean
        m["eval_std_return"] = i.eval?.std
        m["eval_episodes"] = i.eval?.episodes
        m["eval_update"] = i.eval?.update
        m["eval_deterministic"] = true
        m["eval_seed"] = i.evalSeed
        m["recent_return"] = i.recentReturn
        m["reward_threshold"] = if (threshold.isPresent) threshold.asDouble else null
        m["solved"] = if (threshold.isPresent && i.eval != null) i.eval.mean >= threshold.asDouble else null
        m["outcome"] = i.outcome
        m["interrupted"] = i.outcome == "interrupted"
        m["detail"] = i.detail
        m["last_checkpoint_update"] = i.lastCheckpointUpdate
        m["resumes"] = i.resumes
        m["best"] = i.best?.let {
            linkedMapOf("update" to it.update, "global_step" to it.globalStep, "eval_mean_return" to it.mean,
                "eval_std_return" to it.std, "eval_episodes" to it.episodes)
        }
        m["warnings"] = i.warnings
        m["script"] = i.script
        m["started"] = i.started
        m["proxima_version"] = Version.PROXIMA
        m["java_version"] = System.getProperty("java.version")
        m["files"] = i.files
        if (i.cluster != null) m["cluster"] = i.cluster
        m["config"] = i.config.toMap()
        return m
    }

    fun write(file: Path, summary: Map<String, Any?>) {
        AtomicWrite.json(file, summary)
    }
}
