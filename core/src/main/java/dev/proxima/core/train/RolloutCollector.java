package dev.proxima.core.train;

import dev.proxima.core.dist.PolicyHead;
import dev.proxima.core.env.ObservationNormalizer;
import dev.proxima.core.env.RewardNormalizer;
import dev.proxima.core.env.SyncVectorEnv;
import dev.proxima.core.nn.ActorCritic;
import dev.proxima.core.ppo.PpoConfig;
import dev.proxima.core.ppo.Rollout;
import dev.proxima.core.run.Rng;
import dev.proxima.core.space.Box;
import dev.proxima.core.space.Space;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a run's rollouts come from: the env copies, stepped with the sampling policy θ_old. The {@link #local()}
 * collector steps them in this process (on {@link Trainer.Builder#workers sampling threads}); the {@code cluster}
 * module's collector has them stepped by worker JVMs. A {@link Trainer} opens one collector per run through the
 * {@link Factory} given to {@link Trainer.Builder#collector}.
 *
 * <p>Life cycle, driven by the run: {@link Factory#open} (the env copies exist, or are reachable, and the spaces are
 * known) → {@link #bind} (the policy: head, θ, clip box) → optionally {@link #restore} (a checkpoint) → per update
 * {@link #collect} then {@link #sync} → {@link #close}. {@link #snapshot} may be called between updates.
 *
 * <p>The contract that makes runs reproducible: env copy {@code i} is made and first reset with
 * {@code Setup.envSeeds()[i]} and samples its actions from {@code Setup.actionRngs()[i]}; a rollout's rows are
 * {@code t * numEnvs + i}; episodes are reported by step, then copy. A collector that keeps this contract gives the
 * same run as the local one.
 */
public interface RolloutCollector extends AutoCloseable {

    /** The collector of today's single-process runs: the env copies in a {@link SyncVectorEnv}, in this JVM. */
    static Factory local() {
        return Collector.Local.FACTORY;
    }

    /** Opens a run's collector. */
    @FunctionalInterface
    interface Factory {
        /**
         * Opens the collector of one run: makes (or reaches) its env copies and learns their spaces. Called once per
         * run, also for a resumed one, on the thread that starts the run.
         */
        RolloutCollector open(Setup setup);
    }

    /**
     * What a run gives its collector.
     *
     * @param config     the run's configuration ({@code numEnvs}, {@code numSteps}, normalisation, ...)
     * @param envSeeds   one seed per env copy, for making the copy and its first reset (the collector may change them,
     *                   see {@link #restore}); owned by the collector from now on
     * @param actionRngs one action-sampling stream per env copy, owned by the collector from now on
     * @param workers    sampling threads of this process ({@link Trainer.Builder#workers}), in {@code [1, numEnvs]}
     */
    record Setup(PpoConfig config, long[] envSeeds, Rng[] actionRngs, int workers) {
        public Setup {
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(envSeeds, "envSeeds");
            Objects.requireNonNull(actionRngs, "actionRngs");
            if (envSeeds.length != config.numEnvs() || actionRngs.length != config.numEnvs()) {
                throw new IllegalArgumentException(envSeeds.length + " env seeds and " + actionRngs.length
                        + " action streams for numEnvs = " + config.numEnvs() + "; give one of each per env copy");
            }
        }
    }

    /** The env's observation space (every copy has the same). */
    Space<?> observationSpace();

    /** The env's action space. */
    Space<?> actionSpace();

    /**
     * Binds the sampling policy, once, before the first {@link #collect}: the head built for {@link #actionSpace()},
     * θ (the collector keeps its own θ_old copies, equal to θ now) and the box sampled actions are clipped into before
     * the env sees them ({@code null}: none).
     *
     * @throws IllegalArgumentException if the env and the head disagree (e.g. on action masks)
     */
    void bind(PolicyHead head, ActorCritic theta, Box clipBox);

    /** Action-mask entries per rollout row after {@link #bind}: the head's when the env reports masks, else 0. */
    int maskDim();

    /** Sampling threads this collector runs in this process, for which the run provides a {@link SamplingExecutor}. */
    int samplingWorkers();

    /**
     * Collects the rollout of update {@code update} (1-based) with θ_old: fills every row of {@code rollout}
     * (observations, actions, log-probabilities, values, rewards, flags, bootstrap values, masks, and the values after
     * the last step), and adds the episodes that ended, by step then env copy, to {@code episodes}.
     *
     * @return the rollout to train on: {@code rollout}, or a smaller one with the same {@code numSteps} and fewer env
     *         copies when some could not be collected (a remote worker failed); its rows are then
     *         {@code t * survivors + k} for the surviving copies in ascending order
     * @throws RolloutException when the rollout cannot be collected but the run is still that of its last update
     */
    Rollout collect(Rollout rollout, int update, SamplingExecutor executor, List<SyncVectorEnv.Episode> episodes);

    /** θ_old ← θ after an update. */
    void sync(ActorCritic theta);

    /** The observation normaliser whose statistics the run's policy uses, if observations are normalised. */
    Optional<ObservationNormalizer> observationNormalizer();

    /** The reward normaliser, if rewards are normalised. */
    Optional<RewardNormalizer> rewardNormalizer();

    /** The collector's part of a training checkpoint, taken between updates. */
    CollectorState snapshot();

    /**
     * Restores the collector's part of a checkpoint of a run at update {@code update}: random streams, normalisers
     * and, when saved, the env copies mid-episode; otherwise the copies start new episodes on the next rollout from
     * seeds derived from {@code update}, so a resumed run does not replay the episodes of the run's start.
     *
     * @throws IllegalArgumentException if the state does not fit this run (another number of env copies, missing
     *                                  normaliser statistics)
     */
    void restore(CollectorState state, int update);

    /** The id of an env whose copies cannot be snapshotted (for the resume warning), or {@code null}. */
    default String unsnapshottableEnv() {
        return null;
    }

    /**
     * Numbers about the last {@link #collect} to add to the update's metrics (e.g. a cluster's workers alive and
     * transfer times), by metric key; empty for the local collector.
     */
    default Map<String, Double> metrics() {
        return Map.of();
    }

    /** Releases the env copies (or the workers). */
    @Override
    void close();
}
