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
     * The sum of squares is taken in this many consecutive blocks of the vector, combined in a fixed order, so that
     * threads can each sum the blocks of the range they update (see {@link Adam#useThreads}) and the norm is the
     * same bits on any number of threads. Block {@code b} is {@code [blockStart(n, b), blockStart(n, b + 1))}.
     */
    public static final int BLOCKS = 8;

    /**
     * {@code sqrt(sum g²)} over the first {@code n} entries: NaN or infinite if an entry is. An overflowing sum of
     * finite entries (|g| around 1e154) is recomputed with scaling, so a finite gradient always has a finite norm.
     * Rounding differs from torch's, which takes the norm of the per-tensor norms; both are within a few ulps of
     * the exact norm.
     */
    public static double globalNorm(double[] g, int n) {
        double[] sums = new double[BLOCKS];
        sumBlocks(g, n, 0, BLOCKS, sums);
        return normOfBlocks(sums, g, n);
    }

    /** The sums of squares of blocks {@code [from, to)} of {@code g}'s first {@code n} entries, into {@code sums}. */
    static void sumBlocks(double[] g, int n, int from, int to, double[] sums) {
        for (int b = from; b < to; b++) {
            sums[b] = sumOfSquares(g, blockStart(n, b), blockStart(n, b + 1));
        }
    }

    /** First index of block {@code b} (0 ≤ b ≤ {@link #BLOCKS}) of a vector of {@code n} entries. */
    static int blockStart(int n, int b) {
        return (int) ((long) n * b / BLOCKS);
    }

    /** {@code sum g[i]²} over {@code [from, to)}, as one block of {@link #globalNorm}. */
    static double sumOfSquares(double[] g, int from, int to) {
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
        int i = from;
        for (; i + 7 < to; i += 8) {
            s0 += g[i] * g[i];
            s1 += g[i + 1] * g[i + 1];
            s2 += g[i + 2] * g[i + 2];
            s3 += g[i + 3] * g[i + 3];
            s4 += g[i + 4] * g[i + 4];
            s5 += g[i + 5] * g[i + 5];
            s6 += g[i + 6] * g[i + 6];
            s7 += g[i + 7] * g[i + 7];
        }
        for (; i < to; i++) {
            s0 += g[i] * g[i];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /** The norm from the {@link #BLOCKS} block sums of {@code g}'s first {@code n} entries (rescaled on overflow). */
    static double normOfBlocks(double[] sums, double[] g, int n) {
        double sum = ((sums[0] + sums[1]) + (sums[2] + sums[3])) + ((sums[4] + sums[5]) + (sums[6] + sums[7]));
        if (sum < Double.POSITIVE_INFINITY) {
            return Math.sqrt(sum);
        }
        if (Double.isNaN(sum)) {
            return Double.NaN;
        }
        double max = 0;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, Math.abs(g[i]));
        }
        if (max == Double.POSITIVE_INFINITY || Double.isNaN(max)) {
            return max;
        }
        double scaled = 0;
        for (int i = 0; i < n; i++) {
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
