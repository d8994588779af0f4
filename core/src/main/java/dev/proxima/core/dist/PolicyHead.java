package dev.proxima.core.dist;

import java.util.random.RandomGenerator;

/**
 * An action distribution over the network's policy output: categorical over logits, or diagonal Gaussian over means
 * with state-independent {@code log_std}. Works on {@code n} rows at once; actions are stored as floats,
 * {@link #actionDim()} per row (a categorical action is its index). All math is float64.
 */
public interface PolicyHead {

    /** Policy outputs per row this head reads (number of actions, or action dimensions). */
    int policyDim();

    /** Floats per stored action (1 for categorical, D for Gaussian). */
    int actionDim();

    /** Number of log-std parameters the head reads (D for Gaussian, 0 for categorical). */
    int logStdDim();

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
}
