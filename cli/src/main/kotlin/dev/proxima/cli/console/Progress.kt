package dev.proxima.cli.console

import dev.proxima.cli.run.EvalPoint
import dev.proxima.cli.run.RunMonitor
import dev.proxima.cluster.ClusterCollector
import dev.proxima.core.ppo.UpdateStats
import java.io.PrintStream
import java.util.Locale

/**
 * What `proxima train` prints while it trains. On a terminal: a live progress bar (steps, steps per second, recent
 * return, time left) redrawn in place, with a table row printed above it every few updates. Elsewhere (a pipe, a log
 * file, CI): the same table rows as plain lines, and no bar, so logs stay readable.
 *
 * Within an update ([tick], called every second by the command): the bar follows the rollout step by step (with the
 * [RunMonitor]'s counts) and says what a slow phase is doing; without a terminal, a status line is printed every
 * [STATUS_SECONDS] seconds while no update completes, so a run with slow envs is never silent for long.
 *
 * A cluster run ([clusterWorkers] > 0) adds the workers whose slices the update trained on, its rollout's wall time
 * and its transfer time (`cluster/workers`, `cluster/rollout_ms`, `cluster/overhead_ms`) to the rows and the bar; its
 * status lines say what the learner waits for (workers joining, the workers' rollouts) instead of a rollout step.
 *
 * Thread-safe: the training thread reports updates, a ticker thread calls [tick].
 *
 * @param interactive  whether [out] is a terminal (`System.console() != null`)
 * @param totalSteps   env steps the run will have taken at its end
 * @param numUpdates   updates the run will take
 * @param clusterWorkers worker slots of a cluster run, 0 for a run in this JVM
 * @param nanoTime     the clock, replaceable in tests
 */
