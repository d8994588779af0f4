package dev.proxima.core.dist;

import java.util.random.RandomGenerator;

/**
 * Rows of independent categoricals over consecutive logit blocks of sizes {@code nvec}: the four head methods of
 * {@link CategoricalHead} (one block) and {@link MultiDiscreteHead} (one block per component), with optional masks
 * laid out like the logits. Per row, the log-probability and the entropy are summed over the blocks; a row's action is
 * one index per block. The math of one block is {@link CategoricalMath}.
 */
final class Categoricals {

    private final String name;
    private final int[] nvec;
    private final int total;

    /** @param name the head's name, for messages; errors name the component only when there are several */
    Categoricals(String name, int[] nvec, int total) {
        this.name = name;
        this.nvec = nvec;
        this.total = total;
    }

    private int comp(int c) {
        return nvec.length == 1 ? -1 : c;
    }

    void checks(String method, double[] policyOut, boolean[] mask, float[] actions, String actionsName, int rows) {
        HeadChecks.rows(method, rows);
        HeadChecks.length(method, "policyOut", policyOut, rows, total);
        HeadChecks.optionalMask(method, mask, rows, total);
        HeadChecks.length(method, actionsName, actions, rows, nvec.length);
    }

    /** Each block by inverse CDF over its valid values, one {@code nextDouble()} per block in order. */
    void sample(String method, double[] policyOut, boolean[] mask, int rows, RandomGenerator[] rngs,
            float[] actionsOut, double[] logProbOut) {
        checks(method, policyOut, mask, actionsOut, "actionsOut", rows);
        HeadChecks.length(method, "logProbOut", logProbOut, rows, 1);
        HeadChecks.rngs(method, rngs, rows);
        for (int i = 0; i < rows; i++) {
            int off = i * total;
            double logP = 0.0;
            for (int c = 0; c < nvec.length; c++) {
                int n = nvec[c];
                double max = CategoricalMath.max(policyOut, off, n, mask, off, name, i, comp(c));
                double sum = CategoricalMath.sumExp(policyOut, off, n, mask, off, max);
                int a = CategoricalMath.sample(policyOut, off, n, mask, off, max, sum, rngs[i].nextDouble());
                actionsOut[i * nvec.length + c] = a;
                logP += (policyOut[off + a] - max) - Math.log(sum);
                off += n;
            }
            logProbOut[i] = logP;
        }
    }

    /** Each block's first largest valid logit. */
    void mode(String method, double[] policyOut, boolean[] mask, int rows, float[] actionsOut) {
        checks(method, policyOut, mask, actionsOut, "actionsOut", rows);
        for (int i = 0; i < rows; i++) {
            int off = i * total;
            for (int c = 0; c < nvec.length; c++) {
                CategoricalMath.max(policyOut, off, nvec[c], mask, off, name, i, comp(c));
                actionsOut[i * nvec.length + c] = CategoricalMath.argmax(policyOut, off, nvec[c], mask, off);
                off += nvec[c];
            }
        }
    }

    /** {@code Σ_c log π_c(a_c)} and {@code Σ_c H_c}. {@code where} is the method's short name for messages. */
    void logProbAndEntropy(String method, String where, double[] policyOut, boolean[] mask, float[] actions, int rows,
            double[] logProbOut, double[] entropyOut) {
        checks(method, policyOut, mask, actions, "actions", rows);
        HeadChecks.length(method, "logProbOut", logProbOut, rows, 1);
        HeadChecks.length(method, "entropyOut", entropyOut, rows, 1);
        for (int i = 0; i < rows; i++) {
            int off = i * total;
            double logP = 0.0;
            double h = 0.0;
            for (int c = 0; c < nvec.length; c++) {
                int n = nvec[c];
                double max = CategoricalMath.max(policyOut, off, n, mask, off, name, i, comp(c));
                int a = CategoricalMath.action(actions[i * nvec.length + c], n, mask, off, name, where, i, comp(c));
                double logSum = Math.log(CategoricalMath.sumExp(policyOut, off, n, mask, off, max));
                logP += (policyOut[off + a] - max) - logSum;
                h += CategoricalMath.entropy(policyOut, off, n, mask, off, max, logSum);
                off += n;
            }
            logProbOut[i] = logP;
            entropyOut[i] = h;
        }
    }

    /** The sums split the gradient: each block gets its own categorical gradient with the row's weights. */
    void backward(String method, String where, double[] policyOut, boolean[] mask, float[] actions, int rows,
            double[] dLogProb, double[] dEntropy, double[] dPolicyOut) {
        checks(method, policyOut, mask, actions, "actions", rows);
        HeadChecks.optionalLength(method, "dLogProb", dLogProb, rows);
        HeadChecks.optionalLength(method, "dEntropy", dEntropy, rows);
        HeadChecks.length(method, "dPolicyOut", dPolicyOut, rows, total);
        for (int i = 0; i < rows; i++) {
            int off = i * total;
            double gLogProb = dLogProb == null ? 0.0 : dLogProb[i];
            double gEntropy = dEntropy == null ? 0.0 : dEntropy[i];
            for (int c = 0; c < nvec.length; c++) {
                int n = nvec[c];
                double max = CategoricalMath.max(policyOut, off, n, mask, off, name, i, comp(c));
                int a = CategoricalMath.action(actions[i * nvec.length + c], n, mask, off, name, where, i, comp(c));
                double logSum = Math.log(CategoricalMath.sumExp(policyOut, off, n, mask, off, max));
                CategoricalMath.backward(policyOut, off, n, mask, off, a, gLogProb, gEntropy, max, logSum,
                        dPolicyOut, off);
                off += n;
            }
        }
    }
}
