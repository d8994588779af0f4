package dev.proxima.core.dist;

import java.util.random.RandomGenerator;

/**
 * A categorical distribution over actions {@code 0..n-1} given unnormalised logits, as
 * {@code torch.distributions.Categorical(logits=...)} in CleanRL's {@code ppo.py}.
 *
 * <p>{@code log π(k) = (l_k - max l) - log Σ_j exp(l_j - max l)}: subtracting the row maximum first keeps
 * {@code exp} from overflowing for large logits (the {@code large_logits} golden case) and is exactly how
 * {@code torch.log_softmax} evaluates it. The entropy is {@code H = -Σ p_k log p_k}.
 *
 * <p><b>Action masks.</b> A logit of {@code -inf} gives its action probability 0: it is never sampled, never the
 * mode, adds nothing to the entropy, and its gradients are 0 rather than NaN (torch clamps {@code p·log p} to 0 the
 * same way). A masking wrapper can therefore write {@code -inf} into {@code policyOut} before calling this head. A row
 * whose logits are all {@code -inf}, or that holds a NaN or {@code +inf}, is rejected with an exception naming the row.
 *
 * <p>Actions are stored as floats holding the index (exact for any realistic {@code n}). A {@code Discrete(n, start)}
 * action space with {@code start != 0} still uses indices {@code 0..n-1} here; the trainer adds {@code start}
 * before passing the action to the environment. Stateless and thread-safe; allocates nothing per call.
 */
public final class CategoricalHead implements PolicyHead {

    private final int n;

