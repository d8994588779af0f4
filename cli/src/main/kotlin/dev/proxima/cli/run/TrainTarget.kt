package dev.proxima.cli.run

import dev.proxima.core.ppo.Agent
import dev.proxima.core.ppo.PpoConfig
import dev.proxima.core.ppo.Stages
import dev.proxima.core.ppo.TrainingResult
import dev.proxima.core.ppo.UpdateStats
import dev.proxima.dsl.pipeline.PpoTrainer
import java.nio.file.Path

/**
 * What a run can do between updates: read the current policy, and write a checkpoint of the whole run that
 * `Stages.restore` can continue exactly.
 */
interface RunHandle {
    /** The current policy as a standalone agent (a copy: training on does not change it). */
    fun agent(): Agent

    /** Writes a resumable training checkpoint of the run as it is now. */
    fun saveCheckpoint(file: Path)
}

/** Called after each update with its statistics and a handle on the run. */
fun interface UpdateSink {
    fun onUpdate(stats: UpdateStats, run: RunHandle)
}

/** What a script asked to train: a configuration, and how to run it. */
interface TrainTarget {
    val config: PpoConfig

    /** The budget when the command line gives none. */
    val defaultSteps: Long get() = DEFAULT_STEPS

    /** Whether [RunHandle.saveCheckpoint] writes a checkpoint training can continue from (else an agent checkpoint). */
    val resumableCheckpoints: Boolean get() = true

    /** What the user should know about a seed override, if anything. */
    val seedNote: String? get() = null

    /** The same target with another seed. */
    fun withSeed(seed: Long): TrainTarget

    /**
     * Trains for [steps] env steps, reporting every update to [sink]. Between updates, [stop] is asked whether to stop
     * early (the agent stays consistent). At the end [finish] gets a handle on the run, before it is closed.
     */
    fun train(steps: Long, sink: UpdateSink, stop: () -> Boolean, finish: (RunHandle) -> Unit): TrainingResult

    companion object {
        /** CleanRL's and the DSL's default budget. */
        const val DEFAULT_STEPS = 100_000L

        /** The target for a script's result, or null if the result is nothing a script may return. */
        fun of(value: Any?): TrainTarget? = when (value) {
            is PpoConfig -> ConfigTarget(value)
            is PpoTrainer -> TrainerTarget(value)
            is TrainTarget -> value
            else -> null
        }
    }
}

/**
 * A plain [PpoConfig], trained by the core's stages in [dev.proxima.core.ppo.PpoLoop]'s order (the loop is written
 * out here so it can stop on a flag rather than on thread interruption, which would break file writes in progress).
 */
class ConfigTarget(override val config: PpoConfig) : TrainTarget {
    override fun withSeed(seed: Long) = ConfigTarget(config.toBuilder().seed(seed).build())

    override fun train(steps: Long, sink: UpdateSink, stop: () -> Boolean, finish: (RunHandle) -> Unit): TrainingResult {
        val start = System.nanoTime()
        Stages(config, steps, 1).use { s ->
            val handle = object : RunHandle {
                override fun agent(): Agent = s.agent()
                override fun saveCheckpoint(file: Path) = s.save(file)
            }
            val history = ArrayList<UpdateStats>()
            while (!s.finished() && !stop()) {
                val stats = s.runUpdate()
                history += stats
                sink.onUpdate(stats, handle)
            }
            val seconds = (System.nanoTime() - start) / 1e9
            finish(handle)
            return TrainingResult(s.agent(), history, seconds)
        }
    }
}
