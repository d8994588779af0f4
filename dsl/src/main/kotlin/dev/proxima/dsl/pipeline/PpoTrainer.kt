/**
 * Kotlin's view of core's trainer: [PpoTrainer] (what `ppo { }` returns) adapts [Trainer] to coroutines — a cold
 * `Flow` of update statistics, `suspend` training, coroutine dispatchers as sampling executors — and keeps no run state
 * of its own: every run is a core [TrainingRun].
 */
package dev.proxima.dsl.pipeline

import dev.proxima.core.ppo.PpoConfig
import dev.proxima.core.ppo.UpdateStats
import dev.proxima.core.train.SamplingExecutor
import dev.proxima.core.train.Trainer
import dev.proxima.core.train.TrainingResult
import dev.proxima.core.train.TrainingRun
import dev.proxima.core.train.UpdateListener
import java.nio.file.Path
import java.util.concurrent.CompletableFuture
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.asExecutor
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext

/**
 * A PPO trainer for Kotlin: core's [Trainer] (one loop, its callbacks, parallel sampling, checkpoints) with coroutine
 * entry points. Built by `ppo { }`; from Java use [trainer] (or build a [Trainer] directly).
 *
 * ```kotlin
 * val trainer = ppo { env(CartPole); seed(1); workers(2) }
 * trainer.updates(50_000).collect { println(it.episodicReturn()) }   // cold Flow: collecting trains
 * val result = trainer.train(50_000)                                // suspend
 * ```
 *
 * Every call trains a new run from the seed, and gives the same updates for the same seed and any number of workers.
 * Cancellation (of the collector or of the `suspend` call) takes effect between updates: the update in progress
 * completes and is recorded, so a [TrainingRun]'s agent is always that of a whole number of updates.
 *
 * @property trainer the core trainer this adapts (Java's entry point)
 * @property dispatcher where training runs when called from a coroutine (`Dispatchers.Default` unless the block set
 *   one with `dispatcher(...)`)
 */
class PpoTrainer(@get:JvmName("trainer") val trainer: Trainer) {
    @get:JvmSynthetic
    @set:JvmSynthetic
    var dispatcher: CoroutineDispatcher = Dispatchers.Default
        internal set

    /** The validated hyperparameters and env. */
    @get:JvmName("config")
    val config: PpoConfig get() = trainer.config()

    /** Sampling workers per rollout step. */
    @get:JvmName("workers")
    val workers: Int get() = trainer.workers()

    /** Threads of the minibatch passes and of Adam's update. */
    @get:JvmName("optimiserThreads")
    val optimiserThreads: Int get() = trainer.optimiserThreads()

    /** The budget used when a call is given none, in env steps. */
    @get:JvmName("totalSteps")
    val totalSteps: Long get() = trainer.totalSteps()

    /** A new core run of [steps] env steps, not started: stop it, read its agent, save it, resume it. */
    @JvmOverloads
    fun run(steps: Long = totalSteps): TrainingRun = trainer.start(steps)

    /** The run of a training checkpoint of this trainer's config (see [Trainer.resume]). */
    @JvmOverloads
    fun resume(checkpoint: Path, steps: Long = 0): TrainingRun = trainer.resume(checkpoint, steps)

    /**
     * The statistics of each update of a new run of [steps] env steps. Cold: nothing happens until it is collected, and
     * each collection trains a new run. Cancelling the collector stops after the current update.
     */
    @JvmSynthetic
    fun updates(steps: Long = totalSteps): Flow<UpdateStats> = flow {
        run(steps).use { run -> run.updates(dispatcher).collect { emit(it) } }
    }

    /** Trains a new run of [steps] env steps; [listener] sees each update after the trainer's own callbacks. */
    @JvmSynthetic
    suspend fun train(steps: Long = totalSteps, listener: UpdateListener = UpdateListener.none()): TrainingResult =
        run(steps).use { it.train(dispatcher, listener) }

    /**
     * [train] blocking the calling thread, which also runs [listener]. Interrupting the thread stops training after the
     * update in progress.
     */
    @JvmOverloads
    fun trainBlocking(steps: Long = totalSteps, listener: UpdateListener = UpdateListener.none()): TrainingResult =
        runBlocking { train(steps, listener) }

    /** [Trainer.trainAsync]: `future.cancel(true)` stops training after the current update. */
    @JvmOverloads
    fun trainAsync(steps: Long = totalSteps): CompletableFuture<TrainingResult> = trainer.trainAsync(steps)

    override fun toString(): String = "PpoTrainer($trainer)"
}

/**
 * Each update of this run as it completes, training on [dispatcher] one update at a time until the run is finished or
 * stopped. Cancelling the collector lets the update in progress finish (it is recorded) and stops.
 */
@JvmSynthetic
fun TrainingRun.updates(dispatcher: CoroutineDispatcher = Dispatchers.Default): Flow<UpdateStats> = flow {
    while (!isFinished) {
        val ran = withContext(dispatcher) { trainUpdates(1) }
        if (ran.isEmpty()) break // stopped (stop(), or the thread was interrupted)
        emit(ran.last())
    }
}

/** Trains this run to its end (or an early stop, or [TrainingRun.stop]) on [dispatcher]; [listener] sees each update. */
@JvmSynthetic
suspend fun TrainingRun.train(
    dispatcher: CoroutineDispatcher = Dispatchers.Default,
    listener: UpdateListener = UpdateListener.none(),
): TrainingResult {
    updates(dispatcher).collect { listener.onUpdate(it) }
    return result()
}

/**
 * Runs sampling workers on this dispatcher (e.g. `Dispatchers.IO` for envs that block on I/O): worker 0 on the
 * training thread, the others as tasks on the dispatcher. Results do not depend on it.
 */
fun CoroutineDispatcher.asSamplingExecutor(): SamplingExecutor = SamplingExecutor.of(asExecutor())
