package dev.proxima.cli.run

import dev.proxima.cli.console.Progress
import dev.proxima.cli.files.FileWriteException
import dev.proxima.cli.tensorboard.EventFileWriter
import dev.proxima.core.ppo.PpoConfig
import dev.proxima.core.ppo.UpdateStats
import dev.proxima.core.train.Callback
import dev.proxima.core.train.EvalListener
import dev.proxima.core.train.Evaluation
import dev.proxima.core.train.UpdateEvent
import java.io.Closeable
import java.io.IOException
import java.nio.file.Files
import java.nio.file.Path
import java.util.ArrayDeque

/**
 * Records a training run into its directory as it goes, as a core [Callback] added after the script's own (and as
 * the [EvalListener] of the CLI's evaluations): a row of `metrics.csv` and an event of the TensorBoard file per update,
 * a row of `evaluations.csv` per evaluation, the console progress, and the trainer's warnings on stderr. After
 * training, [drawRewardCurve] draws the picture. Thread-safe: the stop handler reads it while training runs.
 *
 * A resumed run passes the rows its files already hold ([resumed], cut back to the checkpoint's update), so the curve,
 * the recent return and the best evaluation continue where they were; its TensorBoard file (a new one) starts with a
 * session-start event at the first step it writes.
 *
 * @param evalEvery updates between the CLI's evaluations (to mark them in the progress)
 */
