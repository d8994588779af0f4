package dev.proxima.core.checkpoint;

import java.util.Map;
import java.util.Objects;

/**
 * A training run between two updates, as saved: with the same configuration, restoring it continues exactly the run
 * that was never interrupted (when every env layer could be snapshotted).
 *
 * @param agent           θ, the architecture and the observation normaliser
 * @param config          the configuration's {@code toMap()}, compared with the resuming run's
 * @param totalSteps      the run's budget in env steps
 * @param numUpdates      the run's number of updates
 * @param update          updates completed
 * @param globalStep      env steps taken
 * @param adamM           Adam's first moments
 * @param adamV           Adam's second moments
 * @param adamT           Adam's step count
 * @param shuffleRng      the minibatch-shuffling stream's state
 * @param actionRngs      every env copy's action stream state
 * @param envSeeds        the env copies' seeds
 * @param started         whether the env copies had been reset
 * @param nextObs         the next (normalised) observation of every copy
 * @param rewardNorm      the reward normaliser, or {@code null}
 * @param episodeReturns  every copy's return so far in its current episode
 * @param episodeLengths  every copy's length so far in its current episode
 * @param envStates       per copy, every wrapper layer's snapshot, outermost first; {@code null} when the copies
 *                        could not all be snapshotted (they then start new episodes on resume)
 * @param lossState       each loss term's state by metric key
 * @param callbackState   each callback's state by its key (e.g. the best evaluation so far)
 * @param seconds         training wall time so far
 */
public record RunRecord(AgentRecord agent, Map<String, Object> config, long totalSteps, int numUpdates, int update,
        long globalStep, double[] adamM, double[] adamV, long adamT, long shuffleRng, long[] actionRngs,
        long[] envSeeds, boolean started, float[] nextObs, NormalizerRecord rewardNorm, double[] episodeReturns,
        long[] episodeLengths, long[][][] envStates, Map<String, Map<String, Double>> lossState,
        Map<String, Map<String, Double>> callbackState, double seconds) {
    public RunRecord {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(config, "config");
        lossState = lossState == null ? Map.of() : lossState;
        callbackState = callbackState == null ? Map.of() : callbackState;
    }

    /** Whether every env copy's state is saved, so a resumed run continues their episodes bit for bit. */
    public boolean envsResumable() {
        return started && envStates != null;
    }
}
