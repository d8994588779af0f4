package dev.proxima.core.ppo;

import java.util.OptionalDouble;

/**
 * The clipped surrogate objective of PPO, Schulman et al. 2017 (arXiv:1707.06347) eq. 7, as a loss to minimise:
 * {@code L = mean_i max(-A_i r_i, -A_i clip(r_i, 1-ε, 1+ε)) = -mean_i min(r_i A_i, clip(r_i) A_i)} with
 * {@code r_i = exp(log π_θ(a_i|s_i) - log π_old(a_i|s_i))}; "Policy loss" in {@code cleanrl/ppo.py}. Reported under
 * {@code losses/policy_loss}, weight 1.
 *
 * <p>Gradient: {@code ∂L/∂log π_θ(a_i|s_i) = -A_i r_i / B} where the unclipped term is the maximum
 * ({@code -A r >= -A clip(r)}; on a tie both branches have that same gradient, as torch's {@code max} and
 * {@code clamp} give) and 0 where the clipped term is, since it does not depend on θ.
 *
 * <p>The clip range ε is either given here or, with {@link #ClippedSurrogate()}, taken from the run's configured
 * {@code clip} ({@link LossContext#clip()}) at each {@link #beginUpdate}. An instance therefore holds the ε of the
 * current update: use one instance per trainer.
 */
public final class ClippedSurrogate implements LossTerm {

    /** CleanRL's metric key. */
    public static final String KEY = "losses/policy_loss";

    private static final String NAME = "ClippedSurrogate";

    /** The ε given at construction, or NaN to follow the run's {@code clip}. */
    private final double fixedClip;
    /** The ε in force for the current update (NaN before the first {@code beginUpdate} when following the run). */
    private double clip;

    /** Clips with the run's configured {@code clip} ({@link LossContext#clip()}), CleanRL's {@code clip_coef}. */
    public ClippedSurrogate() {
        this.fixedClip = Double.NaN;
        this.clip = Double.NaN;
    }

    /**
     * Clips with this ε whatever the run's {@code clip} is.
     *
     * @param clip ε {@code > 0}; {@code Double.POSITIVE_INFINITY} disables clipping (see {@link #unclipped()})
     */
    public ClippedSurrogate(double clip) {
        this.fixedClip = TermChecks.clip(NAME, clip, "given to the constructor", true);
        this.clip = fixedClip;
    }

    /**
     * The unclipped surrogate {@code L^CPI = -mean(r A)} (Schulman et al. 2017 eq. 6), which PPO-Penalty pairs with
     * {@link KlPenalty} (§4).
     */
    public static ClippedSurrogate unclipped() {
        return new ClippedSurrogate(Double.POSITIVE_INFINITY);
    }

    @Override
    public LossTerm copy() {
        return Double.isNaN(fixedClip) ? new ClippedSurrogate() : new ClippedSurrogate(fixedClip);
    }

    /** The ε given at construction; empty when the run's {@code clip} is used. */
    public OptionalDouble clip() {
        return Double.isNaN(fixedClip) ? OptionalDouble.empty() : OptionalDouble.of(fixedClip);
    }

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public void beginUpdate(LossContext ctx) {
        if (Double.isNaN(fixedClip)) {
            clip = TermChecks.clip(NAME, ctx.clip(), "the run's configured clip", false);
        }
    }

    @Override
    public double lossAndGrad(Minibatch mb, HeadOutputs out, HeadGrads grad) {
        double eps = clip;
        if (Double.isNaN(eps)) {
            throw new IllegalStateException("ClippedSurrogate() follows the run's clip, which it learns in"
                    + " beginUpdate(ctx): call beginUpdate before lossAndGrad, or construct ClippedSurrogate(0.2).");
        }
        int b = TermChecks.rows(NAME, mb);
        double lo = 1.0 - eps;
        double hi = 1.0 + eps;
        double sum = 0.0;
        for (int i = 0; i < b; i++) {
            double adv = mb.advantage(i);
            double ratio = KlStats.ratio(out.logProb(i), mb.oldLogProb(i));
            double pgLoss1 = -adv * ratio;
            double pgLoss2 = -adv * Math.min(Math.max(ratio, lo), hi);
            if (pgLoss1 >= pgLoss2) {
                sum += pgLoss1;
                grad.addLogProb(i, pgLoss1 / b); // d(-A r)/d log π = -A r
            } else {
                sum += pgLoss2; // NaN ratios land here too and make the loss NaN, which the trainer reports
            }
        }
        return sum / b;
    }

    @Override
    public String toString() {
        return Double.isNaN(fixedClip) ? "ClippedSurrogate(clip = run's clip)" : "ClippedSurrogate(clip = " + fixedClip + ")";
    }
}
