package dev.proxima.cluster.transport;

import java.time.Duration;

/**
 * The messaging a cluster run needs, and nothing more: the learner binds an endpoint, workers connect to it, and both
 * exchange opaque byte messages (the cluster's own compact format). {@link HazelcastTransport} implements it; another
 * engine (Pekko, plain sockets) can replace it by implementing these three interfaces.
 */
public interface Transport {

    /**
     * Starts the learner's endpoint on {@code host:port} for cluster {@code clusterName}; a worker whose connection is
     * silent for longer than {@code heartbeatTimeout} is reported lost.
     *
     * @throws IllegalStateException if the endpoint cannot be started (the message says why)
     */
    LearnerLink bind(String clusterName, String hostPort, Duration heartbeatTimeout);

    /**
     * Connects a worker to the learner at {@code hostPort}, waiting at most {@code connectTimeout}.
     *
     * @throws IllegalStateException if no learner of cluster {@code clusterName} answers there in time
     */
    WorkerLink connect(String clusterName, String hostPort, Duration connectTimeout, Duration heartbeatTimeout);
}
