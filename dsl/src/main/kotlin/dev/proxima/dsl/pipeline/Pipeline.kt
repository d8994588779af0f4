/**
 * The coroutine training pipeline: [Pipeline] wraps core's five stages as suspend functions and samples with one
 * coroutine per worker; [PpoTrainer] composes them into runs ([TrainingRun]) with callbacks, a cold `Flow` of update
 * statistics, a `suspend` entry and the Java twins `trainBlocking` and `trainAsync`.
 */
package dev.proxima.dsl.pipeline

import dev.proxima.core.ppo.Stages
import dev.proxima.core.ppo.UpdateStats
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext

/**
 * The stages of [Stages] as suspend functions, in the order of `cleanrl/ppo.py`: [sample] → [advantage] →
 * [optimise] (clipped objective over minibatch epochs) → [syncOldPolicy]; [update] runs all four.
 *
 * Sampling runs `stages.numWorkers()` coroutines on [dispatcher] for every rollout step, each stepping its slice of
 * the env copies after one batched policy inference ([Stages.sampleSlice]); they are joined before
 * [Stages.endRolloutStep], which applies normalisation and episode bookkeeping in env order. Every env copy has its own
 * action stream, so the rollout, and therefore the run, is the same for any number of workers.
 *
 * The work inside each stage is plain blocking code: cancellation takes effect between stages, never inside one.
 * Not thread-safe: one pipeline, one caller at a time.
 */
class Pipeline @JvmOverloads constructor(
    @get:JvmName("stages") val stages: Stages,
    private val dispatcher: CoroutineDispatcher = Dispatchers.Default,
) {
    private val numSteps = stages.config().numSteps()
    private val jobs = arrayOfNulls<Job>(stages.numWorkers())

    /** 1. A rollout of `numSteps × numEnvs` steps with θ_old, the workers sampling their env slices in parallel. */
    @JvmSynthetic
    suspend fun sample() {
        val workers = stages.numWorkers()
        withContext(dispatcher) {
            for (t in 0 until numSteps) {
                stages.beginRolloutStep(t)
                if (workers == 1) {
                    stages.sampleSlice(0, t)
                } else {
                    coroutineScope {
                        for (w in 1 until workers) {
                            jobs[w] = launch { stages.sampleSlice(w, t) }
                        }
                        stages.sampleSlice(0, t) // this coroutine is worker 0
                        for (w in 1 until workers) {
                            jobs[w]!!.join()
                        }
                    }
                }
                stages.endRolloutStep(t)
            }
            stages.finishRollout()
        }
    }

    /** 2. GAE(γ, λ) advantages and returns (Schulman et al. 2016, arXiv:1506.02438, eq. 16). */
    @JvmSynthetic
    suspend fun advantage(): Unit = withContext(dispatcher) { stages.advantage() }

    /** 3-4. The clipped objective over `updateEpochs` passes of shuffled minibatches; the update's statistics. */
    @JvmSynthetic
    suspend fun optimise(): UpdateStats = withContext(dispatcher) { stages.optimise() }

    /** 5. θ_old ← θ for every sampling worker. */
    @JvmSynthetic
    suspend fun syncOldPolicy(): Unit = withContext(dispatcher) { stages.syncOldPolicy() }

    /** One whole update: sample, advantage, optimise, sync. */
    @JvmSynthetic
    suspend fun update(): UpdateStats {
        check(!stages.finished()) { "all ${stages.numUpdates()} updates of this run are done" }
        sample()
        advantage()
        val stats = optimise()
        syncOldPolicy()
        return stats
    }
}

