package dev.proxima.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Learning-curve PNGs with XChart: the mean over seeds, a min/max band, and the env's target as a dashed line. */
final class Charts {
    private static final Color MEAN = new Color(31, 119, 180);
    private static final Color BAND = new Color(31, 119, 180, 60);
    private static final Color TARGET = new Color(214, 39, 40);

    private Charts() {}

    /**
     * @param steps   env steps of each curve point (the same for every seed)
     * @param returns {@code returns.get(seed)[point]}
     */
    static void learningCurve(Path png, String title, long[] steps, List<double[]> returns, double target,
            String yLabel) throws IOException {
        int n = steps.length;
        double[] x = new double[n];
        double[] mean = new double[n];
        double[] lo = new double[n];
        double[] hi = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = steps[i];
            double s = 0;
            lo[i] = Double.POSITIVE_INFINITY;
            hi[i] = Double.NEGATIVE_INFINITY;
            for (double[] r : returns) {
                s += r[i];
                lo[i] = Math.min(lo[i], r[i]);
                hi[i] = Math.max(hi[i], r[i]);
            }
            mean[i] = s / returns.size();
        }
        XYChart chart = new XYChartBuilder().width(720).height(440).title(title).xAxisTitle("env steps")
                .yAxisTitle(yLabel).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        chart.getStyler().setXAxisDecimalPattern("#,###");
        chart.getStyler().setAntiAlias(true);

        // The band is one closed polygon: along the maxima, then back along the minima.
        double[] px = new double[2 * n];
        double[] py = new double[2 * n];
        for (int i = 0; i < n; i++) {
            px[i] = x[i];
            py[i] = hi[i];
            px[2 * n - 1 - i] = x[i];
            py[2 * n - 1 - i] = lo[i];
        }
        XYSeries band = chart.addSeries("min-max over " + returns.size() + " seeds", px, py);
        band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
        band.setFillColor(BAND);
        band.setLineColor(BAND);
        band.setMarker(SeriesMarkers.NONE);

        XYSeries m = chart.addSeries("mean", x, mean);
        m.setLineColor(MEAN);
        m.setMarker(SeriesMarkers.NONE);
        m.setLineStyle(new BasicStroke(2f));

        if (!Double.isNaN(target)) {
            XYSeries t = chart.addSeries("target " + fmt(target), new double[] {0, x[n - 1]},
                    new double[] {target, target});
            t.setLineColor(TARGET);
            t.setMarker(SeriesMarkers.NONE);
            t.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                    new float[] {6f, 4f}, 0f));
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
