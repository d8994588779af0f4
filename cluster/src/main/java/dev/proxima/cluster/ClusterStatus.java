package dev.proxima.cluster;

/**
 * A cluster run at a glance, for a progress line or a run summary ({@link ClusterCollector#status()}); the same
 * numbers are in every update's metrics under {@code cluster/...} ({@link ClusterCollector#METRIC_WORKERS} etc.).
 *
 * @param address          where workers join ({@code host:port}); empty before the run opened
 * @param clusterName      the run's cluster name
 * @param workers          worker slots
 * @param workersAlive     workers sampling now
 * @param failures         worker failures so far
 * @param restarts         replacements started so far
 * @param refusedMessages  messages refused (foreign serialisation, damaged)
 * @param lastRolloutMs    the last update's rollout, from sending the policy to the last slice received
 * @param lastSampleMs     the slowest worker's own sampling time in it
 * @param lastOverheadMs   the largest per-worker round trip minus its sampling (transfer and (de)serialisation)
 * @param lastBroadcastBytes the policy message of the last update (sent to each worker)
 * @param lastGatherBytes  the slices received in the last update, summed
 */
public record ClusterStatus(String address, String clusterName, int workers, int workersAlive, int failures,
        int restarts, long refusedMessages, double lastRolloutMs, double lastSampleMs, double lastOverheadMs,
        long lastBroadcastBytes, long lastGatherBytes) {

    static ClusterStatus none(String clusterName, int workers) {
        return new ClusterStatus("", clusterName, workers, 0, 0, 0, 0, Double.NaN, Double.NaN, Double.NaN, 0, 0);
    }
}
