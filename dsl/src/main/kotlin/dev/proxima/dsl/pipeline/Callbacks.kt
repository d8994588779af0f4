package dev.proxima.dsl.pipeline

import dev.proxima.core.ppo.EvalResult
import dev.proxima.core.ppo.Stages

/**
 * The result of a periodic evaluation.
 *
 * @property update the update after which the agent was evaluated (1-based)
 * @property globalStep env steps taken by then
 * @property result the evaluation episodes' returns and lengths
 */
@JvmRecord
data class Evaluation(val update: Int, val globalStep: Long, val result: EvalResult) {
    /** Mean undiscounted return of the evaluation episodes. */
    fun meanReturn(): Double = result.meanReturn()
}

/** Receives each periodic [Evaluation]; a SAM type for Kotlin and Java lambdas. */
fun interface EvalListener {
    fun onEvaluation(evaluation: Evaluation)

    companion object {
        /** Does nothing: evaluate only to drive an early stop. */
        @JvmField
        val NONE: EvalListener = EvalListener { }
    }
}

/**
 * Called every N updates with the run's [Stages], between updates (so the state is consistent): the place to write a
 * checkpoint with `stages.save(path)`, or to inspect the run. Do not keep the stages or call their stage methods.
 */
fun interface CheckpointListener {
    fun onCheckpoint(stages: Stages)
}

/** What an early stop watches. */
enum class StopOn {
    /** The mean return of the periodic evaluation (needs `evaluate(...)`): deterministic, low-variance. */
    EVALUATION,

    /** The mean return of the training episodes that ended during the update (`charts/episodic_return`). */
    EPISODIC_RETURN,
}
