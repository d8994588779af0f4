package dev.proxima.core.train;

import dev.proxima.core.checkpoint.Checkpoints;
import dev.proxima.core.checkpoint.RunRecord;
import dev.proxima.core.ppo.PpoConfig;
import dev.proxima.core.ppo.PpoConfigException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

/**
 * Trains a {@link PpoConfig}: the one PPO loop of Proxima (collect → advantage → update → sync old policy →
 * callbacks, see {@link TrainingRun}), with parallel sampling and callbacks, blocking or asynchronous. The DSL, the
 * command line and the benchmarks all drive this class.
 *
 * <pre>{@code
 * Trainer trainer = Trainer.builder(config)
 *         .workers(2)                                            // sampling threads; same results for any count
 *         .optimiserThreads(2)                                   // minibatch and Adam threads; same results too
 *         .callback(Evaluate.every(10).episodes(10).saveBest(dir.resolve("best.safetensors")))
 *         .callback(EarlyStop.onEvaluation())                    // at the env's reward threshold
 *         .callback(Checkpoint.every(5).to(dir))
 *         .onUpdate(stats -> System.out.println(stats.episodicReturn()))
 *         .build();                                              // throws PpoConfigException listing every problem
 * TrainingResult result = trainer.train(100_000);               // blocking; or trainAsync, or start(...) for a handle
 * TrainingResult more = trainer.resume(dir.resolve("update-000010.safetensors")).train();   // in a new process
 * }</pre>
 *
 * <p>A trainer is immutable and can run any number of times, also concurrently: every run gets its own copies of the
 * loss terms and of the callbacks that have state.
 */
public final class Trainer {
    /** The budget when none is given: 100,000 env steps. */
    public static final long DEFAULT_TOTAL_STEPS = 100_000;
    /** Warn when no episode has ended after this many env steps (the default of {@link Builder#warnNoEpisodeAfter}). */
    public static final long DEFAULT_WARN_NO_EPISODE_AFTER = 100_000;

    private final PpoConfig config;
    private final int workers;
    private final int optimiserThreads;
    private final long totalSteps;
    private final List<Callback> callbacks;
    private final SamplingExecutor sampling;
    private final ExecutorService pool;
    private final Executor asyncExecutor;
    private final long warnNoEpisodeAfter;
    private final RolloutCollector.Factory collectors;
    private final Builder origin;

    private Trainer(Builder b) {
        this.config = b.config;
        this.workers = b.workers;
        this.optimiserThreads = b.optimiserThreads;
        this.totalSteps = b.totalSteps;
        this.callbacks = List.copyOf(b.callbacks);
        this.sampling = b.sampling;
        this.pool = b.pool;
        this.asyncExecutor = b.asyncExecutor;
        this.warnNoEpisodeAfter = b.warnNoEpisodeAfter;
        this.collectors = b.collectors;
        this.origin = b.copy();
    }

    /** A builder for a trainer of {@code config}. */
    public static Builder builder(PpoConfig config) {
        return new Builder(config);
    }

    /** A trainer of {@code config} with the default settings: one sampling worker, no callbacks. */
    public static Trainer of(PpoConfig config) {
        return builder(config).build();
    }

    /** A builder with this trainer's settings, e.g. {@code trainer.toBuilder().config(otherSeed).build()}. */
    public Builder toBuilder() {
        return origin.copy();
    }

    public PpoConfig config() { return config; }
    /** Sampling workers per rollout step. */
    public int workers() { return workers; }
    /** Threads of each minibatch's forward/backward and of Adam's update. */
    public int optimiserThreads() { return optimiserThreads; }
    /** The budget of {@link #start()}, {@link #train()} and {@link #trainAsync()}, in env steps. */
    public long totalSteps() { return totalSteps; }
    /** The callbacks, in the order they run after every update. */
    public List<Callback> callbacks() { return callbacks; }
    long warnNoEpisodeAfter() { return warnNoEpisodeAfter; }
    /** Where each run's rollouts come from (default {@link RolloutCollector#local()}). */
    public RolloutCollector.Factory collector() { return collectors; }
    SamplingExecutor sampling() { return sampling; }
    ExecutorService pool() { return pool; }
    Executor asyncExecutor() { return asyncExecutor; }

    /** A new run of {@link #totalSteps()} env steps, ready to train (its env copies are made). */
    public TrainingRun start() {
        return start(totalSteps);
    }

    /** A new run of {@code totalSteps} env steps ({@code totalSteps / batchSize} updates, at least one). */
    public TrainingRun start(long totalSteps) {
        RunState state = RunState.create(config, totalSteps, workers, collectors);
        withOptimiserThreads(state);
        return new TrainingRun(this, state, null);
    }

    /**
     * The run of a training checkpoint (written by {@link Checkpoint}, {@link TrainingRun#save} or {@code proxima
     * train}), with the budget it was started with: training it continues exactly the run that was interrupted. This
     * trainer's configuration must be the checkpoint's (the error lists every difference).
     */
    public TrainingRun resume(Path checkpoint) throws IOException {
        return resume(checkpoint, 0);
    }

