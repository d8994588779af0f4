package dev.proxima.core.ppo;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one update did, with CleanRL's metric names in {@link #metrics()} ({@code losses/policy_loss},
 * {@code losses/value_loss}, {@code losses/entropy}, {@code losses/old_approx_kl}, {@code losses/approx_kl},
 * {@code losses/clipfrac}, {@code losses/explained_variance}, {@code charts/learning_rate}, {@code charts/SPS},
 * {@code charts/episodic_return}, {@code charts/episodic_length}) plus one key per custom loss term. As in CleanRL,
 * the loss values are those of the last minibatch and {@code clipfrac} is the mean over all minibatches.
 *
 * @param update            1-based update index
 * @param globalStep        env steps taken so far (all copies)
 * @param episodicReturn    mean return of the episodes that ended during this update's rollout, NaN if none
 * @param episodicLength    mean length of those episodes, NaN if none
 * @param episodes          how many episodes ended during the rollout
 * @param epochsRun         epochs run (fewer than {@code updateEpochs} when {@code targetKl} stopped early)
 * @param metrics           every metric by CleanRL key
 */
public record UpdateStats(int update, long globalStep, double episodicReturn, double episodicLength, int episodes,
        int epochsRun, Map<String, Double> metrics) {

    public static final String POLICY_LOSS = "losses/policy_loss";
    public static final String VALUE_LOSS = "losses/value_loss";
    public static final String ENTROPY = "losses/entropy";
    public static final String OLD_APPROX_KL = "losses/old_approx_kl";
    public static final String APPROX_KL = "losses/approx_kl";
    public static final String CLIPFRAC = "losses/clipfrac";
    public static final String EXPLAINED_VARIANCE = "losses/explained_variance";
    public static final String LEARNING_RATE = "charts/learning_rate";
    public static final String SPS = "charts/SPS";
    public static final String EPISODIC_RETURN = "charts/episodic_return";
    public static final String EPISODIC_LENGTH = "charts/episodic_length";

    public UpdateStats {
        metrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /** The metric under {@code key}, or NaN when absent. */
    public double metric(String key) {
        Double v = metrics.get(key);
        return v == null ? Double.NaN : v;
    }

    public double policyLoss() { return metric(POLICY_LOSS); }
    public double valueLoss() { return metric(VALUE_LOSS); }
    public double entropy() { return metric(ENTROPY); }
    public double oldApproxKl() { return metric(OLD_APPROX_KL); }
    public double approxKl() { return metric(APPROX_KL); }
    public double clipFrac() { return metric(CLIPFRAC); }
    public double explainedVariance() { return metric(EXPLAINED_VARIANCE); }
    public double learningRate() { return metric(LEARNING_RATE); }
    /** Env steps per second of wall time since training started (CleanRL {@code charts/SPS}). */
    public double sps() { return metric(SPS); }
}
