package dev.proxima.core.dist;

import java.util.random.RandomGenerator;

/**
 * What {@link CategoricalHead} and {@link MultiDiscreteHead} share: independent categorical distributions over
 * consecutive blocks of logits (one block for a categorical head, one per component for MultiDiscrete), each with its
 * action mask, all computed by {@link Categoricals}. A row's log-probability and entropy are the sums over its blocks;
 * a stored action is one index per block. The unmasked methods are the masked ones with a {@code null} mask.
 */
abstract class CategoricalBlocksHead implements PolicyHead {
    // The methods' names for messages, made once: a call allocates nothing.
    private final String sampleName;
    private final String modeName;
    private final String logProbName;
    private final String backwardName;
    private final int blocks;
    private final int total;
    final Categoricals math;

    CategoricalBlocksHead(String name, int[] nvec, int total) {
        this.sampleName = name + ".sample";
        this.modeName = name + ".mode";
        this.logProbName = name + ".logProbAndEntropy";
        this.backwardName = name + ".backward";
        this.blocks = nvec.length;
        this.total = total;
        this.math = new Categoricals(name, nvec, total);
    }

    /** The logits of all blocks. */
    @Override
    public int policyDim() {
        return total;
    }

    /** One index per block. */
    @Override
    public int actionDim() {
        return blocks;
    }

    @Override
    public int logStdDim() {
        return 0;
    }

    /** One entry per logit, laid out like the logits. */
    @Override
    public int maskDim() {
        return total;
    }

    /**
     * Inverse-CDF sampling with exactly one {@code nextDouble()} per block from {@code rngs[i]}, in block order.
     * {@code logStd} is ignored and may be {@code null}.
     */
    @Override
    public void sample(double[] policyOut, double[] logStd, int rows, RandomGenerator[] rngs, float[] actionsOut,
            double[] logProbOut) {
        sample(policyOut, logStd, null, rows, rngs, actionsOut, logProbOut);
    }

    /** As the unmasked {@code sample}, over the valid values of each row's mask ({@code null}: all valid). */
    @Override
    public void sample(double[] policyOut, double[] logStd, boolean[] mask, int rows, RandomGenerator[] rngs,
            float[] actionsOut, double[] logProbOut) {
        math.sample(sampleName, policyOut, mask, rows, rngs, actionsOut, logProbOut);
    }

    /** Each block's first largest logit (as {@code torch.argmax}). {@code logStd} may be {@code null}. */
    @Override
    public void mode(double[] policyOut, double[] logStd, int rows, float[] actionsOut) {
        mode(policyOut, logStd, null, rows, actionsOut);
    }

    /** Each block's first largest valid logit. */
    @Override
    public void mode(double[] policyOut, double[] logStd, boolean[] mask, int rows, float[] actionsOut) {
        math.mode(modeName, policyOut, mask, rows, actionsOut);
    }

    /** {@code logStd} is ignored and may be {@code null}. */
    @Override
    public void logProbAndEntropy(double[] policyOut, double[] logStd, float[] actions, int rows,
            double[] logProbOut, double[] entropyOut) {
        logProbAndEntropy(policyOut, logStd, null, actions, rows, logProbOut, entropyOut);
    }

    /** {@code Σ_b log π_b(a_b)} and {@code Σ_b H_b}, each block over its valid values. */
    @Override
    public void logProbAndEntropy(double[] policyOut, double[] logStd, boolean[] mask, float[] actions, int rows,
            double[] logProbOut, double[] entropyOut) {
        math.logProbAndEntropy(logProbName, "logProbAndEntropy", policyOut, mask, actions, rows,
                logProbOut, entropyOut);
    }

    /**
     * With {@code p = softmax(l)} per block and {@code H = -Σ p log p}: {@code ∂log p_a/∂l_k = 1[k=a] - p_k} and
     * {@code ∂H/∂l_k = -p_k (log p_k + H)}; the sums over blocks give each block its own part. {@code dLogProb} or
     * {@code dEntropy} may be {@code null} (all zero); {@code logStd} and {@code dLogStd} are ignored (no log-std).
     */
    @Override
    public void backward(double[] policyOut, double[] logStd, float[] actions, int rows, double[] dLogProb,
            double[] dEntropy, double[] dPolicyOut, double[] dLogStd) {
        backward(policyOut, logStd, null, actions, rows, dLogProb, dEntropy, dPolicyOut, dLogStd);
    }

    /** As the unmasked {@code backward} over the valid sets; invalid logits get a gradient of exactly 0. */
    @Override
    public void backward(double[] policyOut, double[] logStd, boolean[] mask, float[] actions, int rows,
            double[] dLogProb, double[] dEntropy, double[] dPolicyOut, double[] dLogStd) {
        math.backward(backwardName, "backward", policyOut, mask, actions, rows, dLogProb, dEntropy,
                dPolicyOut);
    }
}
