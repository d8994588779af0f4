package dev.proxima.core.train;

import java.util.Locale;

/**
 * Stops training once a mean return reaches a threshold (Stable-Baselines3's {@code StopTrainingOnRewardThreshold}):
 * the mean return of the latest {@link Evaluate} evaluation (deterministic, low variance; needs an {@code Evaluate}
 * added before this callback), or the mean return of the training episodes that ended during the update
 * ({@code charts/episodic_return}). A NaN threshold means the env's reward threshold ({@code CartPole-v1}: 475).
 */
public final class EarlyStop implements Callback {

    /** What the threshold is compared with. */
    public enum On {
        /** The mean return of the latest evaluation (needs {@link Evaluate}). */
        EVALUATION,
        /** The mean return of the training episodes that ended during the update. */
        EPISODIC_RETURN
    }

    private final On on;
    private final double threshold;

    private EarlyStop(On on, double threshold) {
        if (Double.isInfinite(threshold)) {
            throw new IllegalArgumentException("EarlyStop: threshold = " + threshold
                    + " can never be reached; give a finite return, or NaN for the env's reward threshold.");
        }
        this.on = on;
        this.threshold = threshold;
    }

    /** Stops when an evaluation's mean return reaches {@code threshold} (NaN: the env's reward threshold). */
    public static EarlyStop onEvaluation(double threshold) {
        return new EarlyStop(On.EVALUATION, threshold);
    }

    /** Stops when an evaluation reaches the env's reward threshold. */
    public static EarlyStop onEvaluation() {
        return onEvaluation(Double.NaN);
    }

    /** Stops when the update's training episodes reach {@code threshold} on average (NaN: the env's threshold). */
    public static EarlyStop onEpisodicReturn(double threshold) {
        return new EarlyStop(On.EPISODIC_RETURN, threshold);
    }

    /** {@code on}'s factory. */
    public static EarlyStop of(On on, double threshold) {
        return new EarlyStop(on, threshold);
    }

    public On on() {
        return on;
    }

    /** The threshold given (NaN: the env's reward threshold). */
    public double threshold() {
        return threshold;
    }

    @Override
    public void onUpdate(UpdateEvent event) {
        double t = Double.isNaN(threshold) ? event.config().env().rewardThreshold().orElse(Double.NaN) : threshold;
        double value = on == On.EVALUATION
                ? event.evaluation().map(Evaluation::meanReturn).orElse(Double.NaN)
                : event.stats().episodicReturn();
        if (value >= t) {
            event.stop(String.format(Locale.ROOT, "early stop: %s %.2f reached the threshold %s",
                    on == On.EVALUATION ? "evaluation mean return" : "mean training return", value, t));
        }
    }

    @Override
    public String toString() {
        return "EarlyStop(on=" + on + ", threshold=" + (Double.isNaN(threshold) ? "env's" : threshold) + ")";
    }
}
