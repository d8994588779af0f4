package dev.proxima.core.ppo;

import java.util.Map;

/**
 * A term of the PPO loss, and a plugin point: the total loss minimised on each minibatch is
 * {@code sum over terms of weight(ctx) * lossAndGrad(...)}.
 *
 * <p>A term returns its value as reported under {@link #key()} and adds the gradient of that value (unweighted)
 * with respect to the head outputs to {@code grad}; the trainer applies {@link #weight}. Built in:
 * {@link ClippedSurrogate}, {@link ValueLoss}, {@link EntropyBonus}, {@link KlPenalty}.
 */
public interface LossTerm {

    /** Metric key, e.g. {@code losses/policy_loss}. */
    String key();

    /** The coefficient of this term in the total loss for the current update (e.g. {@code -entCoef}). */
    default double weight(LossContext ctx) {
        return 1.0;
    }

    /** The term's value on the minibatch; adds d(value)/d(head outputs) to {@code grad}. */
    double lossAndGrad(Minibatch mb, HeadOutputs out, HeadGrads grad);

    /** Called before the first minibatch of each update. */
    default void beginUpdate(LossContext ctx) {}

    /** Called after the last minibatch of each update with the update's mean approximate KL (k3 estimator). */
    default void endUpdate(LossContext ctx, double approxKl) {}

    /** Adaptive state to save in checkpoints (e.g. the KL penalty's β). */
    default Map<String, Double> state() {
        return Map.of();
    }

    /** Restores what {@link #state()} returned. */
    default void restoreState(Map<String, Double> state) {}

    /**
     * A term with the same configuration and its initial state, for one run. The trainer calls it once per run so a
     * configuration can be trained twice, or by two runs at once, without the runs sharing state. A term with state
     * (anything {@link #beginUpdate}, {@link #endUpdate} or {@link #restoreState} changes) must return a new
     * instance; the default returns {@code this}, right for stateless terms.
     */
    default LossTerm copy() {
        return this;
    }
}
