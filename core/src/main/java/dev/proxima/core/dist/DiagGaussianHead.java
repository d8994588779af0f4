package dev.proxima.core.dist;

import java.util.random.RandomGenerator;

/**
 * A diagonal Gaussian over {@code R^d} with state-dependent means (the policy output) and state-independent
 * {@code log_std} parameters, as the {@code actor_logstd} of CleanRL's {@code ppo_continuous_action.py}
 * ({@code Normal(mean, exp(log_std))} with log-probabilities and entropies summed over dimensions).
 *
 * <p>Per dimension, with {@code σ = exp(log_std)}: {@code log p(a) = -(a-μ)²/(2σ²) - log_std - log √(2π)} and
 * {@code H = 1/2 + 1/2·log 2π + log_std}, written as {@code torch.distributions.Normal} writes them.
 *
 * <p>Actions are unbounded: for a bounded {@code Box} the environment side clips the action (CleanRL wraps the env in
 * {@code ClipAction}) while the rollout keeps the unclipped sample, whose log-probability is the one stored. Sampled
 * actions are rounded to float32 for storage, and {@link #sample} returns the log-probability <em>of the rounded
 * action</em> so that the first epoch's ratio is exactly 1. Stateless and thread-safe; allocates nothing per call.
 *
 * <p><b>Bounded log_std.</b> With a {@link LogStdBound} other than {@code none}, {@code logStd} holds the raw
 * parameters and every method uses {@code bound.apply(raw)} as the log standard deviation; {@code backward} returns
 * the gradient with respect to the raw parameters ({@code bound.derivative(raw)} times that of the log-std).
 *
 * <p>Besides the {@link PolicyHead} methods over {@code float[]} actions, {@link #logProbAndEntropy(double[],
 * double[], double[], int, double[], double[]) logProbAndEntropy} and {@link #backward(double[], double[], double[],
 * int, double[], double[], double[], double[]) backward} accept {@code double[]} actions, for callers that keep
 * actions in float64 (and for exact comparison with float64 references).
 */
public final class DiagGaussianHead implements PolicyHead {

    private final int d;
    private final LogStdBound bound;

    /** @param d number of action dimensions, at least 1 */
    public DiagGaussianHead(int d) {
        this(d, LogStdBound.NONE);
    }

    /**
     * @param d     number of action dimensions, at least 1
     * @param bound how the raw {@code log_std} parameters become log standard deviations
     */
    public DiagGaussianHead(int d, LogStdBound bound) {
        if (d < 1) {
            throw new IllegalArgumentException("DiagGaussianHead: d = " + d
                    + " action dimensions; need at least 1 (use the flatDim of the Box action space)");
        }
        this.d = d;
        this.bound = java.util.Objects.requireNonNull(bound, "DiagGaussianHead: bound");
    }

    /** The bound on {@code log_std}. */
    public LogStdBound logStdBound() {
        return bound;
    }

    @Override
    public int policyDim() {
        return d;
    }

    @Override
    public int actionDim() {
        return d;
    }

    @Override
    public int logStdDim() {
        return d;
    }

    /** {@code a = μ + σ·z} with {@code z = rngs[i].nextGaussian()}, {@code d} draws per row in dimension order. */
    @Override
    public void sample(double[] policyOut, double[] logStd, int n, RandomGenerator[] rngs, float[] actionsOut,
            double[] logProbOut) {
        String where = "DiagGaussianHead.sample";
        HeadChecks.rows(where, n);
        HeadChecks.length(where, "policyOut", policyOut, n, d);
        GaussianMath.checkLogStd(where, logStd, d);
        HeadChecks.length(where, "actionsOut", actionsOut, n, d);
        HeadChecks.length(where, "logProbOut", logProbOut, n, 1);
        if (rngs == null || rngs.length < n) {
            throw new IllegalArgumentException(where + ": need one RandomGenerator per row (n = " + n + "), got "
                    + (rngs == null ? "null" : rngs.length));
        }
        for (int i = 0; i < n; i++) {
            int off = i * d;
            double logP = 0.0;
            for (int j = 0; j < d; j++) {
                double mean = policyOut[off + j];
                double ls = bound.apply(logStd[j]);
                double sigma = Math.exp(ls);
                float action = (float) (mean + sigma * rngs[i].nextGaussian());
                actionsOut[off + j] = action;
                logP += GaussianMath.logDensity(action, mean, ls);
            }
            logProbOut[i] = logP;
        }
    }

    /** The mean, rounded to float32. */
    @Override
    public void mode(double[] policyOut, double[] logStd, int n, float[] actionsOut) {
        String where = "DiagGaussianHead.mode";
        HeadChecks.rows(where, n);
        HeadChecks.length(where, "policyOut", policyOut, n, d);
        HeadChecks.length(where, "actionsOut", actionsOut, n, d);
        for (int k = 0; k < n * d; k++) {
            actionsOut[k] = (float) policyOut[k];
        }
    }

