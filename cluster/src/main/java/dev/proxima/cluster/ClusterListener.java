package dev.proxima.cluster;

/** Receives a cluster run's {@link ClusterEvent}s, on the training thread. */
@FunctionalInterface
public interface ClusterListener {
    void onEvent(ClusterEvent event);
}
