package dev.proxima.core.dist;

/**
 * The math of one categorical distribution over a segment {@code l[off .. off+n)} of logits, restricted to the valid
 * actions of a mask segment {@code m[moff .. moff+n)} ({@code m == null}: all valid). Shared by
 * {@link CategoricalHead} (one segment per row) and {@link MultiDiscreteHead} (one per component).
 *
 * <p>With {@code V} the valid set: {@code log π(k) = (l_k - max_V l) - log Σ_{j∈V} exp(l_j - max_V l)} for
 * {@code k ∈ V}, {@code H = -Σ_{k∈V} π(k) log π(k)}. Invalid logits are never read. Without a mask the operations and
 * their order are exactly those of the unmasked head, so results are bit-identical to it.
 */
final class CategoricalMath {

    private CategoricalMath() {}

    static boolean valid(boolean[] m, int moff, int k) {
        return m == null || m[moff + k];
    }

    /** Maximum valid logit; rejects segments no distribution can be built from, naming row and component. */
    static double max(double[] l, int off, int n, boolean[] m, int moff, String head, int row, int comp) {
        double max = Double.NEGATIVE_INFINITY;
        boolean any = false;
        for (int k = 0; k < n; k++) {
            if (valid(m, moff, k)) {
                any = true;
                max = Math.max(max, l[off + k]); // Math.max propagates NaN, so one check below catches it
            }
        }
        if (!(max > Double.NEGATIVE_INFINITY && max < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(badSegment(l, off, n, m, moff, head, row, comp, max, any));
        }
        return max;
    }

    /** {@code Σ_{k∈V} exp(l_k - max)}; {@code -inf} logits contribute {@code exp(-inf) = 0}. */
    static double sumExp(double[] l, int off, int n, boolean[] m, int moff, double max) {
        double sum = 0.0;
        for (int k = 0; k < n; k++) {
            if (valid(m, moff, k)) {
                sum += Math.exp(l[off + k] - max);
            }
        }
        return sum;
    }

    /** {@code -Σ_{k∈V} p log p}, skipping {@code p = 0} terms ({@code -inf} logits or underflow), whose limit is 0. */
    static double entropy(double[] l, int off, int n, boolean[] m, int moff, double max, double logSum) {
        double h = 0.0;
        for (int k = 0; k < n; k++) {
            if (valid(m, moff, k)) {
                double logP = (l[off + k] - max) - logSum;
                double p = Math.exp(logP);
                if (p > 0.0) {
                    h -= p * logP;
                }
            }
        }
        return h;
    }

    /**
     * Inverse-CDF sample for a uniform {@code u ∈ [0, 1)}. Compares against the unnormalised cumulative weights: no
     * division, and the final cumulative value is exactly {@code sum} because it is accumulated in the same order.
     */
    static int sample(double[] l, int off, int n, boolean[] m, int moff, double max, double sum, double u) {
        double target = u * sum;
        double cum = 0.0;
        int lastPossible = -1;
        for (int k = 0; k < n; k++) {
            if (!valid(m, moff, k)) {
                continue;
            }
            double w = Math.exp(l[off + k] - max);
            if (w > 0.0) {
                lastPossible = k;
            }
            cum += w;
            if (target < cum) {
                return k;
            }
        }
        return lastPossible; // u*sum rounded up to sum: take the last action that has probability > 0
    }

    /** The first valid index of the largest valid logit (as {@code torch.argmax} over the valid set). */
    static int argmax(double[] l, int off, int n, boolean[] m, int moff) {
        int best = -1;
        for (int k = 0; k < n; k++) {
            if (valid(m, moff, k) && (best < 0 || l[off + k] > l[off + best])) {
                best = k;
            }
        }
        return best;
    }

    /**
     * With {@code p = softmax_V(l)}: {@code ∂log p_a/∂l_k = 1[k=a] - p_k} and {@code ∂H/∂l_k = -p_k (log p_k + H)}
     * for {@code k ∈ V}; exactly 0 for invalid {@code k} (their logits are not inputs of the distribution).
     */
    static void backward(double[] l, int off, int n, boolean[] m, int moff, int a, double gLogProb, double gEntropy,
            double max, double logSum, double[] d, int doff) {
        double h = gEntropy == 0.0 ? 0.0 : entropy(l, off, n, m, moff, max, logSum);
        for (int k = 0; k < n; k++) {
            if (!valid(m, moff, k)) {
                d[doff + k] = 0.0;
                continue;
            }
            double logP = (l[off + k] - max) - logSum;
            double p = Math.exp(logP);
            double g = gLogProb * ((k == a ? 1.0 : 0.0) - p);
            if (p > 0.0 && gEntropy != 0.0) { // p = 0 (a -inf logit): p·(log p + H) -> 0, not 0·(-inf) = NaN
                g += gEntropy * (-p * (logP + h));
            }
            d[doff + k] = g;
        }
    }

    /** The stored action as an index into the segment; it must be an integer in {@code 0..n-1} and valid. */
    static int action(float action, int n, boolean[] m, int moff, String head, String where, int row, int comp) {
        int a = (int) action;
        if (a != action || a < 0 || a >= n) {
            throw new IllegalArgumentException(head + "." + where + ": row " + row + component(comp) + " has action "
                    + action + ", which is not an index in 0.." + (n - 1) + ". Store the head's index (for"
                    + " Discrete(n, start) subtract start before storing).");
        }
        if (!valid(m, moff, a)) {
            throw new IllegalArgumentException(head + "." + where + ": row " + row + component(comp) + " has action "
                    + a + ", which its mask " + showMask(m, moff, n) + " marks invalid. Pass the mask the action was"
                    + " sampled with (store it in the rollout next to the action).");
        }
        return a;
    }

    private static String component(int comp) {
        return comp < 0 ? "" : ", component " + comp;
    }

    private static String showMask(boolean[] m, int moff, int n) {
        StringBuilder s = new StringBuilder("[");
        for (int k = 0; k < Math.min(n, 16); k++) {
            s.append(k == 0 ? "" : ", ").append(m[moff + k] ? 1 : 0);
        }
        return s.append(n > 16 ? ", ...]" : "]").toString();
    }

    private static String badSegment(double[] l, int off, int n, boolean[] m, int moff, String head, int row,
            int comp, double max, boolean any) {
        if (!any) {
            return head + ": row " + row + component(comp) + " has no valid action: its mask " + showMask(m, moff, n)
                    + " is all false. An env must allow at least one action in every state (see"
                    + " ActionMasked.actionMask), and the rollout must pass each row's own mask.";
        }
        StringBuilder s = new StringBuilder(head + ": logits of row ").append(row).append(component(comp))
                .append(" = [");
        for (int k = 0; k < Math.min(n, 8); k++) {
            s.append(k == 0 ? "" : ", ").append(valid(m, moff, k) ? String.valueOf(l[off + k]) : "masked");
        }
        s.append(n > 8 ? ", ...]" : "]");
        if (Double.isNaN(max)) {
            s.append(" contain NaN: the policy network diverged. Lower the learning rate, check observation scaling,"
                    + " or keep maxGradNorm on.");
        } else if (max == Double.POSITIVE_INFINITY) {
            s.append(" contain +inf: the policy network overflowed. Lower the learning rate or check observation"
                    + " scaling.");
        } else {
            s.append(m == null ? " are all -inf: every action is masked. Allow at least one action per row."
                    : " are -inf for every valid action: every action is masked. Allow at least one action per row.");
        }
        return s.toString();
    }
}
