package dev.proxima.core.dist;

import dev.proxima.core.space.Box;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A tanh-squashed diagonal Gaussian for a bounded {@link Box}: {@code u ~ N(μ, σ²)} per dimension (means from the
 * policy output, state-independent {@code log_std} parameters as in {@link DiagGaussianHead}), and the env receives
 * {@code a = low + (tanh(u) + 1)·(high - low)/2}, always inside the box (SAC's squashing, Haarnoja et al. 2018,
 * arXiv:1801.01290 appendix C; for PPO, SB3's {@code squash_output}).
 *
 * <p><b>What is stored.</b> The rollout stores the pre-squash sample {@code u} (rounded to float32), and
 * {@link #envActions} squashes it on the way to the env. Storing {@code u} rather than {@code a} avoids
 * {@code atanh} of an action that float32 rounding has put on {@code ±1} (an infinite {@code u}).
 *
 * <p><b>Log-probability.</b> The density of the env action, by the change of variables {@code a = g(u)}:
 * <pre>log π(a) = Σ_j [ log N(u_j; μ_j, σ_j) − log(1 − tanh² u_j) − log((high_j − low_j)/2) ]</pre>
 * with {@code log(1 − tanh² u) = 2·(log 2 − u − softplus(−2u))}, exact and finite for every {@code u} (the naive form
 * gives {@code log 0 = −inf} once {@code tanh u} rounds to 1, from {@code |u| ≈ 19}). Because {@code u} is stored, the
 * correction terms do not depend on the parameters: gradients equal {@link DiagGaussianHead}'s, and they cancel in the
 * PPO ratio. They matter for the reported log-probabilities and for KL estimates against other distributions.
 *
 * <p><b>Entropy.</b> The squashed distribution has no closed-form entropy. This head reports the entropy of the
 * pre-squash Gaussian, {@code Σ_j (1/2 + 1/2·log 2π + log σ_j)} (an upper bound on the entropy of {@code tanh(u)}):
 * it is exact and deterministic, its gradient ({@code ∂H/∂log σ = 1}) pushes against a collapsing σ exactly as the
 * entropy bonus does for the clipped Gaussian, and the logged {@code losses/entropy} stays comparable with
 * {@code clip}. The one-sample estimate {@code −log π(a)} (SB3's choice when a distribution has no entropy) is
 * noisy, and for a stored action its gradient {@code −∇θ log π(a)} has expectation zero, so as a bonus it adds noise
 * only.
 *
 * <p>{@code log_std} goes through the head's {@link LogStdBound} as in {@link DiagGaussianHead}. The deterministic
 * action ({@link #mode}) is {@code u = μ}, i.e. {@code a = g(μ)}, the usual choice (the exact mode of the squashed
 * density is shifted towards the bounds by the Jacobian). Stateless and thread-safe; allocates nothing per call.
 */
public final class TanhGaussianHead implements PolicyHead {

    private static final double LOG_2 = Math.log(2.0);

    private final Box box;
    private final int d;
    private final LogStdBound bound;
    private final double[] low;
    private final double[] halfRange;
    /** {@code Σ_j log((high_j − low_j)/2)}: the constant part of the Jacobian. */
    private final double logHalfRangeSum;

    /** With unbounded {@code log_std}. */
    public TanhGaussianHead(Box box) {
        this(box, LogStdBound.NONE);
    }

    /**
     * @param box   the bounded action box; every entry needs finite {@code low < high}
     * @param bound how the raw {@code log_std} parameters become log standard deviations
     */
    public TanhGaussianHead(Box box, LogStdBound bound) {
        Objects.requireNonNull(box, "TanhGaussianHead: box");
        this.bound = Objects.requireNonNull(bound, "TanhGaussianHead: bound");
        this.box = box;
        this.d = box.flatDim();
        this.low = new double[d];
        this.halfRange = new double[d];
        double sum = 0.0;
        for (int j = 0; j < d; j++) {
            double lo = box.low(j);
            double hi = box.high(j);
            if (!(Double.isFinite(lo) && Double.isFinite(hi) && lo < hi)) {
                throw new IllegalArgumentException("TanhGaussianHead: the action space " + box + " has entry " + j
                        + " in [" + lo + ", " + hi + "]; squashing needs finite low < high in every entry. Use"
                        + " ContinuousActions.CLIP (clip for the env) for unbounded or degenerate boxes.");
            }
            low[j] = lo;
            halfRange[j] = (hi - lo) * 0.5;
            sum += Math.log(halfRange[j]);
        }
        this.logHalfRangeSum = sum;
    }

    /** The action box the env sees. */
    public Box box() {
        return box;
    }

    /** The bound on {@code log_std}. */
    public LogStdBound logStdBound() {
        return bound;
    }

    @Override
    public int policyDim() {
        return d;
    }

    /** {@code d}: the pre-squash sample {@code u}. */
    @Override
    public int actionDim() {
        return d;
    }

    @Override
    public int logStdDim() {
        return d;
    }

    /**
     * {@code log(1 − tanh² u) = 2·(log 2 − u − softplus(−2u))}, the log-derivative of {@code tanh}, finite for every
     * finite {@code u}: Spinning Up's SAC form ({@code spinup/algos/pytorch/sac/core.py}, "a numerically-stable
     * equivalent to Eq 21" of the SAC paper). Exact, since {@code 1 − tanh² u = 4/(e^u + e^−u)²}; unlike adding
     * {@code 1e-6} inside the log (CleanRL's and SB3's SAC), which biases it where tanh saturates.
     */
    public static double logOneMinusTanhSquared(double u) {
        double x = -2.0 * u;
        double softplus = Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)));
        return 2.0 * (LOG_2 - u - softplus);
    }

    /** {@code a = low + (tanh(u) + 1)·(high − low)/2} per dimension, rounded to float32 and kept inside the box. */
    @Override
    public void envActions(float[] actions, int n, float[] out, int outOffset) {
        HeadChecks.rows("TanhGaussianHead.envActions", n);
        HeadChecks.length("TanhGaussianHead.envActions", "actions", actions, n, d);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                float a = (float) (low[j] + (Math.tanh(actions[i * d + j]) + 1.0) * halfRange[j]);
                // float32 rounding may step one ulp outside; NaN stays NaN so the env's checks still see it
                out[outOffset + i * d + j] = Math.min(Math.max(a, box.low(j)), box.high(j));
            }
        }
    }

    /** {@code u = μ + σ·z}, {@code z = rngs[i].nextGaussian()}, {@code d} draws per row in dimension order. */
    @Override
    public void sample(double[] policyOut, double[] logStd, int n, RandomGenerator[] rngs, float[] actionsOut,
            double[] logProbOut) {
        String where = "TanhGaussianHead.sample";
        HeadChecks.rows(where, n);
        HeadChecks.length(where, "policyOut", policyOut, n, d);
        GaussianMath.checkLogStd(where, logStd, d);
        HeadChecks.length(where, "actionsOut", actionsOut, n, d);
        HeadChecks.length(where, "logProbOut", logProbOut, n, 1);
        HeadChecks.rngs(where, rngs, n);
        for (int i = 0; i < n; i++) {
            int off = i * d;
            double logP = -logHalfRangeSum;
            for (int j = 0; j < d; j++) {
                double mean = policyOut[off + j];
                double ls = bound.apply(logStd[j]);
                float u = (float) (mean + Math.exp(ls) * rngs[i].nextGaussian());
                actionsOut[off + j] = u;
                logP += GaussianMath.logDensity(u, mean, ls) - logOneMinusTanhSquared(u);
            }
            logProbOut[i] = logP; // of the rounded u, so the first epoch's ratio is exactly 1
        }
    }

    /** {@code u = μ} (rounded to float32); the env receives {@code g(μ)}. */
    @Override
    public void mode(double[] policyOut, double[] logStd, int n, float[] actionsOut) {
        String where = "TanhGaussianHead.mode";
        HeadChecks.rows(where, n);
        HeadChecks.length(where, "policyOut", policyOut, n, d);
        HeadChecks.length(where, "actionsOut", actionsOut, n, d);
        for (int k = 0; k < n * d; k++) {
            actionsOut[k] = (float) policyOut[k];
        }
    }

    /** {@code log π(a)} of the env action {@code a = g(u)} for stored {@code u}, and the pre-squash entropy. */
    @Override
    public void logProbAndEntropy(double[] policyOut, double[] logStd, float[] actions, int n, double[] logProbOut,
            double[] entropyOut) {
        String where = "TanhGaussianHead.logProbAndEntropy";
        HeadChecks.rows(where, n);
        HeadChecks.length(where, "policyOut", policyOut, n, d);
        GaussianMath.checkLogStd(where, logStd, d);
        HeadChecks.length(where, "actions", actions, n, d);
        HeadChecks.length(where, "logProbOut", logProbOut, n, 1);
        HeadChecks.length(where, "entropyOut", entropyOut, n, 1);
        double h = GaussianMath.entropy(logStd, d, bound);
        for (int i = 0; i < n; i++) {
            int off = i * d;
            double logP = -logHalfRangeSum;
            for (int j = 0; j < d; j++) {
                double u = actions[off + j];
                logP += GaussianMath.logDensity(u, policyOut[off + j], bound.apply(logStd[j]))
                        - logOneMinusTanhSquared(u);
            }
            logProbOut[i] = logP;
            entropyOut[i] = h;
        }
    }

    /**
     * The squashing terms are constant in the parameters (u is data), so per dimension, with {@code z² = (u-μ)²/σ²}:
     * {@code ∂log π/∂μ = (u-μ)/σ²}, {@code ∂log π/∂log σ = z² - 1}, {@code ∂H/∂log σ = 1}, then times the bound's
     * derivative at the raw parameter; the log-std gradient is summed over rows.
     */
    @Override
    public void backward(double[] policyOut, double[] logStd, float[] actions, int n, double[] dLogProb,
            double[] dEntropy, double[] dPolicyOut, double[] dLogStd) {
        String where = "TanhGaussianHead.backward";
        HeadChecks.rows(where, n);
        HeadChecks.length(where, "policyOut", policyOut, n, d);
        GaussianMath.checkLogStd(where, logStd, d);
        HeadChecks.length(where, "actions", actions, n, d);
        HeadChecks.optionalLength(where, "dLogProb", dLogProb, n);
        HeadChecks.optionalLength(where, "dEntropy", dEntropy, n);
        HeadChecks.length(where, "dPolicyOut", dPolicyOut, n, d);
        HeadChecks.perDimension(where, "dLogStd", dLogStd, d);
        GaussianMath.backward(policyOut, logStd, actions, null, n, d, bound, dLogProb, dEntropy, dPolicyOut, dLogStd);
    }

    @Override
    public String toString() {
        return "TanhGaussianHead(" + box + (bound.kind() == LogStdBound.Kind.NONE ? "" : ", logStd " + bound) + ")";
    }
}
