package dev.proxima.cli.console

import dev.proxima.cli.run.EvalPoint
import dev.proxima.core.ppo.UpdateStats
import java.io.PrintStream
import java.util.Locale

/**
 * What `proxima train` prints while it trains. On a terminal: a live progress bar (steps, steps per second, recent
 * return, time left) redrawn in place at most ten times a second, with a table row printed above it every few
 * updates. Elsewhere (a pipe, a log file, CI): the same table rows as plain lines, and no bar, so logs stay readable.
 *
 * @param interactive  whether [out] is a terminal (`System.console() != null`)
 * @param totalSteps   env steps the run will take
 * @param numUpdates   updates the run will take
 * @param nanoTime     the clock, replaceable in tests
 */
class Progress(
    private val out: PrintStream,
    private val interactive: Boolean,
    private val totalSteps: Long,
    private val numUpdates: Int,
    private val nanoTime: () -> Long = System::nanoTime,
) {
    /** A table row every this many updates (about 10 rows per run), and always for the last update. */
    val tableEvery: Int = maxOf(1, numUpdates / 10)

    private val start = nanoTime()
    private var lastDraw = 0L
    private var drawn = false
    private var headerPrinted = false
    private var barShown = false

    fun update(stats: UpdateStats, recentReturn: Double) {
        if (stats.update() % tableEvery == 0 || stats.update() == numUpdates || stats.update() == 1) {
            if (!headerPrinted) {
                headerPrinted = true
                line(HEADER)
            }
            line(row(stats, recentReturn))
        }
        if (interactive) {
            val now = nanoTime()
            if (!drawn || now - lastDraw >= 100_000_000L || stats.update() == numUpdates) {
                lastDraw = now
                drawn = true
                drawBar(stats.globalStep(), recentReturn, now)
            }
        }
    }

    fun eval(point: EvalPoint, best: Boolean) {
        line(String.format(Locale.ROOT, "  eval at %,d steps: %.1f ± %.1f over %d episodes%s", point.globalStep,
            point.mean, point.std, point.episodes, if (best) "  (best so far)" else ""))
    }

    /** Prints a message line, keeping the bar below it. */
    fun line(text: String) {
        if (barShown) {
            out.print("\r\u001b[2K")
            barShown = false
        }
        out.println(text)
        if (interactive && drawn) {
            out.print(lastBar)
            barShown = true
        }
        out.flush()
    }

    /** Removes the bar before the final summary. */
    fun finish() {
        if (barShown) {
            out.print("\r\u001b[2K")
            barShown = false
            out.flush()
        }
        drawn = false
    }

    private var lastBar = ""

    private fun drawBar(step: Long, recentReturn: Double, now: Long) {
        val frac = if (totalSteps > 0) (step.toDouble() / totalSteps).coerceIn(0.0, 1.0) else 1.0
        val filled = (frac * BAR_WIDTH).toInt()
        val seconds = (now - start) / 1e9
        val sps = if (seconds > 0) step / seconds else 0.0
        val eta = if (sps > 0) (totalSteps - step).coerceAtLeast(0) / sps else Double.NaN
        lastBar = String.format(Locale.ROOT, "\r[%s%s] %3d%%  %,d/%,d steps  %,.0f sps  return %s  eta %s\u001b[K",
            "█".repeat(filled), "░".repeat(BAR_WIDTH - filled), (frac * 100).toInt(), step, totalSteps, sps,
            fmt(recentReturn, 7, 1), duration(eta))
        out.print(lastBar)
        out.flush()
        barShown = true
    }

    private fun row(s: UpdateStats, recentReturn: Double): String = String.format(Locale.ROOT,
        "%s%6d %10d %8s %9s %9s %8s %9s %8s %8s %9s",
        ROW_PREFIX, s.update(), s.globalStep(), fmt(recentReturn, 8, 1), fmt(s.policyLoss(), 9, 4),
        fmt(s.valueLoss(), 9, 4), fmt(s.entropy(), 8, 4), fmt(s.approxKl(), 9, 5), fmt(s.clipFrac(), 8, 4),
        fmt(s.explainedVariance(), 8, 3), fmt(s.sps(), 9, 0))

    companion object {
        private const val BAR_WIDTH = 24
        private const val ROW_PREFIX = "  "
        private val HEADER = String.format(Locale.ROOT, "%s%6s %10s %8s %9s %9s %8s %9s %8s %8s %9s", ROW_PREFIX,
            "update", "steps", "return", "pi_loss", "v_loss", "entropy", "approx_kl", "clipfrac", "expl_var", "sps")

        internal fun fmt(v: Double, width: Int, decimals: Int): String =
            if (v.isNaN()) "-".padStart(width) else String.format(Locale.ROOT, "%${width}.${decimals}f", v)

        /** `m:ss` or `h:mm:ss`; `-` when unknown. */
        internal fun duration(seconds: Double): String {
            if (seconds.isNaN() || seconds.isInfinite()) return "-"
            val s = Math.round(seconds)
            return if (s >= 3600) String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
            else String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60)
        }
    }
}
