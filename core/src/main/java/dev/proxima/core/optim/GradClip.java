package dev.proxima.core.optim;

/**
 * Global gradient-norm clipping as {@code torch.nn.utils.clip_grad_norm_}, which CleanRL applies before every Adam
 * step ({@code max_grad_norm = 0.5}); one of the PPO implementation details (Engstrom et al. 2020,
 * arXiv:2005.12729, "gradient clipping"). The norm spans every parameter tensor at once.
 */
public final class GradClip {

    /** torch adds this to the norm before dividing, so a zero gradient gives a finite coefficient. */
    public static final double EPS = 1e-6;

    private GradClip() {}

    /**
     * {@code sqrt(sum g²)} over the first {@code n} entries: NaN or infinite if an entry is. An overflowing sum of
     * finite entries (|g| around 1e154) is recomputed with scaling, so a finite gradient always has a finite norm.
     */
    public static double globalNorm(double[] g, int n) {
        // Eight partial sums: one running sum would wait out the adder's latency on every element (C2 keeps the
        // order of floating-point additions, so it neither reorders nor vectorises this loop itself).
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        double s4 = 0;
        double s5 = 0;
        double s6 = 0;
        double s7 = 0;
        int i = 0;
        for (; i + 7 < n; i += 8) {
            s0 += g[i] * g[i];
            s1 += g[i + 1] * g[i + 1];
            s2 += g[i + 2] * g[i + 2];
            s3 += g[i + 3] * g[i + 3];
            s4 += g[i + 4] * g[i + 4];
            s5 += g[i + 5] * g[i + 5];
            s6 += g[i + 6] * g[i + 6];
            s7 += g[i + 7] * g[i + 7];
        }
        for (; i < n; i++) {
            s0 += g[i] * g[i];
        }
        double sum = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
        if (sum < Double.POSITIVE_INFINITY) {
            return Math.sqrt(sum);
        }
        if (Double.isNaN(sum)) {
            return Double.NaN;
        }
        double max = 0;
        for (i = 0; i < n; i++) {
            max = Math.max(max, Math.abs(g[i]));
        }
        if (max == Double.POSITIVE_INFINITY || Double.isNaN(max)) {
            return max;
        }
        double scaled = 0;
        for (i = 0; i < n; i++) {
            double x = g[i] / max;
            scaled += x * x;
        }
        return max * Math.sqrt(scaled);
    }

    /** {@code min(maxNorm / (totalNorm + 1e-6), 1)}: the factor {@code clip_grad_norm_} multiplies gradients by. */
    public static double clipCoef(double totalNorm, double maxNorm) {
        return Math.min(maxNorm / (totalNorm + EPS), 1.0);
    }
}
