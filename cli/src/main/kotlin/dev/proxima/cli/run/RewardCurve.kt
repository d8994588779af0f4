package dev.proxima.cli.run

import dev.proxima.cli.files.AtomicWrite
import java.awt.BasicStroke
import java.awt.Color
import java.awt.Font
import java.nio.file.Path
import javax.imageio.ImageIO
import org.knowm.xchart.BitmapEncoder
import org.knowm.xchart.XYChart
import org.knowm.xchart.XYChartBuilder
import org.knowm.xchart.XYSeries
import org.knowm.xchart.style.Styler
import org.knowm.xchart.style.markers.SeriesMarkers

/** An evaluation during or after training: mean and standard deviation of the return over some episodes. */
data class EvalPoint(val update: Int, val globalStep: Long, val mean: Double, val std: Double, val episodes: Int)

/**
 * The reward curve of a run as a PNG: the mean episodic return of each update's rollout against env steps (thin), the
 * mean of the last 10 training episodes (thick), the evaluations with
 * ±1 std error bars, and the env's reward threshold when it has one.
 */
object RewardCurve {
    const val WIDTH = 900
    const val HEIGHT = 540

    /**
     * @param steps       global step of each update
     * @param returns     mean episodic return of each update, NaN when no episode ended
     * @param recent      mean return of the last 10 episodes after each update, NaN before the first
     * @param evals       evaluations, in step order
     * @param threshold   the env's reward threshold, NaN for none
     */
    fun write(
        file: Path,
        title: String,
        steps: LongArray,
        returns: DoubleArray,
        recent: DoubleArray,
        evals: List<EvalPoint>,
        threshold: Double,
    ) {
        val chart = chart(title, steps, returns, recent, evals, threshold)
        // ImageIO's default disk cache registers File.deleteOnExit, which throws while the JVM shuts down; the
        // picture must still be drawn then (Ctrl-C stops training and the run is written out in a shutdown hook).
        ImageIO.setUseCache(false)
        AtomicWrite.bytes(file, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG))
    }

    internal fun chart(
        title: String,
        steps: LongArray,
        returns: DoubleArray,
        recent: DoubleArray,
        evals: List<EvalPoint>,
        threshold: Double,
    ): XYChart {
        val chart = XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
            .xAxisTitle("env steps").yAxisTitle("episodic return").build()
        val st = chart.styler
        st.legendPosition = Styler.LegendPosition.InsideSE
        st.isLegendVisible = true
        st.chartBackgroundColor = Color.WHITE
        st.plotBackgroundColor = Color.WHITE
        st.plotGridLinesColor = Color(0xE0E0E0)
        st.isPlotBorderVisible = false
        st.chartTitleFont = Font(Font.SANS_SERIF, Font.BOLD, 16)
        st.axisTitleFont = Font(Font.SANS_SERIF, Font.PLAIN, 13)
        st.legendFont = Font(Font.SANS_SERIF, Font.PLAIN, 12)
        st.xAxisDecimalPattern = "#,###"

        val have = returns.indices.filter { !returns[it].isNaN() }
        val xs = DoubleArray(have.size) { steps[have[it]].toDouble() }
        val ys = DoubleArray(have.size) { returns[have[it]] }
        if (xs.isNotEmpty()) {
            chart.addSeries("training return (per update)", xs, ys).apply {
                marker = SeriesMarkers.NONE
                lineColor = Color(0x9EC5E8)
                lineStyle = BasicStroke(1f)
            }
        }
        val haveRecent = recent.indices.filter { !recent[it].isNaN() }
        if (haveRecent.isNotEmpty()) {
            chart.addSeries("mean of last 10 episodes", DoubleArray(haveRecent.size) { steps[haveRecent[it]].toDouble() },
                DoubleArray(haveRecent.size) { recent[haveRecent[it]] }).apply {
                marker = SeriesMarkers.NONE
                lineColor = Color(0x1F77B4)
                lineStyle = BasicStroke(2.5f)
            }
        }
        if (evals.isNotEmpty()) {
            val ex = DoubleArray(evals.size) { evals[it].globalStep.toDouble() }
            val ey = DoubleArray(evals.size) { evals[it].mean }
            val ee = DoubleArray(evals.size) { evals[it].std }
            chart.addSeries("evaluation (mean ± std)", ex, ey, ee).apply {
                xySeriesRenderStyle = XYSeries.XYSeriesRenderStyle.Scatter
                marker = SeriesMarkers.DIAMOND
                markerColor = Color(0xD62728)
            }
            st.errorBarsColor = Color(0xD62728)
        }
        if (!threshold.isNaN()) {
            val lastStep = listOfNotNull(steps.lastOrNull(), evals.lastOrNull()?.globalStep).maxOrNull() ?: 1L
            chart.addSeries("reward threshold", doubleArrayOf(0.0, lastStep.toDouble()),
                doubleArrayOf(threshold, threshold)).apply {
                marker = SeriesMarkers.NONE
                lineColor = Color(0x2CA02C)
                lineStyle = BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, floatArrayOf(6f, 4f), 0f)
            }
        }
        if (chart.seriesMap.isEmpty()) {
            // XChart cannot draw an empty chart; a run without any finished episode still gets its picture.
            chart.addSeries("no episode finished", doubleArrayOf(0.0), doubleArrayOf(0.0)).marker = SeriesMarkers.NONE
        }
        return chart
    }
}
