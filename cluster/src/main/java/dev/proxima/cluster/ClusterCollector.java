package dev.proxima.cluster;

import dev.proxima.cluster.transport.HazelcastTransport;
import dev.proxima.cluster.transport.Transport;
import dev.proxima.core.train.RolloutCollector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Rollouts sampled by worker JVMs: give it to {@link dev.proxima.core.train.Trainer.Builder#collector} and the run's
 * env copies are split into {@link Builder#workers contiguous slices}, one per worker, sampled in parallel by
 * separate processes (on this machine or others) with each update's policy. PPO stays synchronous: every update the
 * learner sends θ_old and the normalisers' statistics to every worker, waits for every slice, and trains on them.
 *
 * <pre>{@code
 * Trainer trainer = Trainer.builder(config)                      // numEnvs = 32: 8 per worker
 *         .collector(ClusterCollector.builder()
 *                 .workers(4)                                    // worker JVMs, started here by default
 *                 .onFailure(FailurePolicy.restart(10, Duration.ofSeconds(1)))
 *                 .build())
 *         .build();
 * trainer.train(1_000_000);
 * }</pre>
 *
 * <h2>Same run as one JVM</h2>
 * Without failures and without normalisation, a cluster run equals the single-JVM run with the same seed and number
 * of env copies bit for bit: copy {@code i} gets the seed and action stream it has in the single run, each worker runs
 * the same sampling code on its slice with the same θ_old, and the learner reassembles the rollout (rows
 * {@code t * numEnvs + i}) and the episodes (by step, then copy) in the single run's order.
 *
 * <h2>Normalisation</h2>
 * A single-JVM run updates the observation and reward statistics after every vector step with every copy's values. A
 * cluster cannot without a round trip per step, so each worker starts every rollout from the statistics the learner
 * published and updates them after every step with its own copies' values only (normalising with them, as the single
 * run does with all copies'); it returns its final statistics and, separately, the moments of its own batches. The
 * learner's statistics for the next update are those of the lowest-index surviving worker, into which the other
 * surviving workers' moments are merged in worker-index order (Chan et al.'s parallel formula, as
 * {@code RunningMeanStd} merges batches). The difference to the single run: during a rollout a worker does not see
 * the other workers' observations (they arrive with the next update's statistics), and batches are merged per worker
 * rather than per vector step, so values differ in the last bits. The result is deterministic for a given seed and
 * number of workers, and with one worker it equals the single-JVM run bit for bit.
 *
 * <h2>Failures</h2>
 * See {@link FailurePolicy}. A worker is failed when its process dies or leaves (its connection drops), stops answering
 * heartbeats for {@link Builder#heartbeatTimeout} (a frozen process), reports an error, or sends no rollout within
 * {@link Builder#rolloutTimeout}. Every wait is bounded, so the learner never hangs; when the run cannot go on it
 * saves a checkpoint ({@link Builder#checkpointOnFailure}) and throws a {@link dev.proxima.core.train.RolloutException}.
 *
 * <h2>Security</h2>
 * See {@link HazelcastTransport}: the learner binds {@code 127.0.0.1} unless told another interface, multicast is off,
 * the member list is explicit, each run has its own cluster name, and Java deserialisation is refused. There is no
 * TLS and no authentication (Hazelcast's open-source edition): run multi-host clusters on a private network only.
 */
public final class ClusterCollector implements RolloutCollector.Factory {
    /** Metric key: workers whose slices the update trained on. */
    public static final String METRIC_WORKERS = "cluster/workers";
    /** Metric key: the rollout's wall time, from sending the policy to the last slice received (ms). */
    public static final String METRIC_ROLLOUT_MS = "cluster/rollout_ms";
    /** Metric key: the slowest worker's own sampling time (ms). */
    public static final String METRIC_SAMPLE_MS = "cluster/sample_ms";
    /** Metric key: the largest round trip minus sampling over the workers: transfer and (de)serialisation (ms). */
    public static final String METRIC_OVERHEAD_MS = "cluster/overhead_ms";
    /** Metric key: bytes of the policy message sent to each worker. */
    public static final String METRIC_BROADCAST_BYTES = "cluster/broadcast_bytes";
    /** Metric key: bytes of the slices received, summed over the workers. */
    public static final String METRIC_GATHER_BYTES = "cluster/gather_bytes";
    /** Metric key: worker failures so far in the run. */
    public static final String METRIC_FAILURES = "cluster/failures";
    /** Metric key: replacement workers started so far in the run. */
    public static final String METRIC_RESTARTS = "cluster/restarts";

    /** Default {@link Builder#heartbeatTimeout}: 15 s. */
    public static final Duration DEFAULT_HEARTBEAT_TIMEOUT = Duration.ofSeconds(15);
    /** Default {@link Builder#rolloutTimeout}: 5 min. */
    public static final Duration DEFAULT_ROLLOUT_TIMEOUT = Duration.ofMinutes(5);
    /** Default {@link Builder#joinTimeout}: 2 min. */
    public static final Duration DEFAULT_JOIN_TIMEOUT = Duration.ofMinutes(2);

    final int workers;
    final String bind;
    final String clusterName;
    final FailurePolicy failurePolicy;
    final Duration rolloutTimeout;
    final Duration joinTimeout;
    final Duration heartbeatTimeout;
    final WorkerLauncher launcher;
    final int threadsPerWorker;
    final Path checkpointOnFailure;
    final List<ClusterListener> listeners;
    final Transport transport;
    private volatile ClusterRun current;

    private ClusterCollector(Builder b) {
        this.workers = b.workers;
        this.bind = b.bind;
        this.clusterName = b.clusterName != null ? b.clusterName
                : "proxima-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        this.failurePolicy = b.failurePolicy;
        this.rolloutTimeout = b.rolloutTimeout;
        this.joinTimeout = b.joinTimeout;
        this.heartbeatTimeout = b.heartbeatTimeout;
        this.launcher = b.launcher;
        this.threadsPerWorker = b.threadsPerWorker;
        this.checkpointOnFailure = b.checkpointOnFailure != null ? b.checkpointOnFailure
                : Path.of("proxima-cluster-" + clusterName + ".safetensors");
        this.listeners = List.copyOf(b.listeners);
        this.transport = b.transport;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public RolloutCollector open(RolloutCollector.Setup setup) {
        ClusterRun run = new ClusterRun(this, setup);
        current = run;
        return run;
    }

    /** The latest run's status (workers alive, failures, restarts, last update's timings). */
    public ClusterStatus status() {
        ClusterRun r = current;
        return r == null ? ClusterStatus.none(clusterName, workers) : r.status();
    }

    /**
     * The latest run's events but the per-update {@link ClusterEvent.SamplingStarted} (the first 10,000): workers
     * joining, failing (with the cause), restarting and refused, e.g. for a run summary.
     */
    public List<ClusterEvent> events() {
        ClusterRun r = current;
        return r == null ? List.of() : r.events();
    }

    /** A builder with these settings (and this cluster name), e.g. to give a command-line tool's own launcher. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.workers = workers;
        b.bind = bind;
        b.clusterName = clusterName;
        b.failurePolicy = failurePolicy;
        b.rolloutTimeout = rolloutTimeout;
        b.joinTimeout = joinTimeout;
        b.heartbeatTimeout = heartbeatTimeout;
        b.launcher = launcher;
        b.threadsPerWorker = threadsPerWorker;
        b.checkpointOnFailure = checkpointOnFailure;
        b.listeners.addAll(listeners);
        b.transport = transport;
        return b;
    }

    /** What starts the workers. */
    public WorkerLauncher launcher() {
        return launcher;
    }

    /** The run's cluster name (given, or made up once for this collector). */
    public String clusterName() {
        return clusterName;
    }

    public int workers() {
        return workers;
    }

    public FailurePolicy failurePolicy() {
        return failurePolicy;
    }

    @Override
    public String toString() {
        return "cluster(workers = " + workers + ", bind = " + bind + ", name = " + clusterName + ", onFailure = "
                + failurePolicy + ", launcher = " + launcher + ")";
    }

    /** A cluster collector's settings; {@link #build()} checks them. */
    public static final class Builder {
        private int workers = 2;
        private String bind = "127.0.0.1";
        private String clusterName;
        private FailurePolicy failurePolicy = FailurePolicy.fail();
        private Duration rolloutTimeout = DEFAULT_ROLLOUT_TIMEOUT;
        private Duration joinTimeout = DEFAULT_JOIN_TIMEOUT;
        private Duration heartbeatTimeout = DEFAULT_HEARTBEAT_TIMEOUT;
        private WorkerLauncher launcher = WorkerLauncher.localProcesses();
        private int threadsPerWorker = 1;
        private Path checkpointOnFailure;
        private final List<ClusterListener> listeners = new ArrayList<>();
        private Transport transport = HazelcastTransport.create();

        private Builder() {}

        /** Worker JVMs (default 2); each samples a contiguous slice of the {@code numEnvs} env copies. */
        public Builder workers(int workers) {
            this.workers = workers;
            return this;
        }

        /**
         * The learner's address, {@code host} or {@code host:port}: the interface it binds and the explicit member
         * list of the cluster (default {@code 127.0.0.1}, port 5701 or the next free one; a port given is used as
         * is). Name an interface of a private network for workers on other machines.
         */
        public Builder bind(String hostPort) {
            this.bind = Objects.requireNonNull(hostPort, "hostPort");
            return this;
        }

        /** Same as {@link #bind(String)}: the cluster's member list is the learner alone. */
        public Builder members(String hostPort) {
            return bind(hostPort);
        }

        /** The run's cluster name (default {@code proxima-} and 8 random hex digits); workers must give the same. */
        public Builder clusterName(String name) {
            this.clusterName = Objects.requireNonNull(name, "name");
            return this;
        }

        /** What to do when a worker fails (default {@link FailurePolicy#fail()}). */
        public Builder onFailure(FailurePolicy policy) {
            this.failurePolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** A worker that sends no rollout this long after the policy is failed (default 5 min). */
        public Builder rolloutTimeout(Duration timeout) {
            this.rolloutTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** How long a worker (or a replacement) may take to join and open its env copies (default 2 min). */
        public Builder joinTimeout(Duration timeout) {
            this.joinTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * A worker whose connection is silent this long is lost (default 15 s): a frozen process is detected even
         * between rollouts. Long GC pauses must stay below it.
         */
        public Builder heartbeatTimeout(Duration timeout) {
            this.heartbeatTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * What starts the workers and their replacements (default {@link WorkerLauncher#localProcesses()}: JVMs on
         * this machine); {@link WorkerLauncher#external()} for workers started elsewhere.
         */
        public Builder launcher(WorkerLauncher launcher) {
            this.launcher = Objects.requireNonNull(launcher, "launcher");
            return this;
        }

        /** Sampling threads inside each launched worker (default 1). */
        public Builder threadsPerWorker(int threads) {
            this.threadsPerWorker = threads;
            return this;
        }

        /**
         * Where the run saves itself when it must stop (default {@code proxima-cluster-NAME.safetensors} in the
         * working directory).
         */
        public Builder checkpointOnFailure(Path file) {
            this.checkpointOnFailure = Objects.requireNonNull(file, "file");
            return this;
        }

        /** Receives the run's {@link ClusterEvent}s. */
        public Builder listener(ClusterListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** The transport (default Hazelcast). */
        public Builder transport(Transport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /** @throws IllegalArgumentException listing every problem */
        public ClusterCollector build() {
            List<String> p = new ArrayList<>();
            if (workers < 1) {
                p.add("workers = " + workers + " must be at least 1");
            }
            if (threadsPerWorker < 1) {
                p.add("threadsPerWorker = " + threadsPerWorker + " must be at least 1");
            }
            positive("rolloutTimeout", rolloutTimeout, p);
            positive("joinTimeout", joinTimeout, p);
            if (heartbeatTimeout.toMillis() < 1000) {
                p.add("heartbeatTimeout = " + heartbeatTimeout + " must be at least 1 s");
            }
            if (clusterName != null && !clusterName.matches("[A-Za-z0-9._-]{1,64}")) {
                p.add("clusterName \"" + clusterName + "\" must be 1 to 64 letters, digits, '.', '_' or '-'");
            }
            if (failurePolicy.kind() == FailurePolicy.Kind.IGNORE && failurePolicy.requiredWorkers(Integer.MAX_VALUE)
                    > workers) {
                p.add(failurePolicy + " needs more workers than the " + workers + " of the run");
            }
            if (!p.isEmpty()) {
                throw new IllegalArgumentException("cluster settings: " + String.join("; ", p));
            }
            return new ClusterCollector(this);
        }

        private static void positive(String name, Duration d, List<String> p) {
            if (d.isZero() || d.isNegative()) {
                p.add(name + " = " + d + " must be positive");
            }
        }
    }
}