    /**
     * As {@link #resume(Path)} with another budget ({@code totalSteps > 0}); the learning-rate annealing then follows
     * the new number of updates, so the run differs from one started with that budget.
     */
    public TrainingRun resume(Path checkpoint, long totalSteps) throws IOException {
        RunRecord record = Checkpoints.readRun(checkpoint);
        RunState state = RunState.restore(config, record, workers, totalSteps, checkpoint, collectors);
        withOptimiserThreads(state);
        return new TrainingRun(this, state, record);
    }

    private void withOptimiserThreads(RunState state) {
        try {
            state.optimiserThreads(optimiserThreads);
        } catch (RuntimeException | Error e) {
            state.close();
            throw e;
        }
    }

    /** Trains a new run of {@link #totalSteps()} env steps to its end (or an early stop) and returns the result. */
    public TrainingResult train() {
        return train(totalSteps);
    }

    /** Trains a new run of {@code totalSteps} env steps, blocking the calling thread. */
    public TrainingResult train(long totalSteps) {
        try (TrainingRun run = start(totalSteps)) {
            return run.train();
        }
    }

    /** {@link #train(long)} on another thread; {@code cancel(true)} on the future stops after the current update. */
    public CompletableFuture<TrainingResult> trainAsync(long totalSteps) {
        TrainingRun run;
        try {
            run = start(totalSteps);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return run.trainAsync(true);
    }

    /** {@link #trainAsync(long)} with {@link #totalSteps()}. */
    public CompletableFuture<TrainingResult> trainAsync() {
        return trainAsync(totalSteps);
    }

    @Override
    public String toString() {
        return "Trainer(workers=" + workers + ", optimiserThreads=" + optimiserThreads + ", totalSteps=" + totalSteps + ", callbacks=" + callbacks
                + (collectors == RolloutCollector.local() ? "" : ", collector=" + collectors) + ", " + config + ")";
    }

    /**
     * Collects a trainer's settings; {@link #build()} checks them all at once and throws one
     * {@link PpoConfigException} listing every problem, like the configuration's own builder.
     */
    public static final class Builder {
        private PpoConfig config;
        private int workers = 1;
        private int optimiserThreads = 1;
        private long totalSteps = DEFAULT_TOTAL_STEPS;
        private final List<Callback> callbacks = new ArrayList<>();
        private SamplingExecutor sampling;
        private ExecutorService pool;
        private Executor asyncExecutor;
        private long warnNoEpisodeAfter = DEFAULT_WARN_NO_EPISODE_AFTER;
        private RolloutCollector.Factory collectors = RolloutCollector.local();

        private Builder(PpoConfig config) {
            this.config = config;
        }

        private Builder copy() {
            Builder b = new Builder(config);
            b.workers = workers;
            b.optimiserThreads = optimiserThreads;
            b.totalSteps = totalSteps;
            b.callbacks.addAll(callbacks);
            b.sampling = sampling;
            b.pool = pool;
            b.asyncExecutor = asyncExecutor;
            b.warnNoEpisodeAfter = warnNoEpisodeAfter;
            b.collectors = collectors;
            return b;
        }

        /** Replaces the configuration (e.g. another seed), keeping every other setting and callback. */
        public Builder config(PpoConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * Sampling workers per rollout step (default 1), in {@code [1, numEnvs]}, each stepping a contiguous slice of
         * the env copies after one batched inference. More workers pay off when env steps are slow (physics,
         * simulators, I/O); results do not depend on the number. Without an {@link #executor}, a run with more than
         * one worker starts {@code workers - 1} daemon threads for its lifetime.
         */
        public Builder workers(int workers) {
            this.workers = workers;
            return this;
        }

        /**
         * Threads of the optimisation (default 1). With 2 and separate actor and critic networks, the actor's
         * forward and backward passes run on one thread and the critic's on the other; otherwise each minibatch's
         * passes are split over them by rows (the weight gradient by its rows, each summed over the minibatch in
         * the same order). Adam's update and the gradient norm's fixed blocks are split too. Results are
         * bit-identical for any number. On idle cores 2 threads make a minibatch step of CleanRL's 64-64 CartPole
         * networks 1.6-1.9× faster (128-512 rows) and CartPole training about 1.45× once the JIT has compiled the
         * update (BENCHMARKS.md, "Speed"; a fresh JVM's first updates are slower with 2, whose second core the
         * compiler needs), wide networks about 1.8-2×; on a busy machine they gain less. A run with more than one
         * starts {@code n - 1} daemon threads for its lifetime, which spin briefly between minibatches and sleep while
         * the run samples.
         */
        public Builder optimiserThreads(int n) {
            this.optimiserThreads = n;
            return this;
        }

        /** Runs the sampling workers on {@code pool} (which Proxima does not shut down). */
        public Builder executor(ExecutorService pool) {
            this.pool = Objects.requireNonNull(pool, "pool");
            this.sampling = null;
            return this;
        }

        /** Runs the sampling workers with {@code executor} (e.g. the DSL's coroutine adapter). */
        public Builder samplingExecutor(SamplingExecutor executor) {
            this.sampling = Objects.requireNonNull(executor, "executor");
            this.pool = null;
            return this;
        }

        /**
         * Where the rollouts come from (default {@link RolloutCollector#local()}: the env copies in this process).
         * The {@code proxima-cluster} module's {@code ClusterCollector} has them stepped by worker JVMs.
         */
        public Builder collector(RolloutCollector.Factory collectors) {
            this.collectors = Objects.requireNonNull(collectors, "collectors");
            return this;
        }

        /** Where {@code trainAsync} runs training (default: a new thread per run). */
        public Builder asyncExecutor(Executor executor) {
            this.asyncExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** The budget of {@code start()}, {@code train()} and {@code trainAsync()} (default 100,000 env steps). */
        public Builder totalSteps(long steps) {
            this.totalSteps = steps;
            return this;
        }

        /** Adds a callback; callbacks run after every update in the order they were added. */
        public Builder callback(Callback callback) {
            callbacks.add(Objects.requireNonNull(callback, "callback"));
            return this;
        }

        /** Adds a listener that sees every update's statistics (as a callback, in order with the others). */
        public Builder onUpdate(UpdateListener listener) {
            Objects.requireNonNull(listener, "listener");
            return callback(new ListenerCallback(listener));
        }

        /**
         * Warns (through the callbacks' {@link Callback#onWarning} and the platform logger) when no episode has ended
         * after this many env steps (default 100,000; 0 never warns): the env may lack a time limit.
         */
        public Builder warnNoEpisodeAfter(long steps) {
            this.warnNoEpisodeAfter = steps;
            return this;
        }

        /** The trainer; throws {@link PpoConfigException} listing every problem with the settings. */
        public Trainer build() {
            if (config == null) {
                throw new PpoConfigException(List.of("config is null: give the PpoConfig to train."));
            }
            List<String> p = problems();
            if (!p.isEmpty()) {
                throw new PpoConfigException(p);
            }
            return new Trainer(this);
        }

        /**
         * Every problem with these settings, without building; the checks that need the configuration are skipped
         * while it is not set (the DSL reports these with the configuration's own problems).
         */
        public List<String> problems() {
            List<String> p = new ArrayList<>();
            if (workers < 1) {
                p.add("workers = " + workers + " must be at least 1 (one sampling worker).");
            } else if (config != null && workers > config.numEnvs()) {
                p.add("workers = " + workers + " must not exceed numEnvs = " + config.numEnvs() + ": each worker"
                        + " steps at least one env copy. Use workers(" + config.numEnvs() + ") or more env copies.");
            }
            if (optimiserThreads < 1) {
                p.add("optimiserThreads = " + optimiserThreads + " must be at least 1 (the training thread alone);"
                        + " use optimiserThreads(1), or up to the number of cores ("
                        + Runtime.getRuntime().availableProcessors() + " here).");
            }
            if (totalSteps < 1) {
                p.add("totalSteps = " + totalSteps + " must be at least 1 env step (default " + DEFAULT_TOTAL_STEPS
                        + ").");
            } else if (config != null) {
                try {
                    config.numUpdates(totalSteps);
                } catch (IllegalArgumentException e) {
                    p.add(e.getMessage());
                }
            }
            if (warnNoEpisodeAfter < 0) {
                p.add("warnNoEpisodeAfter = " + warnNoEpisodeAfter + " must be >= 0 (0: never warn).");
            }
            boolean evaluates = false;
            java.util.Set<String> keys = new java.util.HashSet<>();
            for (Callback c : callbacks) {
                if (c instanceof Evaluate) {
                    evaluates = true;
                }
                if (c.stateKey() != null && !keys.add(c.stateKey())) {
                    p.add(c + ": another callback saves its state under \"" + c.stateKey() + "\" too; give each its"
                            + " own key (Evaluate.key(...)).");
                }
                if (c instanceof EarlyStop s) {
                    if (s.on() == EarlyStop.On.EVALUATION && !evaluates) {
                        p.add(s + " needs evaluations: add Evaluate.every(...) before it, or stop on the training"
                                + " return with EarlyStop.onEpisodicReturn(...).");
                    }
                    if (config != null && Double.isNaN(s.threshold()) && config.env().rewardThreshold().isEmpty()) {
                        p.add(s + ": env " + config.env().id() + " has no reward threshold. Give one, e.g."
                                + " EarlyStop.onEvaluation(200).");
                    }
                }
                if (c instanceof Checkpoint k && !k.hasDestination()) {
                    p.add(k + " has no destination: add .to(dir) or .file(path).");
                }
            }
            return p;
        }
    }

    /** An {@link UpdateListener} as a callback. */
    private record ListenerCallback(UpdateListener listener) implements Callback {
        @Override
        public void onUpdate(UpdateEvent event) {
            listener.onUpdate(event.stats());
        }

        @Override
        public String toString() {
            return "onUpdate(" + listener + ")";
        }
    }
}