class Progress(
    private val out: PrintStream,
    private val err: PrintStream,
    private val interactive: Boolean,
    private val totalSteps: Long,
    private val numUpdates: Int,
    private val monitor: RunMonitor? = null,
    private val clusterWorkers: Int = 0,
    private val nanoTime: () -> Long = System::nanoTime,
) {
    private val cluster = clusterWorkers > 0
    private val header = HEADER + if (cluster) String.format(Locale.ROOT, " %7s %8s %7s", "workers", "roll_ms", "xfer_ms") else ""

    /** A table row every this many updates (about 10 rows per run), and always for the first and last update. */
    val tableEvery: Int = maxOf(1, numUpdates / 10)

    private val start = nanoTime()
    private var stepsAtStart = 0L
    private var lastDraw = 0L
    private var drawn = false
    private var headerPrinted = false
    private var barShown = false
    private var lastBar = ""
    private var lastUpdateNanos = nanoTime()
    private var lastStatusNanos = 0L
    private var updatesDone = 0
    private var recent = Double.NaN
    private var workersAlive = -1
    private var step = 0L
    private var finished = false

    @Synchronized
    fun update(stats: UpdateStats, recentReturn: Double) {
        updatesDone = stats.update()
        recent = recentReturn
        step = stats.globalStep()
        lastUpdateNanos = nanoTime()
        if (cluster) workersAlive = stats.metrics()[ClusterCollector.METRIC_WORKERS]?.takeIf { !it.isNaN() }?.toInt() ?: -1
        if (stats.update() % tableEvery == 0 || stats.update() == numUpdates || !headerPrinted) {
            if (!headerPrinted) {
                headerPrinted = true
                line(header)
            }
            line(row(stats, recentReturn))
        }
        if (interactive) {
            val now = nanoTime()
            if (!drawn || now - lastDraw >= 100_000_000L || stats.update() == numUpdates) {
                drawBar(step, now, null)
            }
        }
    }

    /** Sets where the progress starts (a resumed run), before the first update. */
    @Synchronized
    fun resumedAt(update: Int, globalStep: Long, recentReturn: Double) {
        updatesDone = update
        step = globalStep
        stepsAtStart = globalStep
        recent = recentReturn
    }

    @Synchronized
    fun eval(point: EvalPoint, best: Boolean) {
        line(String.format(Locale.ROOT, "  eval at %,d steps: %.1f ± %.1f over %d episodes%s", point.globalStep,
            point.mean, point.std, point.episodes, if (best) "  (best so far)" else ""))
    }

    /** A message on stderr, `proxima: warning: ...`, keeping the bar below it. */
    fun warning(text: String) = errLine("proxima: warning: $text")

    /** A line on stderr, keeping the bar below it. */
    @Synchronized
    fun errLine(text: String) {
        clearBar()
        out.flush()
        err.println(text)
        err.flush()
        redrawBar()
    }

    /** Prints a message line, keeping the bar below it. */
    @Synchronized
    fun line(text: String) {
        clearBar()
        out.println(text)
        redrawBar()
        out.flush()
    }

    /** Progress within the update in progress; called about once a second. */
    @Synchronized
    fun tick() {
        if (finished) return
        val m = monitor ?: return
        val now = nanoTime()
        // A cluster run's env steps happen in the workers: its count moves with the updates.
        val current = if (cluster) step else maxOf(step, m.envSteps())
        val slow = m.secondsInPhase() >= 1.0
        if (interactive) {
            drawBar(current, now, if (slow) m.phaseText() + String.format(Locale.ROOT, " %.0f s", m.secondsInPhase()) else null)
            return
        }
        val quiet = (now - lastUpdateNanos) / 1e9
        if (quiet >= STATUS_SECONDS && (now - lastStatusNanos) / 1e9 >= STATUS_SECONDS) {
            lastStatusNanos = now
            val where = if (cluster) "" else String.format(Locale.ROOT, "rollout step %d, ", m.stepInUpdate())
            out.println(String.format(Locale.ROOT, "  ... update %d/%d: %s%,d env steps, %s steps/s; %s",
                updatesDone + 1, numUpdates, where, current, rate(sps(now)),
                m.phaseText() + String.format(Locale.ROOT, " for %.1f s", m.secondsInPhase())))
            out.flush()
        }
    }

    /** Removes the bar before the final summary; later ticks print nothing. */
    @Synchronized
    fun finish() {
        clearBar()
        out.flush()
        drawn = false
        finished = true
    }

    private fun clearBar() {
        if (barShown) {
            out.print("\r\u001b[2K")
            barShown = false
        }
    }

    private fun redrawBar() {
        if (interactive && drawn && !finished) {
            out.print(lastBar)
            barShown = true
        }
    }

    private fun drawBar(step: Long, now: Long, note: String?) {
        lastDraw = now
        drawn = true
        val frac = if (totalSteps > 0) (step.toDouble() / totalSteps).coerceIn(0.0, 1.0) else 1.0
        val filled = (frac * BAR_WIDTH).toInt()
        val sps = sps(now)
        val eta = if (sps > 0) (totalSteps - step).coerceAtLeast(0) / sps else Double.NaN
        val workers = if (cluster && workersAlive >= 0) "  workers $workersAlive/$clusterWorkers" else ""
        lastBar = String.format(Locale.ROOT, "\r[%s%s] %3d%%  %,d/%,d steps  %s sps  return %s%s  eta %s%s\u001b[K",
            "█".repeat(filled), "░".repeat(BAR_WIDTH - filled), (frac * 100).toInt(), step, totalSteps, rate(sps),
            fmt(recent, 7, 1), workers, duration(eta), if (note != null) "  ($note)" else "")
        out.print(lastBar)
        out.flush()
        barShown = true
    }

    /** Env steps per second since this process started training (the monitor's count within updates, if local). */
    private fun sps(now: Long): Double {
        if (!cluster && monitor != null) return monitor.envStepsPerSecond()
        val seconds = (now - start) / 1e9
        return if (seconds > 0) (step - stepsAtStart) / seconds else 0.0
    }

    private fun row(s: UpdateStats, recentReturn: Double): String = String.format(Locale.ROOT,
        "%s%6d %10d %8s %9s %9s %8s %9s %8s %8s %9s",
        ROW_PREFIX, s.update(), s.globalStep(), fmt(recentReturn, 8, 1), fmt(s.policyLoss(), 9, 4),
        fmt(s.valueLoss(), 9, 4), fmt(s.entropy(), 8, 4), fmt(s.approxKl(), 9, 5), fmt(s.clipFrac(), 8, 4),
        fmt(s.explainedVariance(), 8, 3), fmt(s.sps(), 9, 0)) + if (cluster) clusterColumns(s) else ""

    private fun clusterColumns(s: UpdateStats): String {
        val m = s.metrics()
        val workers = m[ClusterCollector.METRIC_WORKERS]?.takeIf { !it.isNaN() }?.let { "${it.toInt()}/$clusterWorkers" } ?: "-"
        return String.format(Locale.ROOT, " %7s %8s %7s", workers, fmt(m[ClusterCollector.METRIC_ROLLOUT_MS] ?: Double.NaN, 8, 0),
            fmt(m[ClusterCollector.METRIC_OVERHEAD_MS] ?: Double.NaN, 7, 1))
    }

    companion object {
        /** Seconds without a completed update after which a status line is printed (no terminal). */
        const val STATUS_SECONDS = 2.0
        private const val BAR_WIDTH = 24
        private const val ROW_PREFIX = "  "
        private val HEADER = String.format(Locale.ROOT, "%s%6s %10s %8s %9s %9s %8s %9s %8s %8s %9s", ROW_PREFIX,
            "update", "steps", "return", "pi_loss", "v_loss", "entropy", "approx_kl", "clipfrac", "expl_var", "sps")

        internal fun fmt(v: Double, width: Int, decimals: Int): String =
            if (v.isNaN()) "-".padStart(width) else String.format(Locale.ROOT, "%${width}.${decimals}f", v)

        private fun rate(x: Double): String =
            if (x >= 100 || x == 0.0) String.format(Locale.ROOT, "%,.0f", x) else String.format(Locale.ROOT, "%.2f", x)

        /** `m:ss` or `h:mm:ss`; `-` when unknown. */
        internal fun duration(seconds: Double): String {
            if (seconds.isNaN() || seconds.isInfinite()) return "-"
            val s = Math.round(seconds)
            return if (s >= 3600) String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
            else String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60)
        }
    }
}