    /** @param n number of actions, at least 1 */
    public CategoricalHead(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("CategoricalHead: n = " + n
                    + " actions; a categorical head needs at least 1 (use the n of the Discrete action space)");
        }
        this.n = n;
    }

    /** Number of actions. */
    public int numActions() {
        return n;
    }

    @Override
    public int policyDim() {
        return n;
    }

    @Override
    public int actionDim() {
        return 1;
    }

    @Override
    public int logStdDim() {
        return 0;
    }

    /**
     * Inverse-CDF sampling with exactly one {@code nextDouble()} per row from {@code rngs[i]}. {@code logStd} is
     * ignored and may be {@code null}.
     */
    @Override
    public void sample(double[] policyOut, double[] logStd, int rows, RandomGenerator[] rngs, float[] actionsOut,
            double[] logProbOut) {
        String where = "CategoricalHead.sample";
        HeadChecks.rows(where, rows);
        HeadChecks.length(where, "policyOut", policyOut, rows, n);
        HeadChecks.length(where, "actionsOut", actionsOut, rows, 1);
        HeadChecks.length(where, "logProbOut", logProbOut, rows, 1);
        if (rngs == null || rngs.length < rows) {
            throw new IllegalArgumentException(where + ": need one RandomGenerator per row (n = " + rows + "), got "
                    + (rngs == null ? "null" : rngs.length));
        }
        for (int i = 0; i < rows; i++) {
            int off = i * n;
            double max = rowMax(policyOut, off, n, i);
            double sum = 0.0;
            for (int k = 0; k < n; k++) {
                sum += Math.exp(policyOut[off + k] - max);
            }
            // Compare against the unnormalised cumulative weights: no division, and the final cumulative value is
            // exactly `sum` because it is accumulated in the same order.
            double target = rngs[i].nextDouble() * sum;
            double cum = 0.0;
            int action = -1;
            int lastPossible = -1;
            for (int k = 0; k < n; k++) {
                double w = Math.exp(policyOut[off + k] - max);
                if (w > 0.0) {
                    lastPossible = k;
                }
                cum += w;
                if (target < cum) {
                    action = k;
                    break;
                }
            }
            if (action < 0) {
                action = lastPossible; // u*sum rounded up to sum: take the last action that has probability > 0
            }
            actionsOut[i] = action;
            logProbOut[i] = (policyOut[off + action] - max) - Math.log(sum);
        }
    }

    /** The first index of the largest logit (as {@code torch.argmax}). {@code logStd} may be {@code null}. */
    @Override
    public void mode(double[] policyOut, double[] logStd, int rows, float[] actionsOut) {
        String where = "CategoricalHead.mode";
        HeadChecks.rows(where, rows);
        HeadChecks.length(where, "policyOut", policyOut, rows, n);
        HeadChecks.length(where, "actionsOut", actionsOut, rows, 1);
        for (int i = 0; i < rows; i++) {
            int off = i * n;
            rowMax(policyOut, off, n, i);
            int best = 0;
            for (int k = 1; k < n; k++) {
                if (policyOut[off + k] > policyOut[off + best]) {
                    best = k;
                }
            }
            actionsOut[i] = best;
        }
    }

    /** {@code logStd} is ignored and may be {@code null}. */
    @Override
    public void logProbAndEntropy(double[] policyOut, double[] logStd, float[] actions, int rows,
            double[] logProbOut, double[] entropyOut) {
        String where = "CategoricalHead.logProbAndEntropy";
        HeadChecks.rows(where, rows);
        HeadChecks.length(where, "policyOut", policyOut, rows, n);
        HeadChecks.length(where, "actions", actions, rows, 1);
        HeadChecks.length(where, "logProbOut", logProbOut, rows, 1);
        HeadChecks.length(where, "entropyOut", entropyOut, rows, 1);
        for (int i = 0; i < rows; i++) {
            int off = i * n;
            int a = actionIndex(actions[i], i, where);
            double max = rowMax(policyOut, off, n, i);
            double logSum = logSumExpShifted(policyOut, off, n, max);
            logProbOut[i] = (policyOut[off + a] - max) - logSum;
            entropyOut[i] = entropy(policyOut, off, n, max, logSum);
        }
    }

    /**
     * With {@code p = softmax(l)} and {@code H = -Σ p log p}: {@code ∂log p_a/∂l_k = 1[k=a] - p_k} and
     * {@code ∂H/∂l_k = -p_k (log p_k + H)}. {@code dLogProb} or {@code dEntropy} may be {@code null} (all zero);
     * {@code logStd} and {@code dLogStd} are ignored (this head has no log-std) and may be {@code null}.
     */
    @Override
    public void backward(double[] policyOut, double[] logStd, float[] actions, int rows, double[] dLogProb,
            double[] dEntropy, double[] dPolicyOut, double[] dLogStd) {
        String where = "CategoricalHead.backward";
        HeadChecks.rows(where, rows);
        HeadChecks.length(where, "policyOut", policyOut, rows, n);
        HeadChecks.length(where, "actions", actions, rows, 1);
        HeadChecks.optionalLength(where, "dLogProb", dLogProb, rows);
        HeadChecks.optionalLength(where, "dEntropy", dEntropy, rows);
        HeadChecks.length(where, "dPolicyOut", dPolicyOut, rows, n);
        for (int i = 0; i < rows; i++) {
            int off = i * n;
            int a = actionIndex(actions[i], i, where);
            double max = rowMax(policyOut, off, n, i);
            double logSum = logSumExpShifted(policyOut, off, n, max);
            double gLogProb = dLogProb == null ? 0.0 : dLogProb[i];
            double gEntropy = dEntropy == null ? 0.0 : dEntropy[i];
            double h = gEntropy == 0.0 ? 0.0 : entropy(policyOut, off, n, max, logSum);
            for (int k = 0; k < n; k++) {
                double logP = (policyOut[off + k] - max) - logSum;
                double p = Math.exp(logP);
                double g = gLogProb * ((k == a ? 1.0 : 0.0) - p);
                if (p > 0.0 && gEntropy != 0.0) { // p = 0 (masked): p·(log p + H) -> 0, not 0·(-inf) = NaN
                    g += gEntropy * (-p * (logP + h));
                }
                dPolicyOut[off + k] = g;
            }
        }
    }

    /** Row maximum; rejects rows no distribution can be built from. */
    static double rowMax(double[] logits, int off, int n, int row) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) {
            max = Math.max(max, logits[off + k]); // Math.max propagates NaN, so one check below catches it
        }
        if (!(max > Double.NEGATIVE_INFINITY && max < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(badRow(logits, off, n, row, max));
        }
        return max;
    }

    /** {@code log Σ_k exp(l_k - max)}; {@code -inf} logits contribute {@code exp(-inf) = 0}. */
    static double logSumExpShifted(double[] logits, int off, int n, double max) {
        double sum = 0.0;
        for (int k = 0; k < n; k++) {
            sum += Math.exp(logits[off + k] - max);
        }
        return Math.log(sum);
    }

    /** {@code -Σ p log p}, skipping {@code p = 0} terms (masked or underflowed), whose limit is 0. */
    static double entropy(double[] logits, int off, int n, double max, double logSum) {
        double h = 0.0;
        for (int k = 0; k < n; k++) {
            double logP = (logits[off + k] - max) - logSum;
            double p = Math.exp(logP);
            if (p > 0.0) {
                h -= p * logP;
            }
        }
        return h;
    }

    private int actionIndex(float action, int row, String where) {
        int a = (int) action;
        if (a != action || a < 0 || a >= n) {
            throw new IllegalArgumentException(where + ": row " + row + " has action " + action
                    + ", which is not an index in 0.." + (n - 1) + ". Store the head's index (for Discrete(n, start)"
                    + " subtract start before storing).");
        }
        return a;
    }

    private static String badRow(double[] logits, int off, int n, int row, double max) {
        StringBuilder s = new StringBuilder("CategoricalHead: logits of row ").append(row).append(" = [");
        for (int k = 0; k < Math.min(n, 8); k++) {
            s.append(k == 0 ? "" : ", ").append(logits[off + k]);
        }
        s.append(n > 8 ? ", ...]" : "]");
        if (Double.isNaN(max)) {
            s.append(" contain NaN: the policy network diverged. Lower the learning rate, check observation scaling,"
                    + " or keep maxGradNorm on.");
        } else if (max == Double.POSITIVE_INFINITY) {
            s.append(" contain +inf: the policy network overflowed. Lower the learning rate or check observation"
                    + " scaling.");
        } else {
            s.append(" are all -inf: every action is masked. Allow at least one action per row.");
        }
        return s.toString();
    }

    @Override
    public String toString() {
        return "CategoricalHead(n = " + n + ")";
    }
}
