package dev.proxima.core.dist;

import java.util.random.RandomGenerator;

/**
 * An action distribution over the network's policy output: categorical over logits, or diagonal Gaussian over means
 * with state-independent {@code log_std}. Works on {@code n} rows at once; actions are stored as floats,
 * {@link #actionDim()} per row (a categorical action is its index). All math is float64.
 *
 * <h2>Action masks</h2>
 * A head with {@link #maskDim()} {@code > 0} (categorical: {@code n}; MultiDiscrete: {@code Σ nvec}) also takes an
 * action mask: {@code maskDim()} booleans per row, row {@code i} at {@code mask[i*maskDim() ..]}, {@code true} for a
 * valid action, laid out like the row's logits. Invalid actions are excluded from the distribution: never sampled,
 * never the mode, no share of the entropy, and their logits get a gradient of exactly 0 (their values are not even
 * read, so a NaN there is harmless). The mask is an input of all four methods, so the update must pass the mask the
 * action was sampled with to get the same distribution (and the ratio {@code π_θ/π_old} on the same support). A row
 * (or a MultiDiscrete component) with no valid action is an error naming the row. The overloads without a mask, or
 * with a {@code null} mask, are the unmasked head. Heads without masks ({@code maskDim() == 0}) reject a non-null
 * mask.
 *
 * <h2>Env actions</h2>
 * What the env receives is {@link #envActions} of the stored action: the identity except for
 * {@link TanhGaussianHead}, which stores the pre-squash Gaussian sample and squashes it into the box for the env.
 */
public interface PolicyHead {

    /** Policy outputs per row this head reads (number of actions, or action dimensions). */
    int policyDim();

    /** Floats per stored action (1 for categorical, D for Gaussian). */
    int actionDim();

    /** Number of log-std parameters the head reads (D for Gaussian, 0 for categorical). */
    int logStdDim();

    /** Mask entries per row: 0 when the head takes no action mask. */
    default int maskDim() {
        return 0;
    }

    /**
     * Samples one action per row; row {@code i} draws only from {@code rngs[i]} so results do not depend on how rows
     * are split between workers. Writes the actions and their log-probabilities.
     */
    void sample(double[] policyOut, double[] logStd, int n, RandomGenerator[] rngs, float[] actionsOut,
            double[] logProbOut);

    /** The most likely action per row (argmax, or the mean) for deterministic evaluation. */
    void mode(double[] policyOut, double[] logStd, int n, float[] actionsOut);

    /** Log-probability of the given actions and the entropy of each row's distribution. */
    void logProbAndEntropy(double[] policyOut, double[] logStd, float[] actions, int n, double[] logProbOut,
            double[] entropyOut);

    /**
     * Chain rule from per-row gradients of the loss with respect to log-probability and entropy to the policy output
     * ({@code dPolicyOut}, overwritten) and to {@code log_std} ({@code dLogStd}, overwritten; summed over rows).
     */
    void backward(double[] policyOut, double[] logStd, float[] actions, int n, double[] dLogProb, double[] dEntropy,
            double[] dPolicyOut, double[] dLogStd);

    /** {@link #sample(double[], double[], int, RandomGenerator[], float[], double[]) sample} over the valid actions. */
    default void sample(double[] policyOut, double[] logStd, boolean[] mask, int n, RandomGenerator[] rngs,
            float[] actionsOut, double[] logProbOut) {
        noMask(mask, "sample");
        sample(policyOut, logStd, n, rngs, actionsOut, logProbOut);
    }

    /** {@link #mode(double[], double[], int, float[]) mode} over the valid actions. */
    default void mode(double[] policyOut, double[] logStd, boolean[] mask, int n, float[] actionsOut) {
        noMask(mask, "mode");
        mode(policyOut, logStd, n, actionsOut);
    }

    /**
     * {@link #logProbAndEntropy(double[], double[], float[], int, double[], double[]) logProbAndEntropy} of the
     * distribution restricted to the valid actions.
     */
    default void logProbAndEntropy(double[] policyOut, double[] logStd, boolean[] mask, float[] actions, int n,
            double[] logProbOut, double[] entropyOut) {
        noMask(mask, "logProbAndEntropy");
        logProbAndEntropy(policyOut, logStd, actions, n, logProbOut, entropyOut);
    }

    /**
     * {@link #backward(double[], double[], float[], int, double[], double[], double[], double[]) backward} of the
     * distribution restricted to the valid actions; invalid logits get gradient 0.
     */
    default void backward(double[] policyOut, double[] logStd, boolean[] mask, float[] actions, int n,
            double[] dLogProb, double[] dEntropy, double[] dPolicyOut, double[] dLogStd) {
        noMask(mask, "backward");
        backward(policyOut, logStd, actions, n, dLogProb, dEntropy, dPolicyOut, dLogStd);
    }

    /**
     * Writes the actions the environment receives for {@code n} stored actions: {@code n * actionDim()} floats from
     * {@code out[outOffset]}. The identity by default (clipping for a bounded box is the caller's, as CleanRL's
     * {@code ClipAction}); {@link TanhGaussianHead} squashes into its box.
     */
    default void envActions(float[] actions, int n, float[] out, int outOffset) {
        System.arraycopy(actions, 0, out, outOffset, n * actionDim());
    }

    private void noMask(boolean[] mask, String method) {
        if (mask != null) {
            throw new IllegalArgumentException(this + "." + method + ": got an action mask, but this head takes none"
                    + " (maskDim() = 0). Masks apply to Discrete and MultiDiscrete action spaces; pass null.");
        }
    }
}
