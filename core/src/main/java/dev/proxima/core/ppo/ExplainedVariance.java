package dev.proxima.core.ppo;

/**
 * How much of the variance of the return targets the value function explains: {@code 1 - Var[R - V]/Var[R]} with
 * population variances ({@code np.var}), CleanRL's {@code losses/explained_variance}. 1 is perfect, 0 is no better
 * than predicting the mean, negative is worse than that.
 */
public final class ExplainedVariance {

    private ExplainedVariance() {}

    /** NaN when {@code Var[R] = 0} (all returns equal), as CleanRL reports it. */
    public static double of(double[] values, double[] returns) {
        if (values.length != returns.length || values.length == 0) {
            throw new IllegalArgumentException("ExplainedVariance.of: " + values.length + " values and "
                    + returns.length + " returns; need the same number, at least 1");
        }
        int n = values.length;
        double sumY = 0.0;
        double sumE = 0.0;
        for (int i = 0; i < n; i++) {
            sumY += returns[i];
            sumE += returns[i] - values[i];
        }
        double meanY = sumY / n;
        double meanE = sumE / n;
        double varY = 0.0;
        double varE = 0.0;
        for (int i = 0; i < n; i++) {
            double y = returns[i] - meanY;
            double e = (returns[i] - values[i]) - meanE;
            varY += y * y;
            varE += e * e;
        }
        varY /= n;
        varE /= n;
        return varY == 0.0 ? Double.NaN : 1.0 - varE / varY;
    }
}
