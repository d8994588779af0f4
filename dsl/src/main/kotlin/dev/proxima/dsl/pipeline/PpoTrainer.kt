package dev.proxima.dsl.pipeline

import dev.proxima.core.ppo.PpoConfig
import dev.proxima.core.ppo.PpoConfigException
import dev.proxima.core.ppo.TrainingResult
import dev.proxima.core.ppo.UpdateListener
import dev.proxima.core.ppo.UpdateStats
import java.nio.file.Path
import java.util.Locale
import java.util.concurrent.CompletableFuture
import java.util.concurrent.Executor
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.emitAll
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.runBlocking

/**
 * Trains a [PpoConfig] with the coroutine [Pipeline]: sampling split over [workers] coroutines, callbacks after each
 * update (listeners, periodic evaluation, periodic checkpoints, early stop), and four ways to run, which all give the
 * same updates for the same seed and any number of workers:
 *
 * ```kotlin
 * val trainer = ppo { env(CartPole); seed(1); workers(2) }       // or PpoTrainer.builder(config).build()
 * trainer.updates(50_000).collect { println(it.episodicReturn()) } // cold Flow: collecting trains
 * val result = trainer.train(50_000)                              // suspend
 * ```
 * ```java
 * TrainingResult r = trainer.trainBlocking(50_000, stats -> System.out.println(stats.episodicReturn()));
 * CompletableFuture<TrainingResult> f = trainer.trainAsync(50_000);  // f.cancel(true) stops after the current update
 * ```
 *
 * Every call trains a new run from the seed; [run] gives a [TrainingRun] handle to stop gracefully, to read the
 * latest agent while or after training, or to continue after a cancellation. A trainer is immutable and can run any
 * number of times, also concurrently.
 *
 * Cancellation (of the collector, the `suspend` call, or the future) takes effect between updates: the update in
 * progress completes and is recorded, so the run's agent is always that of a whole number of updates.
 */
