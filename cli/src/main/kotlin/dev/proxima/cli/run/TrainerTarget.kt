package dev.proxima.cli.run

import dev.proxima.core.ppo.Agent
import dev.proxima.core.ppo.PpoConfig
import dev.proxima.core.ppo.TrainingResult
import dev.proxima.core.ppo.UpdateListener
import dev.proxima.dsl.pipeline.PpoTrainer
import java.nio.file.Path

/**
 * A `ppo { }` block's [PpoTrainer], trained by the DSL's coroutine pipeline, so its workers and callbacks (update
 * listeners, evaluations, checkpoints, early stop) apply. Between updates the CLI records the run like any other.
 *
 * Limits of what the DSL exposes: a [TrainingRun][dev.proxima.dsl.pipeline.TrainingRun] gives the agent but not its
 * stages, so [RunHandle.saveCheckpoint] writes an agent checkpoint (weights, normaliser, architecture) rather than a
 * resumable training checkpoint; and a trainer cannot be copied with another seed, so [withSeed] rebuilds it from
 * its configuration, workers and budget, without the script's callbacks ([seedNote] says so).
 */
class TrainerTarget(val trainer: PpoTrainer, private val rebuilt: Boolean = false) : TrainTarget {
    override val config: PpoConfig get() = trainer.config

    override val defaultSteps: Long get() = trainer.totalSteps

    override val resumableCheckpoints: Boolean get() = false

    override val seedNote: String?
        get() = if (rebuilt) "--seed rebuilt the ppo { } trainer from its configuration, workers and total steps; " +
            "callbacks the script set on it (onUpdate, evaluate, checkpoints, earlyStop) do not apply to this run" else null

    override fun withSeed(seed: Long): TrainTarget = TrainerTarget(
        PpoTrainer.builder(config.toBuilder().seed(seed).build())
            .workers(trainer.workers).totalSteps(trainer.totalSteps).build(),
        rebuilt = true,
    )

    override fun train(steps: Long, sink: UpdateSink, stop: () -> Boolean, finish: (RunHandle) -> Unit): TrainingResult {
        val start = System.nanoTime()
        trainer.run(steps).use { run ->
            val handle = object : RunHandle {
                override fun agent(): Agent = run.agent()
                override fun saveCheckpoint(file: Path) = run.agent().save(file)
            }
            val result = run.trainBlocking(UpdateListener { stats ->
                sink.onUpdate(stats, handle)
                if (stop()) run.stop() // takes effect after this update, with a normal result
            })
            val seconds = (System.nanoTime() - start) / 1e9
            finish(handle)
            return TrainingResult(result.agent(), result.updates(), seconds)
        }
    }
}
