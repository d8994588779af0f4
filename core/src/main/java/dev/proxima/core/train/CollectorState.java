package dev.proxima.core.train;

import dev.proxima.core.checkpoint.NormalizerRecord;
import dev.proxima.core.checkpoint.RunRecord;
import java.util.Objects;

/**
 * A {@link RolloutCollector}'s part of a training checkpoint, per env copy {@code i} in index order: what continues
 * its episodes and random streams exactly.
 *
 * @param actionRngs     every copy's action-stream state ({@code Rng.state()})
 * @param envSeeds       every copy's seed (used for its next seeded reset when it has not started)
 * @param started        whether the copies have been reset
 * @param nextObs        every copy's next observation, normalised when configured ({@code numEnvs * obsDim})
 * @param obsNorm        the observation normaliser's statistics, or {@code null}
 * @param rewardNorm     the reward normaliser's statistics and running returns, or {@code null}
 * @param episodeReturns every copy's return so far in its running episode
 * @param episodeLengths every copy's length so far in its running episode
 * @param envStates      per copy, every env layer's snapshot (outermost first); {@code null} when a copy cannot be
 *                       snapshotted
 */
public record CollectorState(long[] actionRngs, long[] envSeeds, boolean started, float[] nextObs,
        NormalizerRecord obsNorm, NormalizerRecord rewardNorm, double[] episodeReturns, long[] episodeLengths,
        long[][][] envStates) {
    public CollectorState {
        Objects.requireNonNull(actionRngs, "actionRngs");
        Objects.requireNonNull(envSeeds, "envSeeds");
        Objects.requireNonNull(nextObs, "nextObs");
        Objects.requireNonNull(episodeReturns, "episodeReturns");
        Objects.requireNonNull(episodeLengths, "episodeLengths");
    }

    /** The collector's part of a training checkpoint. */
    public static CollectorState of(RunRecord r) {
        return new CollectorState(r.actionRngs(), r.envSeeds(), r.started(), r.nextObs(), r.agent().obsNorm(),
                r.rewardNorm(), r.episodeReturns(), r.episodeLengths(), r.envStates());
    }

    /** Whether every copy's state is here, so the copies continue their episodes bit for bit. */
    public boolean envsResumable() {
        return started && envStates != null;
    }
}
