package dev.proxima.dsl.pipeline

import dev.proxima.core.ppo.Agent
import dev.proxima.core.ppo.Stages
import dev.proxima.core.ppo.TrainingResult
import dev.proxima.core.ppo.UpdateListener
import dev.proxima.core.ppo.UpdateStats
import java.nio.file.Path
import java.util.concurrent.CompletableFuture
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.ensureActive
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.FlowCollector
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.future.future
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext

/**
 * One training run of a [PpoTrainer]: the env copies, networks and optimiser state of [totalSteps] env steps,
 * created when training starts. A handle for what the trainer's one-call methods hide:
 * - [agent] is the policy after the last completed update, at any time, also while training runs on another thread
 *   and after a cancellation;
 * - [stop] ends training after the current update with a normal result;
 * - after a cancellation or [stop], training again continues where the run stopped (the state is that of a whole
 *   number of updates), until all updates are done.
 *
 * Close the run (or let it finish) to release the env copies. One collection at a time.
 */
class TrainingRun internal constructor(
    private val trainer: PpoTrainer,
    /** The run's budget in env steps. */
    @get:JvmName("totalSteps") val totalSteps: Long,
    /** A training checkpoint to continue from, or `null` to start from the seed. */
    private val resumeFrom: Path? = null,
) : AutoCloseable {
    private val lock = Any()
    private val history = ArrayList<UpdateStats>()
    private var stages: Stages? = null
    private var pipeline: Pipeline? = null
    private var collecting = false
    private var closed = false
    private var stopped: CompletableFuture<TrainingResult>? = null

    @Volatile private var latest: Agent? = null
    @Volatile private var nanos = 0L
    @Volatile private var stopRequested = false
    @Volatile private var earlyStopped = false
    @Volatile private var done = false

    init {
        require(totalSteps >= 1) { "totalSteps = $totalSteps must be at least 1 env step" }
    }

    /** Whether every update ran, or an early stop ended the run. */
    @get:JvmName("isFinished")
    val isFinished: Boolean get() = done

    /** Whether the early stop's threshold was reached. */
    @get:JvmName("stoppedEarly")
    val stoppedEarly: Boolean get() = earlyStopped

    /** Updates this run object completed, over all its training calls (a resumed run: those after its checkpoint). */
    fun updatesDone(): Int = synchronized(lock) { history.size }

    /**
     * The policy after the last completed update (before the first: the initial policy); the same instance until
     * the next update. Like every [Agent], not thread-safe.
     *
     * @throws IllegalStateException if training has not started
     */
    fun agent(): Agent = latest ?: throw IllegalStateException(
        "the run has not started: collect updates(), call train/trainBlocking/trainAsync first",
    )

    /** The agent, and the statistics of every update this run object completed, over all its training calls. */
    fun result(): TrainingResult {
        val updates = synchronized(lock) { history.toList() }
        return TrainingResult(agent(), updates, nanos / 1e9)
    }

    /**
     * Asks the current (or next) training call to end after the update in progress; it then returns normally with
     * the updates so far. Training again afterwards continues the run.
     */
    fun stop() {
        stopRequested = true
    }

    /**
     * Completes with [result] when the training call in progress has ended (normally, by [stop], by an early stop, by
     * cancellation or by an exception), or at once if none is running. After `future.cancel(true)`, which returns at
     * once, this tells when the update in progress has finished: `run.whenStopped().join().agent()`.
     */
    fun whenStopped(): CompletableFuture<TrainingResult> = synchronized(lock) {
        stopped ?: CompletableFuture<TrainingResult>().also { f ->
            try {
                f.complete(result())
            } catch (e: IllegalStateException) {
                f.completeExceptionally(e)
            }
        }
    }

    /**
     * The statistics of each update from where the run stands. Collecting trains; cancelling the collector stops
     * after the current update, which is recorded, so [agent] stays that of whole updates.
     */
    @JvmSynthetic
    fun updates(): Flow<UpdateStats> = flow { collectUpdates(this) }

    /**
     * Trains to the end of the run (or to an early stop or [stop]); [listener] sees each update of this call.
     * Returns [result].
     */
    @JvmSynthetic
    suspend fun train(listener: UpdateListener = UpdateListener.none()): TrainingResult {
        updates().collect { listener.onUpdate(it) }
        return result()
    }

    /**
     * [train] for Java, blocking the calling thread, which also runs [listener]. Interrupting the thread cancels
     * training and throws [InterruptedException]; the update in progress when the thread notices the interrupt still
     * completes (see [whenStopped]).
     */
    @JvmOverloads
    fun trainBlocking(listener: UpdateListener = UpdateListener.none()): TrainingResult =
        runBlocking { train(listener) }

    /**
     * [train] for Java, on the trainer's dispatcher. `cancel(true)` on the future stops training after the current
     * update; [agent] then gives the policy of the updates that completed.
     */
    @JvmOverloads
    fun trainAsync(listener: UpdateListener = UpdateListener.none()): CompletableFuture<TrainingResult> =
        trainAsync(listener, closeWhenDone = false)

    internal fun trainAsync(listener: UpdateListener, closeWhenDone: Boolean): CompletableFuture<TrainingResult> =
        CoroutineScope(trainer.settings.dispatcher).future {
            try {
                train(listener)
            } finally {
                if (closeWhenDone) close()
            }
        }

    /** Releases the env copies; if training is running, when it ends. The agent and result stay available. */
    override fun close() {
        val s = synchronized(lock) {
            closed = true
            if (collecting) null else stages.also { stages = null }
        }
        s?.close()
    }

    private suspend fun collectUpdates(out: FlowCollector<UpdateStats>) {
        synchronized(lock) {
            check(!closed) { "this run is closed" }
            check(!collecting) { "this run is already training; collect one flow of a run at a time" }
            collecting = true
            stopped = CompletableFuture()
        }
        val settings = trainer.settings
        try {
            val s = stages ?: withContext(settings.dispatcher) {
                if (resumeFrom == null) {
                    Stages(trainer.config, totalSteps, trainer.workers)
                } else {
                    Stages.restore(trainer.config, totalSteps, trainer.workers, resumeFrom)
                }
            }.also { created ->
                synchronized(lock) {
                    stages = created
                    pipeline = Pipeline(created, settings.dispatcher)
                }
                latest = created.agent()
            }
            val p = pipeline!!
            if (s.finished()) done = true
            while (!done && !stopRequested) {
                currentCoroutineContext().ensureActive()
                // The update runs to its end even if cancelled meanwhile, and is recorded before withContext returns
                // (which throws if cancelled): the state is always that of a whole number of updates.
                val stats = withContext(settings.dispatcher + NonCancellable) {
                    val t0 = System.nanoTime()
                    val stats = p.update()
                    val agent = s.agent()
                    synchronized(lock) { history += stats }
                    latest = agent
                    nanos += System.nanoTime() - t0
                    if (s.finished()) done = true
                    stats
                }
                afterUpdate(s, stats)
                out.emit(stats)
            }
        } finally {
            stopRequested = false
            val (toClose, signal) = synchronized(lock) {
                collecting = false
                val signal = stopped
                stopped = null
                (if (closed || done) stages.also { stages = null } else null) to signal
            }
            toClose?.close()
            if (latest != null) signal?.complete(result()) else signal?.completeExceptionally(
                IllegalStateException("the run stopped before its env copies were made"),
            )
        }
    }

    /** The trainer's callbacks, in order: update listeners, evaluation, checkpoint, early stop. */
    private suspend fun afterUpdate(s: Stages, stats: UpdateStats) {
        val settings = trainer.settings
        settings.listeners.forEach { it.onUpdate(stats) }
        val update = stats.update()
        var evaluation: Evaluation? = null
        settings.eval?.let { e ->
            if (update % e.every == 0 || done) {
                // A fresh copy: the agent handed out by agent() may be in use on another thread.
                val agent = s.agent()
                val result = withContext(settings.dispatcher) { agent.evaluate(e.episodes, e.deterministic, e.seed) }
                evaluation = Evaluation(update, stats.globalStep(), result).also { e.listener.onEvaluation(it) }
            }
        }
        settings.checkpoint?.let { c ->
            if (update % c.every == 0) c.listener.onCheckpoint(s)
        }
        settings.earlyStop?.let { stop ->
            val value = when (stop.on) {
                StopOn.EVALUATION -> evaluation?.meanReturn() ?: Double.NaN
                StopOn.EPISODIC_RETURN -> stats.episodicReturn()
            }
            if (value >= stop.threshold) {
                earlyStopped = true
                done = true
            }
        }
    }
}
