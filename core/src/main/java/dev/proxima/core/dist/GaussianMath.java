package dev.proxima.core.dist;

/** Per-dimension Gaussian math shared by {@link DiagGaussianHead} and {@link TanhGaussianHead}. */
final class GaussianMath {

    /** {@code log √(2π)}, the constant of torch's {@code Normal.log_prob}. */
    static final double LOG_SQRT_2PI = Math.log(Math.sqrt(2.0 * Math.PI));
    /** {@code 1/2 + 1/2·log 2π}, the constant of torch's {@code Normal.entropy}. */
    static final double ENTROPY_CONST = 0.5 + 0.5 * Math.log(2.0 * Math.PI);

    private GaussianMath() {}

    /** One dimension of {@code log N(a; μ, σ²)} in torch's {@code Normal.log_prob} form, {@code σ = exp(logStd)}. */
    static double logDensity(double action, double mean, double logStd) {
        double sigma = Math.exp(logStd);
        double var = sigma * sigma;
        double diff = action - mean;
        return -(diff * diff) / (2.0 * var) - logStd - LOG_SQRT_2PI;
    }

    /** Entropy of the diagonal Gaussian: {@code Σ_j (1/2 + 1/2·log 2π + log_std_j)} over the bounded log-stds. */
    static double entropy(double[] rawLogStd, int d, LogStdBound bound) {
        double h = 0.0;
        for (int j = 0; j < d; j++) {
            h += ENTROPY_CONST + bound.apply(rawLogStd[j]);
        }
        return h;
    }

    /** The raw log-std parameters: one per dimension, finite (a bound cannot repair a NaN). */
    static void checkLogStd(String where, double[] logStd, int d) {
        HeadChecks.perDimension(where, "logStd", logStd, d);
        for (int j = 0; j < d; j++) {
            if (!Double.isFinite(logStd[j])) {
                throw new IllegalArgumentException(where + ": log_std[" + j + "] = " + logStd[j]
                        + " is not finite, so σ = exp(log_std) is 0, inf or NaN. The log-std parameters diverged:"
                        + " lower the learning rate, keep maxGradNorm on, or bound log_std (LogStdBound).");
            }
        }
    }

    /**
     * The Gaussian backward pass over stored actions, float32 ({@code actionsF}) or float64 ({@code actionsD}, used
     * when {@code actionsF} is null): per dimension, with {@code z² = (a-μ)²/σ²},
     * {@code ∂log p/∂μ = (a-μ)/σ²}, {@code ∂log p/∂log σ = z² - 1}, {@code ∂H/∂log σ = 1}; the log-std gradient is
     * summed over rows, then multiplied by the bound's derivative at the raw parameter. Arguments are checked.
     */
    static void backward(double[] policyOut, double[] logStd, float[] actionsF, double[] actionsD, int n, int d,
            LogStdBound bound, double[] dLogProb, double[] dEntropy, double[] dPolicyOut, double[] dLogStd) {
        for (int j = 0; j < d; j++) {
            dLogStd[j] = 0.0;
        }
        for (int i = 0; i < n; i++) {
            int off = i * d;
            double gLogProb = dLogProb == null ? 0.0 : dLogProb[i];
            double gEntropy = dEntropy == null ? 0.0 : dEntropy[i];
            for (int j = 0; j < d; j++) {
                double sigma = Math.exp(bound.apply(logStd[j]));
                double var = sigma * sigma;
                double a = actionsF != null ? actionsF[off + j] : actionsD[off + j];
                double diff = a - policyOut[off + j];
                dPolicyOut[off + j] = gLogProb * diff / var;
                dLogStd[j] += gLogProb * (diff * diff / var - 1.0) + gEntropy;
            }
        }
        for (int j = 0; j < d; j++) {
            dLogStd[j] *= bound.derivative(logStd[j]); // chain rule through the bound (exactly 1 for none)
        }
    }
}
