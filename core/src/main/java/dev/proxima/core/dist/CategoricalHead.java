package dev.proxima.core.dist;

/**
 * A categorical distribution over actions {@code 0..n-1} given unnormalised logits, as
 * {@code torch.distributions.Categorical(logits=...)} in CleanRL's {@code ppo.py}.
 *
 * <p>{@code log π(k) = (l_k - max l) - log Σ_j exp(l_j - max l)}: subtracting the row maximum first keeps
 * {@code exp} from overflowing for large logits (the {@code large_logits} golden case) and is exactly how
 * {@code torch.log_softmax} evaluates it. The entropy is {@code H = -Σ p_k log p_k}.
 *
 * <p><b>Action masks.</b> The overloads taking a {@code boolean[] mask} ({@link #maskDim()} {@code = n} entries per
 * row, {@code true} = valid) restrict the distribution to the valid set {@code V}: the maximum, the normaliser, the
 * entropy and the argmax run over {@code V} only, so invalid logits are excluded rather than made very negative
 * (sb3-contrib's {@code MaskableCategorical} and CleanRL's {@code CategoricalMasked} substitute {@code -1e8}, which
 * leaves a tiny probability and, with large logits, can still be sampled). The update must pass the mask each action
 * was sampled with. A row whose mask is all false is rejected naming the row.
 *
 * <p>A logit of {@code -inf} gives its action probability 0 as well: it is never sampled, never the mode, adds
 * nothing to the entropy, and its gradients are 0 rather than NaN (torch clamps {@code p·log p} to 0 the same way). A
 * row whose valid logits are all {@code -inf}, or that holds a NaN or {@code +inf} among them, is rejected with an
 * exception naming the row.
 *
 * <p>Actions are stored as floats holding the index (exact for any realistic {@code n}). A {@code Discrete(n, start)}
 * action space with {@code start != 0} still uses indices {@code 0..n-1} here; the trainer adds {@code start}
 * before passing the action to the environment. Stateless and thread-safe; allocates nothing per call.
 */
public final class CategoricalHead extends CategoricalBlocksHead {

    private final int n;

    /** @param n number of actions, at least 1 */
    public CategoricalHead(int n) {
        super("CategoricalHead", new int[] {checked(n)}, n);
        this.n = n;
    }

    private static int checked(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("CategoricalHead: n = " + n
                    + " actions; a categorical head needs at least 1 (use the n of the Discrete action space)");
        }
        return n;
    }

    /** Number of actions. */
    public int numActions() {
        return n;
    }

    @Override
    public String toString() {
        return "CategoricalHead(n = " + n + ")";
    }
}
