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
        // Four partial sums: the dependency chain of one sum would bound the loop at one add per 4 cycles.
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += g[i] * g[i];
            s1 += g[i + 1] * g[i + 1];
            s2 += g[i + 2] * g[i + 2];
            s3 += g[i + 3] * g[i + 3];
        }
        for (; i < n; i++) {
            s0 += g[i] * g[i];
        }
        double sum = (s0 + s1) + (s2 + s3);
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
