package dev.proxima.core.ppo;

/**
 * The entropy bonus {@code c_2 S[π_θ](s_t)} of Schulman et al. 2017 (arXiv:1707.06347) eq. 9: the term's value is
 * the mean entropy of the minibatch (reported under {@code losses/entropy}, as CleanRL's {@code entropy_loss}) and its
 * weight is {@code -entCoef}, so minimising the total loss raises the entropy. With {@code anneal} the weight is
 * multiplied by {@link LossContext#frac()}, decaying linearly to 0 over the run like CleanRL's learning rate.
 */
public final class EntropyBonus implements LossTerm {

    /** CleanRL's metric key. */
    public static final String KEY = "losses/entropy";

    private static final String NAME = "EntropyBonus";

    private final double coef;
    private final boolean anneal;

    /** CleanRL's {@code ppo.py} default {@code entCoef = 0.01}, not annealed. */
    public EntropyBonus() {
        this(0.01, false);
    }

    /**
     * @param coef   {@code entCoef}, finite and {@code >= 0} (CleanRL: 0.01 discrete, 0.0 continuous)
     * @param anneal multiply the coefficient by {@code 1 - (update-1)/numUpdates}
     */
    public EntropyBonus(double coef, boolean anneal) {
        this.coef = TermChecks.nonNegative(NAME, "coef (entCoef)", coef,
                "It scales the bonus for exploring; CleanRL uses 0.01 (discrete) or 0.0 (continuous).");
        this.anneal = anneal;
    }

    public double coef() {
        return coef;
    }

    public boolean anneal() {
        return anneal;
    }

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public double weight(LossContext ctx) {
        return -(anneal ? coef * ctx.frac() : coef);
    }

    @Override
    public double lossAndGrad(Minibatch mb, HeadOutputs out, HeadGrads grad) {
        int b = TermChecks.rows(NAME, mb);
        double sum = 0.0;
        double g = 1.0 / b;
        for (int i = 0; i < b; i++) {
            sum += out.entropy(i);
            grad.addEntropy(i, g);
        }
        return sum / b;
    }

    @Override
    public String toString() {
        return "EntropyBonus(coef = " + coef + ", anneal = " + anneal + ")";
    }
}
