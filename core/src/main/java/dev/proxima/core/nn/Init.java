package dev.proxima.core.nn;

import java.util.SplittableRandom;

/**
 * Parameter initialisation of CleanRL's {@code layer_init}: {@code torch.nn.init.orthogonal_(weight, gain)} and a
 * zero bias (Saxe et al. 2014, arXiv:1312.6120; the PPO implementation-details blog, item "Orthogonal
 * Initialization of Weights and Constant Initialization of biases").
 */
final class Init {

    private Init() {}

    /**
     * A {@code rows × cols} matrix (row-major; torch's {@code weight} of shape {@code [out, in]}) with orthonormal
     * rows or columns, whichever are fewer, times {@code gain}. As {@code orthogonal_}: fill a Gaussian
     * {@code rows × cols} matrix in row-major order, transpose it if {@code rows < cols}, take its reduced QR
     * factorisation, multiply each column of Q by the sign of the matching diagonal entry of R (which makes the
     * result the unique Q with a positive diagonal in R, i.e. Haar-distributed), transpose back and scale.
     * The draws come from {@code rng} only, so values differ from torch's but the distribution is the same.
     */
    static double[] orthogonal(int rows, int cols, double gain, SplittableRandom rng) {
        double[] gaussian = new double[rows * cols];
        for (int k = 0; k < gaussian.length; k++) {
            gaussian[k] = rng.nextGaussian();
        }
        boolean transpose = rows < cols;
        int m = transpose ? cols : rows; // tall: m >= k
        int k = transpose ? rows : cols;
        double[][] a = new double[m][k];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                if (transpose) {
                    a[c][r] = gaussian[r * cols + c];
                } else {
                    a[r][c] = gaussian[r * cols + c];
                }
            }
        }
        double[][] q = householderQ(a, m, k);
        double[] out = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[r * cols + c] = gain * (transpose ? q[c][r] : q[r][c]);
            }
        }
        return out;
    }

    /**
     * The m×k factor Q of the reduced QR factorisation of {@code a} (m ≥ k; overwritten), normalised so that R has
     * a non-negative diagonal. Householder reflections, for their stability.
     */
    private static double[][] householderQ(double[][] a, int m, int k) {
        double[][] v = new double[k][];
        double[] sign = new double[k];
        for (int j = 0; j < k; j++) {
            double norm = 0;
            for (int i = j; i < m; i++) {
                norm += a[i][j] * a[i][j];
            }
            norm = Math.sqrt(norm);
            // Reflect x = a[j:, j] onto alpha·e1 with alpha = -sign(x0)·|x| (no cancellation); then R[j][j] = alpha.
            double alpha = a[j][j] > 0 ? -norm : norm;
            double[] vj = new double[m - j];
            for (int i = j; i < m; i++) {
                vj[i - j] = a[i][j];
            }
            vj[0] -= alpha;
            double vnorm = 0;
            for (double x : vj) {
                vnorm += x * x;
            }
            vnorm = Math.sqrt(vnorm);
            if (vnorm > 0) {
                for (int i = 0; i < vj.length; i++) {
                    vj[i] /= vnorm;
                }
                for (int c = j; c < k; c++) {
                    reflect(a, c, vj, j, m);
                }
            } else {
                vj = null; // column already zero below the diagonal and a[j][j] == 0: nothing to reflect
            }
            v[j] = vj;
            // torch multiplies by sign(R_jj), which is 0 for an exactly zero pivot (probability 0 with Gaussian
            // input); we keep that column instead of zeroing it.
            sign[j] = alpha < 0 ? -1.0 : 1.0;
        }
        // Q = H_0 H_1 ... H_{k-1} applied to the first k columns of the identity.
        double[][] q = new double[m][k];
        for (int j = 0; j < k; j++) {
            q[j][j] = 1.0;
        }
        for (int j = k - 1; j >= 0; j--) {
            double[] vj = v[j];
            if (vj == null) {
                continue;
            }
            for (int c = 0; c < k; c++) {
                reflect(q, c, vj, j, m);
            }
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < k; j++) {
                q[i][j] *= sign[j];
            }
        }
        return q;
    }

    /**
     * Applies the reflection {@code I - 2·v·vᵀ} (unit {@code v}, acting on rows {@code j..m-1}) to column {@code c} of
     * {@code x}. A method of its own so that C2 compiles this small loop rather than the whole factorisation
     * on-stack-replacement: that compilation (about 30 ms) was still queued behind the kernels' warm-up when the
     * network was built, and took the compiler away from the first updates of a fresh JVM (issue 12).
     */
    private static void reflect(double[][] x, int c, double[] v, int j, int m) {
        double s = 0;
        for (int i = j; i < m; i++) {
            s += v[i - j] * x[i][c];
        }
        for (int i = j; i < m; i++) {
            x[i][c] -= 2 * s * v[i - j];
        }
    }
}
