package dev.proxima.cluster;

import java.time.Duration;

/**
 * What happens in a cluster run, for a {@link ClusterListener} (e.g. the command line's log and its
 * {@code summary.json}). Listeners are called on the training thread: keep them quick.
 */
public sealed interface ClusterEvent {

    /** The learner listens at {@code address} for workers of cluster {@code clusterName}. */
    record Listening(String address, String clusterName, int workers) implements ClusterEvent {}

    /** A worker took slot {@code index} (for the {@code generation}-th time: 1, then 2 after a restart...). */
    record WorkerJoined(int index, int generation, long pid, String host) implements ClusterEvent {}

    /** Workers are sampling the rollout of {@code update} with {@code workers} of them. */
    record SamplingStarted(int update, int workers) implements ClusterEvent {}

    /** Slot {@code index}'s worker failed during {@code update} (0: between updates); its partial rollout is dropped. */
    record WorkerFailed(int index, int generation, int update, String cause) implements ClusterEvent {}

    /** A replacement for slot {@code index} starts after {@code delay} (restart {@code attempt} of the run's maximum). */
    record WorkerRestarting(int index, int attempt, int maxRestarts, Duration delay) implements ClusterEvent {}

    /** A worker was turned away (the run has all its workers). */
    record WorkerRefused(String host, long pid, String reason) implements ClusterEvent {}
}
