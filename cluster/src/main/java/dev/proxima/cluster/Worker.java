package dev.proxima.cluster;

import dev.proxima.cluster.transport.HazelcastTransport;
import dev.proxima.cluster.transport.Transport;
import dev.proxima.cluster.transport.WorkerLink;
import dev.proxima.core.checkpoint.NormalizerRecord;
import dev.proxima.core.dist.ContinuousActions;
import dev.proxima.core.dist.Heads;
import dev.proxima.core.dist.PolicyHead;
import dev.proxima.core.env.EnvSpec;
import dev.proxima.core.env.ObservationNormalizer;
import dev.proxima.core.env.RewardNormalizer;
import dev.proxima.core.env.RunningMeanStd;
import dev.proxima.core.env.SyncVectorEnv;
import dev.proxima.core.nn.ActorCritic;
import dev.proxima.core.nn.Network;
import dev.proxima.core.nn.NetworkFactory;
import dev.proxima.core.plugin.Registry;
import dev.proxima.core.ppo.PpoConfig;
import dev.proxima.core.ppo.PpoConfigException;
import dev.proxima.core.ppo.Rollout;
import dev.proxima.core.run.Rng;
import dev.proxima.core.space.Box;
import dev.proxima.core.space.Space;
import dev.proxima.core.train.CollectorState;
import dev.proxima.core.train.RolloutCollector;
import dev.proxima.core.train.SamplingExecutor;
import java.io.PrintStream;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A worker JVM of a cluster run: connects to the learner, announces the envs it knows, and samples the env copies the
 * learner assigns it with each update's policy until the learner stops it. It runs the same application as the
 * learner (no code is sent): the env is looked up by id in the worker's {@link Registry} (every {@code EnvProvider} on
 * the class path, plus what {@link Builder#env} adds), and a custom network by its registered id.
 *
 * <pre>
 * java -cp app.jar dev.proxima.cluster.Worker --join 10.0.0.5:5701 --cluster myrun [--index 2] [--threads 4]
 * </pre>
 *
 * From an application's own {@code main} (after registering its envs), or from a command-line tool:
 *
 * <pre>{@code
 * int code = Worker.builder().args(args).env(myEnvSpec).run();   // blocks until the run ends
 * System.exit(code);
 * }</pre>
 *
 * Exit codes: {@value #EXIT_OK} the run ended; {@value #EXIT_ERROR} refused or failed (the message says why);
 * {@value #EXIT_CONNECT} no learner of that cluster name at that address; {@value #EXIT_LEARNER_LOST} the learner
 * went away; {@value #EXIT_USAGE} bad arguments.
 */
public final class Worker {
    public static final int EXIT_OK = 0;
    public static final int EXIT_ERROR = 1;
    public static final int EXIT_CONNECT = 2;
    public static final int EXIT_LEARNER_LOST = 3;
    public static final int EXIT_USAGE = 64;
    /** The cluster name when {@code --cluster} is not given. */
    public static final String DEFAULT_CLUSTER = "proxima";

    static final String USAGE = "usage: Worker --join HOST:PORT [--cluster NAME] [--index I] [--threads N]"
            + " [--connect-timeout SECONDS] [--verbose]";

    private Worker() {}

    /** Parses {@code args}, runs the worker, and exits the JVM with its exit code. */
    public static void main(String[] args) {
        System.exit(builder().args(args).run());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A worker's settings; {@link #run()} runs it on the calling thread. */
    public static final class Builder {
        private String join;
        private String cluster = DEFAULT_CLUSTER;
        private int index = -1;
        private int threads = 1;
        private Duration connectTimeout = Duration.ofSeconds(60);
        private Duration heartbeatTimeout = ClusterCollector.DEFAULT_HEARTBEAT_TIMEOUT;
        private Registry registry = Registry.global();
        private Transport transport = HazelcastTransport.create();
        private PrintStream err = System.err;
        private final List<String> usageProblems = new ArrayList<>();

        private Builder() {}

        /**
         * Reads command-line arguments: {@code --join HOST:PORT} (required), {@code --cluster NAME},
         * {@code --index I} (the slot to take; the learner's launcher passes it), {@code --threads N} (sampling
         * threads), {@code --connect-timeout SECONDS}, {@code --verbose} (Hazelcast's own log). Problems are reported
         * by {@link #run()}.
         */
        public Builder args(String... args) {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (a) {
                    case "--verbose" -> transport = HazelcastTransport.verbose();
                    case "--join", "--cluster", "--index", "--threads", "--connect-timeout" -> {
                        if (value == null) {
                            usageProblems.add(a + " needs a value");
                            continue;
                        }
                        i++;
                        try {
                            switch (a) {
                                case "--join" -> join(value);
                                case "--cluster" -> cluster(value);
                                case "--index" -> index(Integer.parseInt(value));
                                case "--threads" -> threads(Integer.parseInt(value));
                                default -> connectTimeout(Duration.ofSeconds(Long.parseLong(value)));
                            }
                        } catch (IllegalArgumentException e) {
                            usageProblems.add(a + " " + value + ": " + e.getMessage());
                        }
                    }
                    default -> usageProblems.add("unknown argument " + a);
                }
            }
            return this;
        }

        /** The learner's {@code host:port}. */
        public Builder join(String hostPort) {
            this.join = Objects.requireNonNull(hostPort, "hostPort");
            return this;
        }

        /** The run's cluster name (default {@value #DEFAULT_CLUSTER}); the learner refuses any other. */
        public Builder cluster(String name) {
            this.cluster = Objects.requireNonNull(name, "name");
            return this;
        }

        /** The slot to ask for (a replacement keeps its predecessor's); default: any free one. */
        public Builder index(int index) {
            if (index < 0) {
                throw new IllegalArgumentException("index must be >= 0");
            }
            this.index = index;
            return this;
        }

        /** Sampling threads over this worker's env copies (default 1); results do not depend on it. */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1");
            }
            this.threads = threads;
            return this;
        }

        /** How long to try reaching the learner (default 60 s). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** After how long without heartbeats the learner counts as gone (default 15 s). */
        public Builder heartbeatTimeout(Duration timeout) {
            this.heartbeatTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Adds an env to the registry the learner's env id is looked up in (e.g. a script's). */
        public Builder env(EnvSpec<?, ?> spec) {
            this.registry = registry.with(new Registry().register(spec));
            return this;
        }

        /** Looks envs and custom networks up in {@code registry} (default {@link Registry#global()}). */
        public Builder registry(Registry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** The transport (default {@link HazelcastTransport#create()}). */
        public Builder transport(Transport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /** Where the worker reports problems (default {@code System.err}). */
        public Builder errors(PrintStream err) {
            this.err = Objects.requireNonNull(err, "err");
            return this;
        }

        /** Runs the worker until the learner stops it; returns the exit code (see {@link Worker}). */
        public int run() {
            if (join == null) {
                usageProblems.add("--join HOST:PORT is required (the learner's address)");
            }
            if (!usageProblems.isEmpty()) {
                err.println("proxima worker: " + String.join("; ", usageProblems) + "\n" + USAGE);
                return EXIT_USAGE;
            }
            return new Loop(this).run();
        }
    }

    /** The worker's conversation with its learner. */
    private static final class Loop {
        private final Builder b;
        private Session session;

        Loop(Builder b) {
            this.b = b;
        }

        int run() {
            WorkerLink link;
            try {
                link = b.transport.connect(b.cluster, b.join, b.connectTimeout, b.heartbeatTimeout);
            } catch (RuntimeException e) {
                b.err.println("proxima worker: " + e.getMessage());
                return EXIT_CONNECT;
            }
            try (link) {
                return converse(link);
            }
        }

        /**
         * Hello, then assignments and rollouts until the learner ends the run. A send or receive that fails because the
         * learner is gone (Hazelcast's TargetDisconnectedException among others) is "learner lost", not an error.
         */
        private int converse(WorkerLink link) {
            try {
                return exchange(link);
            } catch (RuntimeException e) {
                if (!link.connected()) {
                    return learnerLost();
                }
                throw e;
            }
        }

        private int exchange(WorkerLink link) {
            try {
                link.send(new Messages.Hello(b.index, ProcessHandle.current().pid(), hostName(),
                        b.registry.envIds(), b.threads).encode());
                while (true) {
                    byte[] m;
                    try {
                        m = link.receive(500);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return EXIT_ERROR;
                    } catch (RuntimeException e) {
                        if (!link.connected()) {
                            return learnerLost();
                        }
                        throw e;
                    }
                    if (m == null) {
                        if (!link.connected()) {
                            return learnerLost();
                        }
                        continue;
                    }
                    Integer exit = handle(link, m);
                    if (exit != null) {
                        return exit;
                    }
                }
            } finally {
                if (session != null) {
                    session.close();
                }
            }
        }

        private int learnerLost() {
            b.err.println("proxima worker: the learner at " + b.join + " is gone (the run ended without telling, or"
                    + " the connection broke)");
            return EXIT_LEARNER_LOST;
        }

        /** Handles one message; returns an exit code to stop with, or {@code null} to go on. */
        private Integer handle(WorkerLink link, byte[] bytes) {
            Wire.Reader r;
            try {
                r = Messages.read(bytes);
            } catch (Wire.ProtocolException e) {
                b.err.println("proxima worker: ignored a message: " + e.getMessage());
                return null;
            }
            switch (r.type) {
                case Messages.ASSIGN -> {
                    Messages.Assign a = Messages.Assign.decode(r);
                    if (session != null) {
                        session.close();
                        session = null;
                    }
                    try {
                        session = new Session(a, b.registry, b.threads);
                    } catch (RuntimeException e) {
                        String msg = "worker " + a.index() + " cannot sample " + a.envId() + ": " + e.getMessage();
                        link.send(new Messages.Error(a.index(), a.generation(), msg).encode());
                        b.err.println("proxima worker: " + msg);
                        return EXIT_ERROR;
                    }
                    link.send(new Messages.Ready(a.index(), a.generation()).encode());
                    return null;
                }
                case Messages.SAMPLE -> {
                    Messages.Sample s = Messages.Sample.decode(r);
                    if (session == null) {
                        return null;
                    }
                    byte[] result;
                    try {
                        result = session.sample(s);
                    } catch (RuntimeException e) {
                        String msg = "worker " + session.a.index() + " failed sampling update " + s.update() + ": "
                                + e;
                        link.send(new Messages.Error(session.a.index(), session.a.generation(), msg).encode());
                        b.err.println("proxima worker: " + msg);
                        e.printStackTrace(b.err);
                        return EXIT_ERROR;
                    }
                    link.send(result);
                    return null;
                }
                case Messages.STOP -> {
                    Messages.Stop s = Messages.Stop.decode(r);
                    if (s.normal()) {
                        return EXIT_OK;
                    }
                    b.err.println("proxima worker: the learner stopped this worker: " + s.reason());
                    return EXIT_ERROR;
                }
                default -> {
                    return null;
                }
            }
        }

        private static String hostName() {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                return "unknown";
            }
        }
    }

    /**
     * The env copies of one assignment: a local collector over them (the same code as a single-JVM run, so the same
     * copy with the same seed, stream and θ_old gives the same transitions), its θ_old, and the slice buffers.
     */
    static final class Session implements AutoCloseable {
        /** Settings the worker does not take from the learner: its own slice size, and what only the update uses. */
        private static final Set<String> LOCAL = Set.of("numEnvs", "numMinibatches", "network");

        final Messages.Assign a;
        private final int n;
        private final RolloutCollector collector;
        private final ActorCritic theta;
        private final Rollout rollout;
        private final List<SyncVectorEnv.Episode> episodes = new ArrayList<>();
        private final SamplingExecutor sampling;
        private final ExecutorService pool;

        Session(Messages.Assign a, Registry registry, int threads) {
            this.a = a;
            this.n = a.to() - a.from();
            EnvSpec<?, ?> spec;
            try {
                spec = registry.spec(a.envId());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(e.getMessage() + " Register the env in the worker: an EnvProvider"
                        + " on its class path, Worker.builder().env(spec), or proxima worker --script FILE.", e);
            }
            PpoConfig.Builder cb = PpoConfig.builder().env(spec);
            a.params().forEach((k, v) -> {
                if (!LOCAL.contains(k)) {
                    cb.set(k, v);
                }
            });
            cb.numEnvs(n).numMinibatches(1).network(network(a.params().get("network"), registry));
            PpoConfig config;
            try {
                config = cb.build();
            } catch (PpoConfigException e) {
                throw new IllegalArgumentException("the learner's settings do not build here (another Proxima"
                        + " version?): " + e.getMessage(), e);
            }
            Rng[] rngs = new Rng[n];
            for (int i = 0; i < n; i++) {
                rngs[i] = Rng.fromState(a.actionRngs()[i]);
            }
            int workers = Math.min(threads, n);
            RolloutCollector c = RolloutCollector.local()
                    .open(new RolloutCollector.Setup(config, a.envSeeds().clone(), rngs, workers));
            try {
                // The sampling policy, built as the learner's run builds it (RunState).
                Space<?> actionSpace = c.actionSpace();
                int obsDim = c.observationSpace().flatDim();
                PolicyHead head = Heads.forActionSpace(actionSpace, config.headOptions());
                Box clipBox = config.clipAction() && config.continuousActions() == ContinuousActions.CLIP
                        && actionSpace instanceof Box box && box.isBounded() ? box : null;
                if (obsDim != a.obsDim() || head.policyDim() != a.policyDim() || head.logStdDim() != a.logStdDim()) {
                    throw new IllegalArgumentException("env " + a.envId() + " here has " + obsDim + " observation"
                            + " floats and " + head.policyDim() + " policy outputs, the learner's has " + a.obsDim()
                            + " and " + a.policyDim() + ": run the same version of the application everywhere");
                }
                ActorCritic net = config.network().create(obsDim, head.policyDim(), head.logStdDim(),
                        new SplittableRandom(0));
                if (net.numParams() != a.numParams()) {
                    throw new IllegalArgumentException("the network " + config.network() + " has " + net.numParams()
                            + " parameters here and " + a.numParams() + " on the learner");
                }
                c.bind(head, net, clipBox);
                if (c.maskDim() != a.maskDim()) {
                    throw new IllegalArgumentException("env " + a.envId() + " reports action masks of "
                            + c.maskDim() + " entries here and " + a.maskDim() + " on the learner");
                }
                NormalizerRecord obs = c.observationNormalizer()
                        .map(o -> NormalizerRecord.observations(a.obsStats(), o.epsilon(), o.clip())).orElse(null);
                NormalizerRecord rew = c.rewardNormalizer().map(r -> new NormalizerRecord(a.rewardStats(),
                        r.epsilon(), r.clip(), r.gamma(), a.rewardReturns())).orElse(null);
                c.restore(new CollectorState(a.actionRngs(), a.envSeeds(), a.started(), a.nextObs(), obs, rew,
                        a.episodeReturns(), a.episodeLengths(), a.envStates()), a.update());
                this.theta = net;
                this.rollout = new Rollout(config.numSteps(), n, obsDim, head.actionDim(), c.maskDim());
            } catch (RuntimeException e) {
                c.close();
                throw e;
            }
            this.collector = c;
            if (workers > 1) {
                pool = Executors.newFixedThreadPool(workers - 1, r -> {
                    Thread t = new Thread(r, "proxima-worker-sampler");
                    t.setDaemon(true);
                    return t;
                });
                sampling = SamplingExecutor.of(pool);
            } else {
                pool = null;
                sampling = SamplingExecutor.direct();
            }
        }

        private static NetworkFactory network(String text, Registry registry) {
            if (text == null) {
                return Network.DEFAULT;
            }
            try {
                return Network.parse(text);
            } catch (IllegalArgumentException e) {
                try {
                    return registry.network(text);
                } catch (RuntimeException notFound) {
                    throw new IllegalArgumentException("the learner trains the custom network \"" + text + "\";"
                            + " register it under that id in the worker too (Registry.registerNetwork or a"
                            + " NetworkProvider on its class path)", notFound);
                }
            }
        }

        /** Samples update {@code s.update()} with its policy and statistics; returns the encoded RESULT. */
        byte[] sample(Messages.Sample s) {
            if (s.params().length != theta.numParams()) {
                throw new IllegalArgumentException("the policy has " + s.params().length + " parameters, the network "
                        + theta.numParams());
            }
            System.arraycopy(s.params(), 0, theta.params(), 0, s.params().length);
            theta.syncParams();
            collector.sync(theta);
            RunningMeanStd obsDelta = publish(collector.observationNormalizer().map(ObservationNormalizer::stats)
                    .orElse(null), s.obsStats());
            RunningMeanStd rewardDelta = publish(collector.rewardNormalizer().map(RewardNormalizer::stats)
                    .orElse(null), s.rewardStats());
            episodes.clear();
            long t0 = System.nanoTime();
            collector.collect(rollout, s.update(), sampling, episodes);
            long sampleNanos = System.nanoTime() - t0;
            CollectorState st = collector.snapshot();
            int rows = rollout.size();
            double[] rewards = new double[rows];
            boolean[] terminated = new boolean[rows];
            boolean[] truncated = new boolean[rows];
            double[] finalValues = new double[rows];
            for (int row = 0; row < rows; row++) {
                rewards[row] = rollout.reward(row);
                terminated[row] = rollout.terminated(row);
                truncated[row] = rollout.truncated(row);
                finalValues[row] = rollout.finalValue(row);
            }
            double[] endedReturns = new double[episodes.size()];
            int[] endedLengths = new int[episodes.size()];
            for (int k = 0; k < episodes.size(); k++) {
                endedReturns[k] = episodes.get(k).ret();
                endedLengths[k] = episodes.get(k).length();
            }
            return new Messages.Result(a.index(), a.generation(), s.update(), sampleNanos, rollout.obsBuffer(),
                    rollout.actionBuffer(), rollout.logProbBuffer(), rollout.valueBuffer(), rewards, terminated,
                    truncated, finalValues, rollout.nextValueBuffer(), rollout.maskBuffer(), endedReturns,
                    endedLengths, st.actionRngs(), st.envSeeds(), st.started(), st.nextObs(), st.episodeReturns(),
                    st.episodeLengths(), st.envStates(), st.rewardNorm() == null ? null : st.rewardNorm().returns(),
                    st.obsNorm() == null ? null : st.obsNorm().stats(), state(obsDelta),
                    st.rewardNorm() == null ? null : st.rewardNorm().stats(), state(rewardDelta)).encode();
        }

        /**
         * Starts the rollout from the published statistics; returns an accumulator that sees every batch the local
         * statistics merge during the rollout (its pseudo-count, the smallest double, vanishes at the first merge).
         */
        private static RunningMeanStd publish(RunningMeanStd live, RunningMeanStd.State published) {
            if (live == null) {
                return null;
            }
            if (published != null) {
                live.restore(published);
            }
            RunningMeanStd delta = new RunningMeanStd(live.dim(), Double.MIN_VALUE);
            live.mirrorTo(delta);
            return delta;
        }

        private static RunningMeanStd.State state(RunningMeanStd delta) {
            return delta == null ? null : delta.state();
        }

        @Override
        public void close() {
            collector.close();
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }
}