class RunRecorder(
    val dir: Path,
    val config: PpoConfig,
    private val progress: Progress,
    private val monitor: RunMonitor?,
    private val evalEvery: Int,
    resumed: Resumed? = null,
) : Callback, EvalListener, Closeable {
    /** The rows of `metrics.csv` and `evaluations.csv` a resumed run starts from (headers first). */
    class Resumed(val metrics: List<List<String>>, val evaluations: List<List<String>>, val globalStep: Long)

    private val metrics: MetricsCsv
    private val evalCsv: EvaluationsCsv
    private val events: EventFileWriter
    private val stepsPerUpdate = ArrayList<Long>()
    private val returnsPerUpdate = ArrayList<Double>()
    private val recentPerUpdate = ArrayList<Double>()
    private val recent = RecentReturn(RECENT_EPISODES)
    // The curve's smoothed line uses fewer episodes: with 500-step episodes, 100 episodes lag 50k steps behind.
    private val curveRecent = RecentReturn(CURVE_EPISODES)

    /** Evaluations of the run, in order (a resumed run's earlier ones included). */
    val evals: MutableList<EvalPoint> = ArrayList()

    /** The best evaluation so far (ties go to the earlier one, as core's `Evaluate` saves), or null. */
    @get:Synchronized
    var best: EvalPoint? = null
        private set

    /** The last update recorded (0 before the first) and its global step. */
    @get:Synchronized
    var lastUpdate: Int = 0
        private set
    @get:Synchronized
    var lastGlobalStep: Long = 0
        private set

    /** Warnings the trainer gave, in order. */
    val warnings: MutableList<String> = ArrayList()

    init {
        Files.createDirectories(dir)
        metrics = MetricsCsv(dir.resolve(MetricsCsv.NAME), resumed?.metrics?.firstOrNull())
        evalCsv = EvaluationsCsv(dir.resolve(EvaluationsCsv.NAME), resumed?.evaluations?.firstOrNull())
        if (resumed != null) replay(resumed)
        events = try {
            EventFileWriter.create(dir).also { w -> if (resumed != null) w.sessionStart(resumed.globalStep + 1) }
        } catch (e: IOException) {
            metrics.close()
            throw if (e is FileWriteException) e else FileWriteException(dir.resolve("events.out.tfevents.*"), e)
        }
    }

    private fun replay(r: Resumed) {
        val h = r.metrics.firstOrNull() ?: return
        val ret = h.indexOf(UpdateStats.EPISODIC_RETURN)
        for (row in r.metrics.drop(1)) {
            val ep = row[2].toIntOrNull() ?: 0
            val x = if (ret >= 0) row[ret].toDoubleOrNull() ?: Double.NaN else Double.NaN
            record(row[0].toInt(), row[1].toLong(), x, ep)
        }
        for (row in r.evaluations.drop(1)) {
            val p = EvalPoint(row[0].toInt(), row[1].toLong(), row[2].toDouble(), row[3].toDouble(), row[4].toInt())
            evals += p
            if (best == null || p.mean > best!!.mean) best = p
        }
    }

    private fun record(update: Int, globalStep: Long, ret: Double, episodes: Int) {
        lastUpdate = update
        lastGlobalStep = globalStep
        recent.add(ret, episodes)
        stepsPerUpdate += globalStep
        returnsPerUpdate += ret
        curveRecent.add(ret, episodes)
        recentPerUpdate += curveRecent.mean()
    }

    /** The event file this run writes. */
    val eventFile: Path get() = events.file

    /** Mean return of the last (up to) 100 training episodes, NaN before the first episode ends. */
    val recentReturn: Double @Synchronized get() = recent.mean()

    @Synchronized
    override fun onUpdate(event: UpdateEvent) {
        val stats = event.stats()
        record(stats.update(), stats.globalStep(), stats.episodicReturn(), stats.episodes())
        metrics.append(stats)
        events.scalars(stats.globalStep(), stats.metrics().filterValues { !it.isNaN() })
        progress.update(stats, recent.mean())
        if (monitor != null && (event.update() % evalEvery == 0 || event.isLast())) monitor.enter(RunMonitor.Phase.EVALUATING)
    }

    @Synchronized
    override fun onEvaluation(evaluation: Evaluation) {
        val r = evaluation.result()
        val p = EvalPoint(evaluation.update(), evaluation.globalStep(), r.meanReturn(), r.stdReturn(), r.episodes())
        add(p, evaluation.best())
    }

    /** Records an evaluation made outside the trainer (the final one of a run that stopped early). */
    @Synchronized
    fun add(p: EvalPoint, isBest: Boolean) {
        evals += p
        evalCsv.append(p)
        events.scalars(p.globalStep, linkedMapOf(EVAL_MEAN to p.mean, EVAL_STD to p.std))
        if (isBest) best = p
        progress.eval(p, isBest)
    }

    /** The last evaluation, or null. */
    @Synchronized
    fun lastEval(): EvalPoint? = evals.lastOrNull()

    override fun onWarning(message: String) {
        synchronized(warnings) { warnings += message }
        progress.warning(message)
    }

    /** Draws `reward_curve.png` from what was recorded. */
    @Synchronized
    fun drawRewardCurve(): Path {
        val file = dir.resolve(REWARD_CURVE_PNG)
        val threshold = config.env().rewardThreshold().orElse(Double.NaN)
        RewardCurve.write(file, "PPO on ${config.env().id()} (seed ${config.seed()})",
            stepsPerUpdate.toLongArray(), returnsPerUpdate.toDoubleArray(), recentPerUpdate.toDoubleArray(), evals,
            threshold)
        return file
    }

    override fun close() {
        try {
            metrics.close()
            evalCsv.close()
        } finally {
            events.close()
        }
    }

    override fun toString() = "RunRecorder($dir)"

    companion object {
        const val REWARD_CURVE_PNG = "reward_curve.png"
        const val SUMMARY_JSON = "summary.json"
        const val EVAL_MEAN = "eval/mean_return"
        const val EVAL_STD = "eval/std_return"
        const val RECENT_EPISODES = 100
        const val CURVE_EPISODES = 10
    }
}

/**
 * The mean return of the last [window] episodes, from per-update means and counts (what [UpdateStats] reports), as
 * SB3's `ep_rew_mean` averages its last 100 episodes. Whole updates are dropped from the old end while the rest still
 * hold at least [window] episodes.
 */
class RecentReturn(private val window: Int) {
    private val updates = ArrayDeque<DoubleArray>() // [mean, count]
    private var sum = 0.0
    private var count = 0

    fun add(mean: Double, episodes: Int) {
        if (episodes <= 0 || mean.isNaN()) return
        updates.addLast(doubleArrayOf(mean, episodes.toDouble()))
        sum += mean * episodes
        count += episodes
        while (count - updates.first()[1] >= window) {
            val old = updates.removeFirst()
            sum -= old[0] * old[1]
            count -= old[1].toInt()
        }
    }

    fun mean(): Double = if (count == 0) Double.NaN else sum / count
}
