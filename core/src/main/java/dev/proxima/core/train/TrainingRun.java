package dev.proxima.core.train;

import dev.proxima.core.checkpoint.Checkpoints;
import dev.proxima.core.checkpoint.RunRecord;
import dev.proxima.core.env.ObservationNormalizer;
import dev.proxima.core.env.SyncVectorEnv;
import dev.proxima.core.nn.ActorCritic;
import dev.proxima.core.ppo.Agent;
import dev.proxima.core.ppo.PpoConfig;
import dev.proxima.core.ppo.PpoUpdate;
import dev.proxima.core.ppo.Rollout;
import dev.proxima.core.ppo.UpdateStats;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One training run of a {@link Trainer}: its env copies, networks and optimiser, and the PPO loop in the order of
 * {@code cleanrl/ppo.py}:
 *
 * <pre>
 * while updates remain and nobody asked to stop:
 *     1. collect      numSteps steps of every env copy with θ_old           (RolloutCollector)
 *     2. advantage    GAE(γ, λ), truncated episodes bootstrapped             (Rollout.computeAdvantages)
 *     3-4. update     updateEpochs × numMinibatches clipped-objective steps  (PpoUpdate)
 *     5. sync         θ_old ← θ for every sampling worker
 *     6. callbacks    listeners, evaluation, checkpoints, early stop
 * </pre>
 *
 * A handle for what {@link Trainer#train} hides:
 * <ul>
 *   <li>{@link #agent()} is the policy after the last completed update, at any time, also while training runs on
 *       another thread and after a cancellation or a failure;</li>
 *   <li>{@link #stop()} ends training after the current update with a normal result; training again continues the
 *       run (its state is always that of a whole number of updates);</li>
 *   <li>{@link #save(Path)} writes a training checkpoint that {@link Trainer#resume} continues exactly.</li>
 * </ul>
 * Close the run to release its env copies (and the sampling threads it started); when all updates are done, or an
 * early stop ended the run, they are released at once. One training call at a time.
 */
public final class TrainingRun implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.proxima");
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final Trainer trainer;
    private final RunState state;
    private final List<Callback> callbacks = new ArrayList<>();
    /** Held for one update and its callbacks, and by {@link #save}: checkpoints see whole updates only. */
    private final ReentrantLock lock = new ReentrantLock();
    private final List<UpdateStats> history = new ArrayList<>();
    private final List<SyncVectorEnv.Episode> episodes = new ArrayList<>();
    private final SamplingExecutor sampling;
    private final ExecutorService ownPool;

    /** θ and the observation statistics after the last completed update, for {@link #agent()}. */
    private final Object policyLock = new Object();
    private final ActorCritic policyNet;
    private final ObservationNormalizer policyObsNorm;
    private Agent policyAgent;

    private volatile boolean stopRequested;
    private volatile String stopReason;
    private volatile boolean training;
    private volatile boolean done;
    private volatile boolean earlyStopped;
    private volatile Throwable failure;
    private boolean closed;
    private boolean released;
    private boolean warnedNoEpisode;
    private long episodesEnded;
    /**
     * After the run finished and its env copies were released: the parts of what {@link #save} writes that need them.
     * The rest (the agent's record, the config's JSON form, the optimiser's moments) is taken when a save asks for it:
     * a run that is not saved does not pay for it when it ends (about 10 ms in a fresh JVM, most of it the config's
     * JSON round trip).
     */
    private CollectorState finalCollector;
    private ObservationNormalizer finalObsNorm;
    private CompletableFuture<TrainingResult> stopped;

    TrainingRun(Trainer trainer, RunState state, RunRecord resumedFrom) {
        this.trainer = trainer;
        this.state = state;
        for (Callback c : trainer.callbacks()) {
            callbacks.add(c.copy());
        }
        if (trainer.sampling() != null) {
            sampling = trainer.sampling();
            ownPool = null;
        } else if (trainer.pool() != null) {
            sampling = SamplingExecutor.of(trainer.pool());
            ownPool = null;
        } else if (state.collector.samplingWorkers() > 1) {
            ownPool = Executors.newFixedThreadPool(state.collector.samplingWorkers() - 1, r -> {
                Thread t = new Thread(r, "proxima-sampler-" + THREADS.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            sampling = SamplingExecutor.of(ownPool);
        } else {
            sampling = SamplingExecutor.direct();
            ownPool = null;
        }
        this.policyNet = state.theta.copy();
        this.policyObsNorm = state.collector.observationNormalizer()
                .map(n -> new ObservationNormalizer(n.dim(), n.epsilon(), n.clip())).orElse(null);
        if (resumedFrom != null) {
            for (Callback c : callbacks) {
                Map<String, Double> s = c.stateKey() == null ? null : resumedFrom.callbackState().get(c.stateKey());
                if (s != null) {
                    c.restoreState(s);
                }
            }
            if (!resumedFrom.envsResumable() && resumedFrom.update() > 0) {
                String env = state.collector.unsnapshottableEnv();
                warn("resuming " + state.config.env().id() + " at update " + resumedFrom.update() + ": the env copies"
                        + (env != null ? " (" + env + " cannot be snapshotted)" : "") + " were not saved, so they"
                        + " start new episodes from seeds derived from the update reached. Training continues, but"
                        + " not bit for bit as the uninterrupted run would have.");
            }
        }
        snapshotPolicy();
        if (state.finished()) {
            done = true;
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Training

    /**
     * Trains until every update is done, an early stop or {@link #stop()} ends the run, or the calling thread is
     * interrupted (which, like {@code stop()}, takes effect after the update in progress and leaves the interrupt
     * flag set). Returns {@link #result()}.
     *
     * @throws IllegalStateException if the run is closed, training already, or failed earlier
     */
    public TrainingResult train() {
        trainUpdates(Integer.MAX_VALUE);
        return result();
    }

    /**
     * As {@link #train()}, but returns after at most {@code updates} more updates, with their statistics (e.g. to train
     * in slices between which the caller looks at the run; empty when the run is finished or was stopped).
     * {@link #result()} covers every update this run object completed.
     */
    public List<UpdateStats> trainUpdates(int updates) {
        if (updates < 0) {
            throw new IllegalArgumentException("updates = " + updates + " must be >= 0");
        }
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("this run is closed");
            }
            if (training) {
                throw new IllegalStateException("this run is already training; train a run from one thread at a"
                        + " time");
            }
            if (failure != null) {
                throw new IllegalStateException("this run failed earlier (" + failure + "); its state is not that of"
                        + " a whole update. Resume from a checkpoint instead.", failure);
            }
            training = true;
            if (stopped == null || stopped.isDone()) {
                stopped = new CompletableFuture<>();
            }
        }
        long startNanos = System.nanoTime();
        long stepsAtStart = state.globalStep;
        Throwable thrown = null;
        int ran = 0;
        List<UpdateStats> ranStats = new ArrayList<>();
        try {
            while (ran < updates && !done && !stopRequested && !Thread.currentThread().isInterrupted()) {
                ran++;
                lock.lock();
                try {
                    UpdateStats stats;
                    try {
                        stats = runUpdate(startNanos, stepsAtStart);
                    } catch (RolloutException e) {
                        // The collector gave up before the run changed: it is still that of its last update.
                        saveBeforeFailing(e);
                        throw e;
                    } catch (RuntimeException | Error e) {
                        // The update stopped half way: θ, the optimiser and the env copies are no longer those of a
                        // whole update. agent() keeps the last completed update's policy.
                        failure = e;
                        throw e;
                    }
                    synchronized (history) {
                        history.add(stats);
                    }
                    ranStats.add(stats);
                    snapshotPolicy();
                    if (state.finished()) {
                        done = true;
                    }
                    // A failing callback (a full disk while checkpointing) ends this call, but the run stays whole:
                    // it can be saved, and trained again.
                    afterUpdate(stats);
                } finally {
                    lock.unlock();
                }
            }
            if (done) {
                release();
            }
            return ranStats;
        } catch (RuntimeException | Error e) {
            thrown = e;
            throw e;
        } finally {
            CompletableFuture<TrainingResult> signal;
            synchronized (this) {
                training = false;
                stopRequested = false; // a stop ends one call; the next call trains again
                signal = stopped;
                if (closed) {
                    releaseResources();
                }
            }
            if (thrown != null) {
                signal.completeExceptionally(thrown);
            } else {
                signal.complete(result());
            }
        }
    }

    /** One update: the loop's body. */
    private UpdateStats runUpdate(long startNanos, long stepsAtStart) {
        RunState s = state;
        PpoConfig c = s.config;
        int update = s.updatesDone + 1;
        long t0 = System.nanoTime();
        episodes.clear();
        Rollout rollout = s.collector.collect(s.rollout, update, sampling, episodes);    // 1. rollout with θ_old
        rollout.computeAdvantages(c.gamma(), c.gaeLambda(), c.bootstrapTruncated());     // 2. GAE(γ, λ)
        PpoUpdate.Result r = s.update.run(rollout, update, s.numUpdates, s.shuffleRng);   // 3-4. clipped objective
        s.collector.sync(s.theta);                                                       // 5. θ_old ← θ
        s.updatesDone = update;
        s.globalStep += rollout.size(); // batchSize, or fewer rows when remote workers failed
        long now = System.nanoTime();
        s.seconds += (now - t0) / 1e9;

        Map<String, Double> m = new LinkedHashMap<>(r.metrics());
        double seconds = (now - startNanos) / 1e9;
        m.put(UpdateStats.SPS, Math.floor((s.globalStep - stepsAtStart) / Math.max(seconds, 1e-9)));
        double ret = Double.NaN;
        double len = Double.NaN;
        if (!episodes.isEmpty()) {
            ret = 0;
            len = 0;
            for (SyncVectorEnv.Episode e : episodes) {
                ret += e.ret();
                len += e.length();
            }
            ret /= episodes.size();
            len /= episodes.size();
        }
        m.put(UpdateStats.EPISODIC_RETURN, ret);
        m.put(UpdateStats.EPISODIC_LENGTH, len);
        m.putAll(s.collector.metrics());
        episodesEnded += episodes.size();
        return new UpdateStats(update, s.globalStep, ret, len, episodes.size(), r.epochsRun(), m);
    }

    /** The callbacks, in order, then the no-episode warning. */
    private void afterUpdate(UpdateStats stats) {
        Event event = new Event(stats);
        for (Callback c : callbacks) {
            c.onUpdate(event);
        }
        long limit = trainer.warnNoEpisodeAfter();
        if (!warnedNoEpisode && limit > 0 && episodesEnded == 0 && state.globalStep >= limit) {
            warnedNoEpisode = true;
            warn(String.format(java.util.Locale.ROOT, "no episode of %s has ended in the first %,d env steps, so"
                    + " charts/episodic_return is NaN. Does the env end its episodes? Give it a time limit"
                    + " (EnvSpec maxEpisodeSteps) or check its termination.", state.config.env().id(),
                    state.globalStep));
        }
    }

    /**
     * {@link #train()} on the trainer's async executor (default: a new thread). {@code cancel(true)} on the future
     * stops training after the current update; {@link #agent()} then gives the policy of the updates that completed,
     * and {@link #whenStopped()} tells when the update in progress has finished.
     */
    public CompletableFuture<TrainingResult> trainAsync() {
        return trainAsync(false);
    }

    CompletableFuture<TrainingResult> trainAsync(boolean closeWhenDone) {
        CompletableFuture<TrainingResult> f = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                stop("cancelled");
                return super.cancel(mayInterruptIfRunning);
            }
        };
        Runnable task = () -> {
            try {
                f.complete(train());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            } finally {
                if (closeWhenDone) {
                    close();
                }
            }
        };
        if (trainer.asyncExecutor() != null) {
            trainer.asyncExecutor().execute(task);
        } else {
            Thread t = new Thread(task, "proxima-train-" + THREADS.incrementAndGet());
            t.start();
        }
        return f;
    }

    /**
     * Ends the training call in progress after the current update, with a normal result; called between training calls,
     * the next call returns at once. Training again afterwards continues the run.
     */
    public void stop() {
        stop("stopped");
    }

    private void stop(String reason) {
        stopReason = reason;
        stopRequested = true;
    }

    /**
     * Completes with {@link #result()} when the training call in progress has ended (normally, by {@link #stop}, by an
     * early stop, by cancellation or by an exception), or at once if none is running.
     */
    public synchronized CompletableFuture<TrainingResult> whenStopped() {
        if (training && stopped != null) {
            return stopped.copy();
        }
        return failure != null ? CompletableFuture.failedFuture(failure) : CompletableFuture.completedFuture(result());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Reading the run

    /**
     * The policy after the last completed update (before the first: the initial policy, or the checkpoint's); the
     * same instance until the next update. Like every {@link Agent}, not thread-safe.
     */
    public Agent agent() {
        synchronized (policyLock) {
            if (policyAgent == null) {
                ActorCritic net = policyNet.copy();
                net.syncParams();
                policyAgent = new Agent(state.config.env(), net, state.head, policyObsNorm, state.clipBox,
                        state.config.network(), state.agentMetadata());
            }
            return policyAgent;
        }
    }

    /** The agent, and the statistics of every update this run object completed, over all its training calls. */
    public TrainingResult result() {
        List<UpdateStats> updates;
        synchronized (history) {
            updates = List.copyOf(history);
        }
        return new TrainingResult(agent(), updates, state.seconds, earlyStopped ? stopReason : null);
    }

    public PpoConfig config() { return state.config; }
    /** The run's budget in env steps. */
    public long totalSteps() { return state.totalSteps; }
    public int numUpdates() { return state.numUpdates; }
    /** Updates completed (a resumed run counts those before its checkpoint too). */
    public int updatesDone() { return state.updatesDone; }
    public long globalStep() { return state.globalStep; }
    /** Whether every update ran, or an early stop ended the run. */
    public boolean isFinished() { return done; }
    /** Whether an {@link EarlyStop} (or a callback's {@code stop}) ended the run. */
    public boolean stoppedEarly() { return earlyStopped; }
    /** Why training last stopped before its end ({@code stopped}, {@code cancelled}, an early stop), if it did. */
    public Optional<String> stopReason() { return Optional.ofNullable(stopReason); }
    /** Sampling workers per rollout step. */
    public int workers() { return state.collector.samplingWorkers(); }

    /**
     * Writes a training checkpoint of the run between updates (atomically): weights, optimiser, random streams,
     * normaliser statistics, loss-term and callback state, and the env copies where they can be snapshotted. While
     * another thread trains, waits for the current update to end.
     */
    public void save(Path file) throws IOException {
        lock.lock();
        try {
            Checkpoints.write(snapshot(), file);
        } finally {
            lock.unlock();
        }
    }

    /** Saves the run where a {@link RolloutException} asks, before it reaches the caller. */
    private void saveBeforeFailing(RolloutException e) {
        Path file = e.checkpoint().orElse(null);
        if (file == null) {
            return;
        }
        try {
            Checkpoints.write(snapshot(), file);
            e.saved(file);
        } catch (IOException | RuntimeException io) {
            e.addSuppressed(io);
        }
    }

    private RunRecord snapshot() {
        if (closed && finalCollector == null) {
            throw new IllegalStateException("this run is closed; save before closing it");
        }
        if (failure != null) {
            throw new IllegalStateException("this run failed (" + failure + "); its state is not that of a whole"
                    + " update, so it cannot be checkpointed", failure);
        }
        Map<String, Map<String, Double>> cb = new LinkedHashMap<>();
        for (Callback c : callbacks) {
            if (c.stateKey() != null) {
                cb.put(c.stateKey(), new LinkedHashMap<>(c.state()));
            }
        }
        return finalCollector == null ? state.snapshot(cb)
                : state.snapshot(cb, state.agentRecord(finalObsNorm), finalCollector);
    }

    /** Releases the env copies and the sampling threads; the agent, the result and {@link #save} stay available. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (training) {
                stop("closed");
                return; // the training thread releases when it ends
            }
        }
        releaseResources();
    }

    private void release() {
        lock.lock();
        try {
            if (finalCollector == null && failure == null) {
                finalCollector = state.collector.snapshot();
                finalObsNorm = state.collector.observationNormalizer().orElse(null);
            }
        } finally {
            lock.unlock();
        }
        releaseResources();
    }

    private synchronized void releaseResources() {
        if (released) {
            return;
        }
        released = true;
        state.close();
        if (ownPool != null) {
            ownPool.shutdownNow();
        }
    }

    private void snapshotPolicy() {
        synchronized (policyLock) {
            System.arraycopy(state.theta.params(), 0, policyNet.params(), 0, policyNet.numParams());
            ObservationNormalizer live = state.collector.observationNormalizer().orElse(null);
            if (live != null) {
                policyObsNorm.stats().copyFrom(live.stats());
            }
            policyAgent = null;
        }
    }

    private void warn(String message) {
        LOG.log(System.Logger.Level.WARNING, message);
        for (Callback c : callbacks) {
            c.onWarning(message);
        }
    }

    /** What the callbacks see after one update. */
    private final class Event implements UpdateEvent {
        private final UpdateStats stats;
        private Evaluation evaluation;

        Event(UpdateStats stats) {
            this.stats = stats;
        }

        @Override public UpdateStats stats() { return stats; }
        @Override public int numUpdates() { return state.numUpdates; }
        @Override public PpoConfig config() { return state.config; }
        @Override public Agent agent() { return TrainingRun.this.agent(); }

        @Override
        public void save(Path file) throws IOException {
            TrainingRun.this.save(file);
        }

        @Override
        public void stop(String reason) {
            earlyStopped = true;
            done = true;
            stopReason = reason;
        }

        @Override
        public Optional<Evaluation> evaluation() {
            return Optional.ofNullable(evaluation);
        }

        @Override
        public void publish(Evaluation evaluation) {
            this.evaluation = evaluation;
        }

        @Override
        public void warn(String message) {
            TrainingRun.this.warn(message);
        }
    }
}