class PpoTrainer private constructor(
    /** The validated hyperparameters and env. */
    @get:JvmName("config") val config: PpoConfig,
    /** Sampling coroutines per rollout step; each steps `numEnvs / workers` env copies. */
    @get:JvmName("workers") val workers: Int,
    /** The budget [train], [updates] and the Java twins use when given none, in env steps. */
    @get:JvmName("totalSteps") val totalSteps: Long,
    internal val settings: Settings,
) {

    /** A new run of [steps] env steps (`steps / batchSize` updates, at least one), not started yet. */
    @JvmOverloads
    fun run(steps: Long = totalSteps): TrainingRun = TrainingRun(this, steps)

    /**
     * A run continuing from a training checkpoint (written by [Builder.checkpoints] or `Stages.save`) of this
     * trainer's config. With the [steps] the checkpointed run had, the continuation is exactly the run that was never
     * interrupted; its statistics start at the update after the checkpoint.
     */
    @JvmOverloads
    fun resume(checkpoint: Path, steps: Long = totalSteps): TrainingRun = TrainingRun(this, steps, checkpoint)

    /**
     * The statistics of each update of a new run of [steps] env steps. Cold: nothing happens until it is collected,
     * and each collection trains a new run. Cancelling the collector stops after the current update.
     */
    @JvmSynthetic
    fun updates(steps: Long = totalSteps): Flow<UpdateStats> = flow {
        run(steps).use { emitAll(it.updates()) }
    }

    /** Trains a new run of [steps] env steps; [listener] sees each update after the trainer's own callbacks. */
    @JvmSynthetic
    suspend fun train(steps: Long = totalSteps, listener: UpdateListener = UpdateListener.none()): TrainingResult =
        run(steps).use { it.train(listener) }

    /**
     * [train] for Java, blocking the calling thread, which also runs [listener]. Interrupting the thread cancels the
     * run and throws [InterruptedException]; the update in progress then still completes in the background.
     */
    @JvmOverloads
    fun trainBlocking(steps: Long = totalSteps, listener: UpdateListener = UpdateListener.none()): TrainingResult =
        runBlocking { train(steps, listener) }

    /**
     * [train] for Java, on the trainer's dispatcher (`Dispatchers.Default` unless [Builder.executor] set one).
     * `future.cancel(true)` stops training after the current update. For the agent of a cancelled run, or to stop
     * with a normal result, use [run] and [TrainingRun.trainAsync] instead.
     */
    @JvmOverloads
    fun trainAsync(steps: Long = totalSteps, listener: UpdateListener = UpdateListener.none()):
        CompletableFuture<TrainingResult> = run(steps).trainAsync(listener, closeWhenDone = true)

    override fun toString(): String = "PpoTrainer(workers=$workers, totalSteps=$totalSteps, $settings, $config)"

    /** Everything besides the config; immutable once built. */
    internal class Settings(
        val listeners: List<UpdateListener>,
        val eval: Eval?,
        val checkpoint: Checkpoint?,
        val earlyStop: EarlyStop?,
        val dispatcher: CoroutineDispatcher,
    ) {
        override fun toString(): String = listOfNotNull(eval, checkpoint, earlyStop).joinToString()
    }

    internal data class Eval(
        val every: Int,
        val episodes: Int,
        val deterministic: Boolean,
        val seed: Long,
        val listener: EvalListener,
    ) {
        override fun toString() = "evaluate(every=$every, episodes=$episodes, deterministic=$deterministic, seed=$seed)"
    }

    internal data class Checkpoint(val every: Int, val listener: CheckpointListener) {
        override fun toString() = "checkpoints(every=$every)"
    }

    internal data class EarlyStop(val on: StopOn, val threshold: Double) {
        override fun toString() = "earlyStop(on=$on, threshold=$threshold)"
    }

    /**
     * Collects the trainer's settings; nothing is checked until [build], which reports every problem at once in one
     * [PpoConfigException], like the config's own builder. From Kotlin, the `ppo { }` block fills one of these.
     */
    class Builder internal constructor(private val config: PpoConfig?) {
        private var workers = 1
        private var totalSteps = DEFAULT_TOTAL_STEPS
        private val listeners = ArrayList<UpdateListener>()
        private var evalSet = false
        private var evalEvery = 0
        private var evalEpisodes = 0
        private var evalDeterministic = true
        private var evalSeed: Long? = null
        private var evalListener: EvalListener = EvalListener.NONE
        private var checkpointEvery = 0
        private var checkpointListener: CheckpointListener? = null
        private var stopOn: StopOn? = null
        private var stopThreshold = Double.NaN
        private var dispatcher: CoroutineDispatcher = Dispatchers.Default

        /**
         * Sampling coroutines per rollout step (default 1), in `[1, numEnvs]`. More workers pay off when env steps are
         * slow (physics, simulators, I/O); for cheap envs such as CartPole one worker is fastest. Results do not
         * depend on it.
         */
        fun workers(workers: Int): Builder = apply { this.workers = workers }

        /** The budget used when a run is given none (default 100 000 env steps). */
        fun totalSteps(steps: Long): Builder = apply { this.totalSteps = steps }

        /** Called after each update, before the evaluation and checkpoint of that update. */
        fun onUpdate(listener: UpdateListener): Builder = apply { listeners += listener }

        /**
         * Evaluates the agent every [every] updates on [episodes] episodes of a fresh env copy (with the spec's time
         * limit), deterministically by default (the distribution's mode), and passes the result to [listener].
         * Every evaluation starts from the same seed (the config's seed unless [evalSeed] sets another), so they are
         * comparable across updates.
         */
        @JvmOverloads
        fun evaluate(
            every: Int,
            episodes: Int,
            deterministic: Boolean = true,
            listener: EvalListener = EvalListener.NONE,
        ): Builder = apply {
            evalSet = true
            evalEvery = every
            evalEpisodes = episodes
            evalDeterministic = deterministic
            evalListener = listener
        }

        /** [evaluate] with a listener, deterministic. */
        fun evaluate(every: Int, episodes: Int, listener: EvalListener): Builder =
            evaluate(every, episodes, true, listener)

        /** The seed every evaluation starts from. */
        fun evalSeed(seed: Long): Builder = apply { evalSeed = seed }

        /** Calls [listener] with the run's stages every [every] updates, between updates (to save checkpoints). */
        fun checkpoints(every: Int, listener: CheckpointListener): Builder = apply {
            checkpointEvery = every
            checkpointListener = listener
        }

        /**
         * Writes a training checkpoint every [every] updates to [dir] (created if needed) as
         * `update-000010.safetensors` (the update's number), atomically; [PpoTrainer.resume] continues from one.
         */
        fun checkpoints(every: Int, dir: Path): Builder = checkpoints(every, CheckpointListener { s ->
            java.nio.file.Files.createDirectories(dir)
            s.save(dir.resolve(checkpointName(s.update())))
        })

        /**
         * Stops training once [on]'s mean return reaches [threshold]; NaN (the default) takes the env's reward
         * threshold (`CartPole-v1`: 475). [StopOn.EVALUATION] needs [evaluate].
         */
        @JvmOverloads
        fun earlyStop(on: StopOn = StopOn.EVALUATION, threshold: Double = Double.NaN): Builder = apply {
            stopOn = on
            stopThreshold = threshold
        }

        /** Runs sampling and training on [executor] instead of `Dispatchers.Default`. */
        fun executor(executor: Executor): Builder = apply { dispatcher = executor.asCoroutineDispatcher() }

        /** Runs sampling and training on [dispatcher] (e.g. `Dispatchers.IO` for envs that block). */
        @JvmSynthetic
        fun dispatcher(dispatcher: CoroutineDispatcher): Builder = apply { this.dispatcher = dispatcher }

        /** The trainer; throws [PpoConfigException] listing every problem with the settings. */
        fun build(): PpoTrainer = build(checkNotNull(config) { "no config" })

        internal fun build(config: PpoConfig): PpoTrainer {
            val problems = problems(config)
            if (problems.isNotEmpty()) {
                throw PpoConfigException(problems)
            }
            val eval = if (evalSet) {
                Eval(evalEvery, evalEpisodes, evalDeterministic, evalSeed ?: config.seed(), evalListener)
            } else {
                null
            }
            val stop = stopOn?.let { on ->
                EarlyStop(on, if (stopThreshold.isNaN()) config.env().rewardThreshold().asDouble else stopThreshold)
            }
            val checkpoint = checkpointListener?.let { Checkpoint(checkpointEvery, it) }
            val settings = Settings(listeners.toList(), eval, checkpoint, stop, dispatcher)
            return PpoTrainer(config, workers, totalSteps, settings)
        }

        /** Every problem with these settings; checks that need the config are skipped when it is `null`. */
        internal fun problems(config: PpoConfig?): List<String> {
            val p = ArrayList<String>()
            if (workers < 1) {
                p += "workers = $workers must be at least 1 (one sampling coroutine)."
            } else if (config != null && workers > config.numEnvs()) {
                p += "workers = $workers must not exceed numEnvs = ${config.numEnvs()}: each worker steps at least " +
                    "one env copy. Use workers(${config.numEnvs()}) or more env copies."
            }
            if (totalSteps < 1) {
                p += "totalSteps = $totalSteps must be at least 1 env step (default $DEFAULT_TOTAL_STEPS)."
            }
            if (evalSet) {
                if (evalEvery < 1) p += "evaluate(every = $evalEvery): evaluate every 1 or more updates."
                if (evalEpisodes < 1) p += "evaluate(episodes = $evalEpisodes): evaluate on 1 or more episodes."
            }
            if (checkpointListener != null && checkpointEvery < 1) {
                p += "checkpoints(every = $checkpointEvery): checkpoint every 1 or more updates."
            }
            val on = stopOn
            if (on != null) {
                if (on == StopOn.EVALUATION && !evalSet) {
                    p += "earlyStop(on = EVALUATION) needs evaluations: add evaluate(every = ..., episodes = ...), " +
                        "or stop on the training return with earlyStop(on = EPISODIC_RETURN)."
                }
                if (stopThreshold.isNaN()) {
                    val env = config?.env()
                    if (env != null && env.rewardThreshold().isEmpty) {
                        p += "earlyStop(): env ${env.id()} has no reward threshold. " +
                            "Give one: earlyStop(threshold = ...)."
                    }
                } else if (stopThreshold.isInfinite()) {
                    p += "earlyStop(threshold = $stopThreshold) can never be reached; give a finite return."
                }
            }
            return p
        }
    }

    companion object {
        /** The budget of [train] and [updates] when none is given or set: 100 000 env steps. */
        const val DEFAULT_TOTAL_STEPS: Long = 100_000

        /** A builder for a trainer of [config]. */
        @JvmStatic
        fun builder(config: PpoConfig): Builder = Builder(config)

        /** A trainer of [config] with the default settings: one worker, no callbacks. */
        @JvmStatic
        fun of(config: PpoConfig): PpoTrainer = builder(config).build()

        /** The file name [Builder.checkpoints] gives the checkpoint after [update]: `update-000010.safetensors`. */
        @JvmStatic
        fun checkpointName(update: Int): String = String.format(Locale.ROOT, "update-%06d.safetensors", update)

        /** A builder whose config comes later (the DSL builds both together). */
        internal fun builder(): Builder = Builder(null)
    }
}
