package dev.proxima.core.checkpoint;

import dev.proxima.core.env.RunningMeanStd;
import java.util.Objects;

/**
 * A running-statistics normaliser as saved: its statistics and settings. For an observation normaliser
 * {@code gamma} is NaN and {@code returns} empty; a reward normaliser has its discount and the running discounted
 * return of every env copy.
 *
 * @param stats   mean, variance and count
 * @param epsilon added to the variance before the square root
 * @param clip    the normalised value is clipped to {@code ±clip}
 * @param gamma   the reward normaliser's discount, NaN for observations
 * @param returns the reward normaliser's running returns per env copy (empty for observations and agents)
 */
public record NormalizerRecord(RunningMeanStd.State stats, double epsilon, double clip, double gamma,
        double[] returns) {
    public NormalizerRecord {
        Objects.requireNonNull(stats, "stats");
        returns = returns == null ? new double[0] : returns;
    }

    /** An observation normaliser's record. */
    public static NormalizerRecord observations(RunningMeanStd.State stats, double epsilon, double clip) {
        return new NormalizerRecord(stats, epsilon, clip, Double.NaN, new double[0]);
    }
}
