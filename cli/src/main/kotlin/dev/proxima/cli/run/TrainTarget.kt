package dev.proxima.cli.run

import dev.proxima.core.ppo.Agent
import dev.proxima.core.ppo.PpoConfig
import dev.proxima.core.ppo.PpoLoop
import dev.proxima.core.ppo.Stages
import dev.proxima.core.ppo.TrainingResult
import dev.proxima.core.ppo.UpdateStats

/** Called after each update with its statistics and a way to get the current policy as a standalone agent. */
fun interface UpdateSink {
    fun onUpdate(stats: UpdateStats, agent: () -> Agent)
}

/** What a script asked to train: a configuration, and how to run it. */
interface TrainTarget {
    val config: PpoConfig

    /** The same target with another seed. */
    fun withSeed(seed: Long): TrainTarget

    /** Trains for [steps] env steps, reporting every update to [sink]; stops early if the thread is interrupted. */
    fun train(steps: Long, sink: UpdateSink): TrainingResult

    companion object {
        /** The target for a script's result, or null if the result is nothing a script may return. */
        fun of(value: Any?): TrainTarget? = when (value) {
            is PpoConfig -> ConfigTarget(value)
            is TrainTarget -> value
            else -> null
        }
    }
}

/** A plain [PpoConfig], trained by the core's sequential loop ([PpoLoop.run] over [Stages]). */
class ConfigTarget(override val config: PpoConfig) : TrainTarget {
    override fun withSeed(seed: Long) = ConfigTarget(config.toBuilder().seed(seed).build())

    override fun train(steps: Long, sink: UpdateSink): TrainingResult =
        Stages(config, steps, 1).use { s ->
            PpoLoop.run(s) { stats -> sink.onUpdate(stats) { s.agent() } }
        }
}
