package dev.proxima.cli.run

import dev.proxima.cli.console.Progress
import dev.proxima.cli.tensorboard.EventFileWriter
import dev.proxima.core.ppo.Agent
import dev.proxima.core.ppo.EvalResult
import dev.proxima.core.ppo.PpoConfig
import dev.proxima.core.ppo.UpdateStats
import java.io.Closeable
import java.nio.file.Files
import java.nio.file.Path
import java.util.ArrayDeque

/**
 * Records a training run into its directory as it goes: a row of `metrics.csv` and an event of the TensorBoard file
 * per update, the console progress, and evaluations every [evalEvery] updates (deterministic policy, [evalEpisodes]
 * episodes each). After training, [finish] draws the reward curve and writes `summary.json`.
 *
 * @param evalEvery   updates between evaluations; 0 for none during training
 * @param evalSeed    seed of the evaluation episodes (the same for every evaluation, so they are comparable)
 * @param onBest      called with the agent whenever an evaluation beats every earlier one (to save the best
 *                    checkpoint); ties go to the later agent, which has trained longer
 * @param onEvalDone  called after each evaluation during training (to refresh the last checkpoint)
 */
class RunRecorder(
    val dir: Path,
    private val config: PpoConfig,
    private val progress: Progress,
    private val evalEpisodes: Int,
    private val evalEvery: Int,
    private val evalSeed: Long,
    private val onBest: (Agent, EvalPoint) -> Unit = { _, _ -> },
    private val onEvalDone: (RunHandle) -> Unit = {},
) : Closeable {
    private val csv: MetricsCsv
    private val events: EventFileWriter
    private val stepsPerUpdate = ArrayList<Long>()
    private val returnsPerUpdate = ArrayList<Double>()
    private val recentPerUpdate = ArrayList<Double>()
    private val recent = RecentReturn(RECENT_EPISODES)
    // The curve's smoothed line uses fewer episodes: with 500-step episodes, 100 episodes lag 50k steps behind.
    private val curveRecent = RecentReturn(CURVE_EPISODES)

    /** Evaluations made during training, in order. */
    val evals: MutableList<EvalPoint> = ArrayList()

    /** The best evaluation so far, or null. */
    var best: EvalPoint? = null
        private set

    /** The update at which [best] was measured (0 if none). */
    var bestUpdate: Int = 0
        private set

    /** The last update's statistics, or null before the first. */
    var last: UpdateStats? = null
        private set

    init {
        Files.createDirectories(dir)
        csv = MetricsCsv(dir.resolve(METRICS_CSV))
        events = try {
            EventFileWriter.create(dir)
        } catch (e: Exception) {
            csv.close()
            throw e
        }
    }

    /** The event file this run writes. */
    val eventFile: Path get() = events.file

    /** Mean return of the last (up to) 100 training episodes, NaN before the first episode ends. */
    val recentReturn: Double get() = recent.mean()

    /**
     * Records one update. [run] gives the current policy when an evaluation is due; null when the trainer cannot
     * give it (then there are no evaluations during training).
     */
    fun onUpdate(stats: UpdateStats, run: RunHandle?) {
        last = stats
        recent.add(stats.episodicReturn(), stats.episodes())
        stepsPerUpdate += stats.globalStep()
        returnsPerUpdate += stats.episodicReturn()
        curveRecent.add(stats.episodicReturn(), stats.episodes())
        recentPerUpdate += curveRecent.mean()
        csv.append(stats)
        events.scalars(stats.globalStep(), stats.metrics().filterValues { !it.isNaN() })
        progress.update(stats, recent.mean())
        if (run != null && evalEvery > 0 && stats.update() % evalEvery == 0) {
            evaluate(run.agent(), stats.globalStep(), stats.update(), evalEpisodes)
            onEvalDone(run)
        }
    }

    /** Evaluates [agent] now, records the point (CSV aside: evaluations go to TensorBoard and the curve). */
    fun evaluate(agent: Agent, globalStep: Long, update: Int, episodes: Int): EvalResult {
        val r = agent.evaluate(episodes, true, evalSeed)
        val p = EvalPoint(globalStep, r.meanReturn(), r.stdReturn(), r.episodes())
        evals += p
        events.scalars(globalStep, linkedMapOf(EVAL_MEAN to p.mean, EVAL_STD to p.std))
        val b = best
        val isBest = b == null || p.mean >= b.mean
        if (isBest) {
            best = p
            bestUpdate = update
            onBest(agent, p)
        }
        progress.eval(p, isBest)
        return r
    }

    /** Draws `reward_curve.png` from what was recorded. */
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
            csv.close()
        } finally {
            events.close()
        }
    }

    companion object {
        const val METRICS_CSV = "metrics.csv"
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