    @Override
    public void logProbAndEntropy(double[] policyOut, double[] logStd, float[] actions, int n, double[] logProbOut,
            double[] entropyOut) {
        String where = "DiagGaussianHead.logProbAndEntropy";
        HeadChecks.length(where, "actions", actions, n, d);
        checkForward(where, policyOut, logStd, n, logProbOut, entropyOut);
        double h = GaussianMath.entropy(logStd, d, bound);
        for (int i = 0; i < n; i++) {
            int off = i * d;
            double logP = 0.0;
            for (int j = 0; j < d; j++) {
                logP += GaussianMath.logDensity(actions[off + j], policyOut[off + j], bound.apply(logStd[j]));
            }
            logProbOut[i] = logP;
            entropyOut[i] = h;
        }
    }

    /** As {@link #logProbAndEntropy(double[], double[], float[], int, double[], double[])} with float64 actions. */
    public void logProbAndEntropy(double[] policyOut, double[] logStd, double[] actions, int n, double[] logProbOut,
            double[] entropyOut) {
        String where = "DiagGaussianHead.logProbAndEntropy";
        HeadChecks.length(where, "actions", actions, n, d);
        checkForward(where, policyOut, logStd, n, logProbOut, entropyOut);
        double h = GaussianMath.entropy(logStd, d, bound);
        for (int i = 0; i < n; i++) {
            int off = i * d;
            double logP = 0.0;
            for (int j = 0; j < d; j++) {
                logP += GaussianMath.logDensity(actions[off + j], policyOut[off + j], bound.apply(logStd[j]));
            }
            logProbOut[i] = logP;
            entropyOut[i] = h;
        }
    }

    /**
     * Per dimension, with {@code z² = (a-μ)²/σ²}: {@code ∂log p/∂μ = (a-μ)/σ²}, {@code ∂log p/∂log_std = z² - 1},
     * {@code ∂H/∂μ = 0}, {@code ∂H/∂log_std = 1}; the log-std gradient is summed over rows, then multiplied by the
     * bound's derivative at the raw parameter. {@code dLogProb} or {@code dEntropy} may be {@code null} (all zero).
     */
    @Override
    public void backward(double[] policyOut, double[] logStd, float[] actions, int n, double[] dLogProb,
            double[] dEntropy, double[] dPolicyOut, double[] dLogStd) {
        String where = "DiagGaussianHead.backward";
        HeadChecks.length(where, "actions", actions, n, d);
        checkBackward(where, policyOut, logStd, n, dLogProb, dEntropy, dPolicyOut, dLogStd);
        GaussianMath.backward(policyOut, logStd, actions, null, n, d, bound, dLogProb, dEntropy, dPolicyOut, dLogStd);
    }

    /** As {@link #backward(double[], double[], float[], int, double[], double[], double[], double[])} with float64 actions. */
    public void backward(double[] policyOut, double[] logStd, double[] actions, int n, double[] dLogProb,
            double[] dEntropy, double[] dPolicyOut, double[] dLogStd) {
        String where = "DiagGaussianHead.backward";
        HeadChecks.length(where, "actions", actions, n, d);
        checkBackward(where, policyOut, logStd, n, dLogProb, dEntropy, dPolicyOut, dLogStd);
        GaussianMath.backward(policyOut, logStd, null, actions, n, d, bound, dLogProb, dEntropy, dPolicyOut, dLogStd);
    }

    private void checkForward(String where, double[] policyOut, double[] logStd, int n, double[] logProbOut,
            double[] entropyOut) {
        HeadChecks.rows(where, n);
        HeadChecks.length(where, "policyOut", policyOut, n, d);
        GaussianMath.checkLogStd(where, logStd, d);
        HeadChecks.length(where, "logProbOut", logProbOut, n, 1);
        HeadChecks.length(where, "entropyOut", entropyOut, n, 1);
    }

    private void checkBackward(String where, double[] policyOut, double[] logStd, int n, double[] dLogProb,
            double[] dEntropy, double[] dPolicyOut, double[] dLogStd) {
        HeadChecks.rows(where, n);
        HeadChecks.length(where, "policyOut", policyOut, n, d);
        GaussianMath.checkLogStd(where, logStd, d);
        HeadChecks.optionalLength(where, "dLogProb", dLogProb, n);
        HeadChecks.optionalLength(where, "dEntropy", dEntropy, n);
        HeadChecks.length(where, "dPolicyOut", dPolicyOut, n, d);
        HeadChecks.perDimension(where, "dLogStd", dLogStd, d);
    }

    @Override
    public String toString() {
        return "DiagGaussianHead(d = " + d + (bound.kind() == LogStdBound.Kind.NONE ? "" : ", logStd " + bound) + ")";
    }
}
