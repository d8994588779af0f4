package dev.proxima.core.ppo;

/**
 * The policy-change diagnostics CleanRL logs on each minibatch ({@code cleanrl/ppo.py}, "calculate approx_kl
 * http://joschu.net/blog/kl-approx.html"), with {@code logratio = log π_θ - log π_old} and {@code r = exp(logratio)}.
 *
 * @param oldApproxKl {@code mean(-logratio)}, the k1 estimator of {@code KL[π_old‖π_θ]} (unbiased, high variance,
 *                    can be negative)
 * @param approxKl    {@code mean((r - 1) - logratio)}, the k3 estimator (unbiased, always {@code >= 0}); CleanRL's
 *                    {@code losses/approx_kl} and what {@code targetKl} early stopping compares against
 * @param clipFrac    {@code mean(|r - 1| > clip)} (strict), the fraction of rows the clipped objective may clip;
 *                    CleanRL's {@code losses/clipfrac}
 */
public record KlStats(double oldApproxKl, double approxKl, double clipFrac) {

    /**
     * The probability ratio {@code r = π_θ(a|s)/π_old(a|s)}, computed as {@code exp(logProb - oldLogProb)} as in
     * CleanRL ({@code logratio.exp()}); every built-in term uses this one definition.
     */
    public static double ratio(double logProb, double oldLogProb) {
        return Math.exp(logProb - oldLogProb);
    }

    /** The statistics of rows {@code 0..n-1} of two log-probability arrays. */
    public static KlStats of(double[] logProb, double[] oldLogProb, int n, double clip) {
        double[] out = new double[3];
        into(logProb, oldLogProb, n, clip, out);
        return new KlStats(out[0], out[1], out[2]);
    }

    /**
     * {@link #of(double[], double[], int, double)} without allocating: writes {@code oldApproxKl}, {@code approxKl}
     * and {@code clipFrac} to {@code out[0..2]} (the same values bit for bit); the PPO update calls it per minibatch.
     */
    public static void into(double[] logProb, double[] oldLogProb, int n, double clip, double[] out) {
        if (n < 1 || logProb.length < n || oldLogProb.length < n) {
            throw new IllegalArgumentException("KlStats.of: n = " + n + " rows with arrays of " + logProb.length
                    + " and " + oldLogProb.length + " entries; need 1 <= n <= both lengths");
        }
        double k1 = 0.0;
        double k3 = 0.0;
        int clipped = 0;
        for (int i = 0; i < n; i++) {
            double logRatio = logProb[i] - oldLogProb[i];
            double r = ratio(logProb[i], oldLogProb[i]);
            k1 += -logRatio;
            k3 += (r - 1.0) - logRatio;
            if (Math.abs(r - 1.0) > clip) {
                clipped++;
            }
        }
        out[0] = k1 / n;
        out[1] = k3 / n;
        out[2] = (double) clipped / n;
    }

    /** The statistics of a minibatch given the current network's outputs on it. */
    public static KlStats of(Minibatch mb, HeadOutputs out, double clip) {
        int n = TermChecks.rows("KlStats", mb);
        double k1 = 0.0;
        double k3 = 0.0;
        int clipped = 0;
        for (int i = 0; i < n; i++) {
            double logProb = out.logProb(i);
            double oldLogProb = mb.oldLogProb(i);
            double logRatio = logProb - oldLogProb;
            double r = ratio(logProb, oldLogProb);
            k1 += -logRatio;
            k3 += (r - 1.0) - logRatio;
            if (Math.abs(r - 1.0) > clip) {
                clipped++;
            }
        }
        return new KlStats(k1 / n, k3 / n, (double) clipped / n);
    }
}
