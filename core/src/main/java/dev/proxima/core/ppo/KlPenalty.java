package dev.proxima.core.ppo;

import java.util.Map;

/**
 * The KL penalty of PPO-Penalty, Schulman et al. 2017 (arXiv:1707.06347) §4 eq. 8: {@code β·KL[π_old‖π_θ]}, with
 * the KL estimated per minibatch by the k3 estimator {@code mean((r - 1) - log r)}, {@code r = π_θ/π_old}
 * (unbiased for that direction under actions from π_old, and never negative; http://joschu.net/blog/kl-approx.html).
 * Reported under {@code losses/kl_penalty}; weight β; gradient {@code ∂/∂log π_θ = (r - 1)/B}.
 *
 * <p>Adaptive β (§4): after each update, with {@code d} the update's mean approximate KL, {@code β ← β/2} if
 * {@code d < d_targ/1.5} and {@code β ← 2β} if {@code d > 1.5·d_targ} (the paper's heuristic constants). Defaults:
 * β = 1 initially (the paper notes the initial value "is not important in practice because the algorithm quickly
 * adjusts it") and {@code d_targ = 0.01}, the best adaptive setting in the paper's Table 1. β is checkpointed through
 * {@link #state()} under {@code "beta"}. {@link #fixed(double)} keeps β constant (the paper's fixed-KL variant).
 *
 * <p>The paper pairs this penalty with the unclipped surrogate ({@link ClippedSurrogate#unclipped()}); adding it to
 * the clipped objective also works. Holds the current β, so use one instance per trainer.
 */
public final class KlPenalty implements LossTerm {

    /** Metric key of the term's value (the KL estimate, before β). */
    public static final String KEY = "losses/kl_penalty";

    /** Key of β in {@link #state()}. */
    public static final String STATE_BETA = "beta";

    private static final String NAME = "KlPenalty";

    private final double initialBeta;
    private final double targetKl;
    private final boolean adaptive;
    private double beta;

    /** Adaptive β with the paper's defaults: β = 1, {@code d_targ = 0.01}. */
    public KlPenalty() {
        this(1.0, 0.01);
    }

    /**
     * Adaptive β.
     *
     * @param beta     initial β, finite and {@code > 0} (halving and doubling cannot leave 0)
     * @param targetKl {@code d_targ}, finite and {@code > 0}
     */
    public KlPenalty(double beta, double targetKl) {
        this(TermChecks.positive(NAME, "beta", beta, "Adaptive β starts anywhere > 0; the paper uses 1."),
                TermChecks.positive(NAME, "targetKl", targetKl,
                        "It is the KL per update β steers towards; the paper's best is 0.01."),
                true);
    }

    private KlPenalty(double beta, double targetKl, boolean adaptive) {
        this.initialBeta = beta;
        this.targetKl = targetKl;
        this.adaptive = adaptive;
        this.beta = beta;
    }

    /** A constant β (the paper's fixed-KL variant, its Table 1 tries 0.3, 1, 3 and 10). */
    public static KlPenalty fixed(double beta) {
        return new KlPenalty(TermChecks.nonNegative(NAME, "beta", beta, "The paper tries 0.3, 1, 3 and 10."),
                Double.NaN, false);
    }

    @Override
    public LossTerm copy() {
        return new KlPenalty(initialBeta, targetKl, adaptive);
    }

    /** β at construction. */
    public double initialBeta() {
        return initialBeta;
    }

    /** The current β. */
    public double beta() {
        return beta;
    }

    /** {@code d_targ}, NaN for a fixed β. */
    public double targetKl() {
        return targetKl;
    }

    public boolean adaptive() {
        return adaptive;
    }

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public double weight(LossContext ctx) {
        return beta;
    }

    @Override
    public double lossAndGrad(Minibatch mb, HeadOutputs out, HeadGrads grad) {
        int b = TermChecks.rows(NAME, mb);
        double sum = 0.0;
        for (int i = 0; i < b; i++) {
            double logProb = out.logProb(i);
            double oldLogProb = mb.oldLogProb(i);
            double ratio = KlStats.ratio(logProb, oldLogProb);
            sum += (ratio - 1.0) - (logProb - oldLogProb);
            grad.addLogProb(i, (ratio - 1.0) / b); // d/dlogp of (e^x - 1) - x with x = logp - logp_old
        }
        return sum / b;
    }

    /** Adapts β from the update's mean approximate KL; a non-finite KL (a diverged update) leaves β unchanged. */
    @Override
    public void endUpdate(LossContext ctx, double approxKl) {
        if (!adaptive || !Double.isFinite(approxKl)) {
            return;
        }
        if (approxKl < targetKl / 1.5) {
            beta /= 2.0;
        } else if (approxKl > targetKl * 1.5) {
            beta *= 2.0;
        }
    }

    @Override
    public Map<String, Double> state() {
        return Map.of(STATE_BETA, beta);
    }

    @Override
    public void restoreState(Map<String, Double> state) {
        Double saved = state == null ? null : state.get(STATE_BETA);
        if (saved == null) {
            throw new IllegalArgumentException("KlPenalty.restoreState: no \"" + STATE_BETA + "\" in " + state
                    + "; pass the map KlPenalty.state() returned when the checkpoint was written.");
        }
        if (adaptive) {
            TermChecks.positive(NAME, "restored beta", saved, "The checkpoint's KL penalty state is corrupt.");
        } else {
            TermChecks.nonNegative(NAME, "restored beta", saved, "The checkpoint's KL penalty state is corrupt.");
        }
        beta = saved;
    }

    @Override
    public String toString() {
        return adaptive
                ? "KlPenalty(beta = " + initialBeta + ", targetKl = " + targetKl + ", adaptive)"
                : "KlPenalty(beta = " + initialBeta + ", fixed)";
    }
}
