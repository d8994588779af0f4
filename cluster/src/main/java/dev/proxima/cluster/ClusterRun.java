package dev.proxima.cluster;

import dev.proxima.cluster.transport.LearnerLink;
import dev.proxima.core.checkpoint.NormalizerRecord;
import dev.proxima.core.dist.PolicyHead;
import dev.proxima.core.env.ActionMasked;
import dev.proxima.core.env.Env;
import dev.proxima.core.env.ObservationNormalizer;
import dev.proxima.core.env.RewardNormalizer;
import dev.proxima.core.env.RunningMeanStd;
import dev.proxima.core.env.SyncVectorEnv;
import dev.proxima.core.nn.ActorCritic;
import dev.proxima.core.ppo.Param;
import dev.proxima.core.ppo.Params;
import dev.proxima.core.ppo.PpoConfig;
import dev.proxima.core.ppo.Rollout;
import dev.proxima.core.space.Box;
import dev.proxima.core.space.Space;
import dev.proxima.core.train.CollectorState;
import dev.proxima.core.train.RolloutCollector;
import dev.proxima.core.train.RolloutException;
import dev.proxima.core.train.SamplingExecutor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The learner's side of one cluster run: a {@link RolloutCollector} whose env copies live in worker JVMs. Everything
 * runs on the training thread (the transport's lost-connection callback only queues the worker's id), and every wait
 * is bounded by a deadline, so a failing worker can delay an update but never hang it.
 *
 * <p>The learner keeps the collector state of every env copy (action stream, seed, next observation, running episode,
 * env snapshot, reward return) as of the last update that copy's worker completed: checkpoints are those of a whole
 * update even when workers fail, and a replacement worker continues its slot's copies from there.
 */
final class ClusterRun implements RolloutCollector {
    private static final System.Logger LOG = System.getLogger("dev.proxima.cluster");
    private static final long POLL_MILLIS = 100;

    private enum State {
        /** Waiting for the slot's first worker to join. */
        WAITING,
        /** Assigned, waiting for READY. */
        JOINING,
        ACTIVE,
        /** Failed; a replacement is launched at {@code launchAt} (or awaited, without a launcher). */
        RESTARTING,
        /** Failed for good. */
        DEAD
    }

    private final class Slot {
        final int index;
        final int from;
        final int to;
        State state = State.WAITING;
        String worker;
        int generation;
        long pid = -1;
        String host = "";
        WorkerLauncher.Handle handle;
        boolean launched;
        long launchAt;
        long joinDeadline = Long.MAX_VALUE;
        int attempts;
        /** Why its latest worker failed, for the run's error. */
        String lastCause;
        Messages.Result result;
        long resultBytes;
        long receivedAt;

        Slot(int index, int from, int to) {
            this.index = index;
            this.from = from;
            this.to = to;
        }

        int n() {
            return to - from;
        }

        String describe() {
            return "worker " + index + (pid > 0 ? " (pid " + pid + (host.isEmpty() ? "" : " on " + host) + ")" : "");
        }
    }

    private final ClusterCollector settings;
    private final PpoConfig config;
    private final int numEnvs;
    private final int numSteps;
    private final int obsDim;
    private final int minWorkers;
    private final Space<?> observationSpace;
    private final Space<?> actionSpace;
    private final boolean envMasks;
    private final Map<String, String> params;
    private final Slot[] slots;
    private final Map<String, Slot> byWorker = new HashMap<>();
    private final ConcurrentLinkedQueue<String> lost = new ConcurrentLinkedQueue<>();
    private final LearnerLink link;

    // The collector state of every env copy, as of the last update its worker completed.
    private final long[] actionRngs;
    private final long[] envSeeds;
    private final boolean[] copyStarted;
    private final float[] nextObs;
    private final double[] episodeReturns;
    private final long[] episodeLengths;
    private final long[][][] envStates;
    private final ObservationNormalizer obsNorm;
    private final RewardNormalizer rewardNorm;
    /** The update the copies' state belongs to (restored or last collected). */
    private int reachedUpdate;

    private PolicyHead head;
    private double[] thetaOld;
    private int maskDim;
    private final Map<Integer, Rollout> partial = new HashMap<>();

    private int failures;
    private int restarts;
    private final Map<String, Double> metrics = new LinkedHashMap<>();
    private final List<ClusterEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile ClusterStatus status;
    private boolean closed;
    /** The training thread was interrupted while waiting; set again when the collect call returns. */
    private boolean interrupted;

    ClusterRun(ClusterCollector settings, Setup setup) {
        this.settings = settings;
        this.config = setup.config();
        this.numEnvs = config.numEnvs();
        this.numSteps = config.numSteps();
        int workers = settings.workers;
        if (workers > numEnvs) {
            throw new IllegalArgumentException("cluster of " + workers + " workers but numEnvs = " + numEnvs + ": each"
                    + " worker samples at least one env copy. Use numEnvs >= " + workers + " (e.g. 8 per worker).");
        }
        this.minWorkers = settings.failurePolicy.requiredWorkers(workers);
        this.slots = new Slot[workers];
        for (int w = 0; w < workers; w++) {
            slots[w] = new Slot(w, (int) ((long) numEnvs * w / workers), (int) ((long) numEnvs * (w + 1) / workers));
        }
        checkMinibatches();
        // The learner makes one copy of the env to learn its spaces, as loading an agent does.
        try (Env<?, ?> probe = config.env().make(setup.envSeeds()[0])) {
            this.observationSpace = probe.observationSpace();
            this.actionSpace = probe.actionSpace();
            this.envMasks = ActionMasked.find(probe) != null;
        }
        this.obsDim = observationSpace.flatDim();
        this.params = new LinkedHashMap<>();
        for (Param<?> p : Params.all()) {
            params.put(p.name(), String.valueOf(p.display(config.get(p))));
        }
        this.actionRngs = new long[numEnvs];
        for (int i = 0; i < numEnvs; i++) {
            actionRngs[i] = setup.actionRngs()[i].state();
        }
        this.envSeeds = setup.envSeeds().clone();
        this.copyStarted = new boolean[numEnvs];
        this.nextObs = new float[numEnvs * obsDim];
        this.episodeReturns = new double[numEnvs];
        this.episodeLengths = new long[numEnvs];
        this.envStates = new long[numEnvs][][];
        this.obsNorm = config.normalizeObservation() ? ObservationNormalizer.cleanRl(obsDim) : null;
        this.rewardNorm = config.normalizeReward() ? RewardNormalizer.cleanRl(numEnvs, config.gamma()) : null;

        this.link = settings.transport.bind(settings.clusterName, settings.bind, settings.heartbeatTimeout);
        link.onLost(lost::add);
        this.status = ClusterStatus.none(settings.clusterName, workers);
        emit(new ClusterEvent.Listening(link.address(), settings.clusterName, workers));
        LOG.log(System.Logger.Level.INFO, "cluster " + settings.clusterName + " listening on " + link.address()
                + " for " + workers + " workers" + (settings.launcher == WorkerLauncher.external()
                ? "; start each with: proxima worker --join " + link.address() + " --cluster "
                        + settings.clusterName : ""));
        try {
            for (Slot s : slots) {
                launch(s);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        updateStatus();
    }

    /** With the fewest workers the policy trains on, a rollout must still hold one minibatch. */
    private void checkMinibatches() {
        int[] sizes = new int[slots.length];
        for (int w = 0; w < slots.length; w++) {
            sizes[w] = slots[w].n();
        }
        Arrays.sort(sizes);
        long rows = 0;
        for (int w = 0; w < minWorkers; w++) {
            rows += (long) sizes[w] * numSteps;
        }
        if (rows < config.minibatchSize()) {
            throw new IllegalArgumentException("with " + settings.failurePolicy + " a rollout may have only " + rows
                    + " rows (" + minWorkers + " of " + slots.length + " workers), less than one minibatch of "
                    + config.minibatchSize() + ". Raise minWorkers, or use more numMinibatches or env copies.");
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // RolloutCollector

    @Override
    public Space<?> observationSpace() {
        return observationSpace;
    }

    @Override
    public Space<?> actionSpace() {
        return actionSpace;
    }

    @Override
    public void bind(PolicyHead head, ActorCritic theta, Box clipBox) {
        if (this.head != null) {
            throw new IllegalStateException("the collector's policy is already bound");
        }
        int envMaskDim = envMasks ? ActionMasked.maskSize(actionSpace) : 0;
        if (envMasks && (head.maskDim() == 0 || head.maskDim() != envMaskDim)) {
            throw new IllegalArgumentException("the env reports action masks of " + envMaskDim + " entries but its"
                    + " policy head takes " + head.maskDim() + "; masks apply to Discrete and MultiDiscrete action"
                    + " spaces.");
        }
        this.maskDim = envMasks ? head.maskDim() : 0;
        this.head = head;
        this.thetaOld = theta.params().clone();
    }

    @Override
    public int maskDim() {
        return maskDim;
    }

    @Override
    public int samplingWorkers() {
        return 1;
    }

    @Override
    public void sync(ActorCritic theta) {
        System.arraycopy(theta.params(), 0, thetaOld, 0, thetaOld.length);
    }

    @Override
    public Optional<ObservationNormalizer> observationNormalizer() {
        return Optional.ofNullable(obsNorm);
    }

    @Override
    public Optional<RewardNormalizer> rewardNormalizer() {
        return Optional.ofNullable(rewardNorm);
    }

    @Override
    public Map<String, Double> metrics() {
        return metrics;
    }

    ClusterStatus status() {
        return status;
    }

    @Override
    public Rollout collect(Rollout rollout, int update, SamplingExecutor executor,
            List<SyncVectorEnv.Episode> episodes) {
        if (closed) {
            throw new IllegalStateException("the cluster run is closed");
        }
        try {
            return collectRollout(rollout, update, episodes);
        } finally {
            if (interrupted) {
                interrupted = false;
                Thread.currentThread().interrupt();
            }
        }
    }

    private Rollout collectRollout(Rollout rollout, int update, List<SyncVectorEnv.Episode> episodes) {
        ensureWorkers(update);
        List<Slot> sampling = new ArrayList<>();
        for (Slot s : slots) {
            if (s.state == State.ACTIVE) {
                sampling.add(s);
                s.result = null;
            }
        }
        byte[] sample = new Messages.Sample(update, thetaOld, obsNorm == null ? null : obsNorm.stats().state(),
                rewardNorm == null ? null : rewardNorm.stats().state()).encode();
        emit(new ClusterEvent.SamplingStarted(update, sampling.size()));
        long t0 = System.nanoTime();
        for (Slot s : sampling) {
            send(s, sample);
        }
        long deadline = t0 + settings.rolloutTimeout.toNanos();
        while (true) {
            boolean waiting = false;
            for (Slot s : sampling) {
                waiting |= s.state == State.ACTIVE && s.result == null;
            }
            if (!waiting) {
                break;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                for (Slot s : sampling) {
                    if (s.state == State.ACTIVE && s.result == null) {
                        fail(s, update, "no rollout within rolloutTimeout = " + settings.rolloutTimeout.toSeconds()
                                + " s (frozen, or slower than the timeout allows: raise rolloutTimeout)");
                    }
                }
                break;
            }
            pump(Math.min(POLL_MILLIS, Math.max(1, left / 1_000_000)), update);
        }
        long t1 = System.nanoTime();
        List<Slot> survivors = new ArrayList<>();
        for (Slot s : sampling) {
            if (s.state == State.ACTIVE && s.result != null) {
                survivors.add(s);
            }
        }
        if (survivors.size() < minWorkers) {
            throw stop("update " + update + ": " + survivors.size() + " of " + slots.length + " workers delivered"
                    + " their rollout, fewer than the " + minWorkers + " the run needs (" + settings.failurePolicy
                    + ").");
        }
        Rollout out = assemble(rollout, survivors, episodes);
        reachedUpdate = update;
        recordMetrics(survivors, sample.length, t0, t1);
        return out;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Workers joining and failing

    /** Waits (bounded) until no slot is joining or being replaced; then at least {@code minWorkers} must be active. */
    private void ensureWorkers(int update) {
        long now = System.nanoTime();
        for (Slot s : slots) {
            if (s.state == State.WAITING && s.joinDeadline == Long.MAX_VALUE) {
                s.joinDeadline = now + settings.joinTimeout.toNanos();
            }
        }
        while (true) {
            boolean pending = false;
            for (Slot s : slots) {
                pending |= s.state == State.WAITING || s.state == State.JOINING || s.state == State.RESTARTING;
            }
            if (!pending) {
                break;
            }
            pump(POLL_MILLIS, 0);
        }
        int active = 0;
        for (Slot s : slots) {
            active += s.state == State.ACTIVE ? 1 : 0;
        }
        if (active < minWorkers) {
            throw stop("update " + update + ": only " + active + " of " + slots.length + " workers are alive, fewer"
                    + " than the " + minWorkers + " the run needs (" + settings.failurePolicy + ").");
        }
    }

    /** Handles what arrived within {@code millis}, lost connections, exited processes, due launches and deadlines. */
    private void pump(long millis, int update) {
        LearnerLink.Envelope e = null;
        try {
            e = link.receive(millis);
        } catch (InterruptedException ie) {
            // Like the local collector, finish the rollout first (every wait is bounded); the flag is set again after.
            interrupted = true;
        }
        if (e != null) {
            dispatch(e, update);
        }
        if (!lost.isEmpty() || anyExited()) {
            // A worker that fails sends its error, then exits: the error is in the inbox before its connection is
            // lost or its process is seen to exit, and says why. Dispatch what has arrived before failing anyone for
            // either (SetupTest saw "connection lost" for a worker whose message named the env it could not find).
            try {
                for (LearnerLink.Envelope more; (more = link.receive(0)) != null; ) {
                    dispatch(more, update);
                }
            } catch (InterruptedException ie) {
                interrupted = true;
            }
        }
        for (String id; (id = lost.poll()) != null; ) {
            Slot s = byWorker.get(id);
            if (s != null) {
                fail(s, update, "its connection was lost (the process died or left, or answered no heartbeat for "
                        + settings.heartbeatTimeout.toSeconds() + " s)");
            }
        }
        long now = System.nanoTime();
        for (Slot s : slots) {
            if (s.handle != null && !s.handle.isAlive() && isExpected(s)) {
                fail(s, update, "its process exited with code " + s.handle.exitCode() + logTail(s.handle));
            } else if (s.state == State.RESTARTING && !s.launched && now - s.launchAt >= 0) {
                try {
                    launch(s);
                } catch (IllegalStateException ex) {
                    fail(s, update, ex.getMessage());
                }
            } else if ((s.state == State.WAITING || s.state == State.JOINING
                    || (s.state == State.RESTARTING && s.launched)) && now - s.joinDeadline > 0) {
                fail(s, update, "it did not join within joinTimeout = " + settings.joinTimeout.toSeconds() + " s"
                        + (s.handle != null ? logTail(s.handle) : ""));
            }
        }
    }

    /** Whether a launched worker's process has exited while the run still counts on it. */
    private boolean anyExited() {
        for (Slot s : slots) {
            if (s.handle != null && !s.handle.isAlive() && isExpected(s)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isExpected(Slot s) {
        return s.state == State.JOINING || s.state == State.ACTIVE || s.state == State.RESTARTING
                || s.state == State.WAITING;
    }

    private void dispatch(LearnerLink.Envelope e, int update) {
        Wire.Reader r;
        try {
            r = Messages.read(e.body());
        } catch (Wire.ProtocolException ex) {
            refusedDamaged(e, ex);
            return;
        }
        Slot s = byWorker.get(e.from());
        try {
            switch (r.type) {
                case Messages.HELLO -> hello(e.from(), Messages.Hello.decode(r));
                case Messages.READY -> {
                    Messages.Ready m = Messages.Ready.decode(r);
                    if (s != null && s.state == State.JOINING && m.generation() == s.generation) {
                        s.state = State.ACTIVE;
                        emit(new ClusterEvent.WorkerJoined(s.index, s.generation, s.pid, s.host));
                        updateStatus();
                    }
                }
                case Messages.RESULT -> {
                    Messages.Result m = Messages.Result.decode(r);
                    if (s != null && s.state == State.ACTIVE && m.generation() == s.generation
                            && m.update() == update && s.result == null) {
                        String bad = check(m, s.n());
                        if (bad != null) {
                            fail(s, update, "it sent a malformed rollout: " + bad);
                        } else {
                            s.result = m;
                            s.resultBytes = e.body().length;
                            s.receivedAt = System.nanoTime();
                        }
                    }
                }
                case Messages.ERROR -> {
                    Messages.Error m = Messages.Error.decode(r);
                    if (s != null && m.generation() == s.generation) {
                        fail(s, update, "it reported: " + m.message());
                    }
                }
                default -> refusedDamaged(e, new Wire.ProtocolException("unexpected message type " + r.type));
            }
        } catch (Wire.ProtocolException ex) {
            if (s != null) {
                fail(s, update, "it sent a damaged message: " + ex.getMessage());
            } else {
                refusedDamaged(e, ex);
            }
        }
    }

    private void refusedDamaged(LearnerLink.Envelope e, Wire.ProtocolException ex) {
        LOG.log(System.Logger.Level.WARNING, "refused a message from connection " + e.from() + ": "
                + ex.getMessage());
    }

    private void hello(String from, Messages.Hello h) {
        if (byWorker.containsKey(from)) {
            return;
        }
        if (!h.envIds().contains(config.env().id())) {
            // Not among the ids it lists: a provider may still resolve it (gym:<id>); if not, the worker's ERROR
            // says so, with the registry's closest ids.
            LOG.log(System.Logger.Level.INFO, "worker pid " + h.pid() + " on " + h.host() + " does not list env "
                    + config.env().id() + "; it must resolve it through a provider");
        }
        Slot slot = null;
        if (h.index() >= 0 && h.index() < slots.length && open(slots[h.index()], true)) {
            slot = slots[h.index()];
        }
        for (int w = 0; w < slots.length && slot == null; w++) {
            if (open(slots[w], false)) {
                slot = slots[w];
            }
        }
        if (slot == null) {
            refuse(from, h, "the run already has its " + slots.length + " workers (or they are being replaced).");
            return;
        }
        slot.worker = from;
        slot.generation++;
        slot.state = State.JOINING;
        slot.pid = h.pid();
        slot.host = h.host();
        slot.joinDeadline = System.nanoTime() + settings.joinTimeout.toNanos();
        byWorker.put(from, slot);
        link.send(from, assign(slot).encode());
    }

    /** Whether a joining worker may take {@code s}: one launched for it must ask for its index. */
    private static boolean open(Slot s, boolean askedForIt) {
        boolean free = (s.state == State.WAITING || s.state == State.RESTARTING) && s.worker == null;
        return free && (askedForIt || s.handle == null);
    }

    private void refuse(String from, Messages.Hello h, String reason) {
        link.send(from, new Messages.Stop(false, reason).encode());
        emit(new ClusterEvent.WorkerRefused(h.host(), h.pid(), reason));
        LOG.log(System.Logger.Level.WARNING, "refused a worker (pid " + h.pid() + " on " + h.host() + "): " + reason);
    }

    private Messages.Assign assign(Slot s) {
        int n = s.n();
        long[][][] states = new long[n][][];
        boolean resumable = true;
        boolean started = true;
        for (int i = 0; i < n; i++) {
            states[i] = envStates[s.from + i];
            resumable &= states[i] != null;
            started &= copyStarted[s.from + i];
        }
        return new Messages.Assign(s.index, s.generation, config.env().id(), params, numEnvs, s.from, s.to, obsDim,
                head.policyDim(), head.logStdDim(), maskDim, thetaOld.length, reachedUpdate,
                Arrays.copyOfRange(actionRngs, s.from, s.to), Arrays.copyOfRange(envSeeds, s.from, s.to), started,
                Arrays.copyOfRange(nextObs, s.from * obsDim, s.to * obsDim),
                Arrays.copyOfRange(episodeReturns, s.from, s.to), Arrays.copyOfRange(episodeLengths, s.from, s.to),
                resumable ? states : null,
                rewardNorm == null ? null : Arrays.copyOfRange(rewardNorm.runningReturns(), s.from, s.to),
                obsNorm == null ? null : obsNorm.stats().state(),
                rewardNorm == null ? null : rewardNorm.stats().state());
    }

    /** Starts slot {@code s}'s worker through the launcher (nothing for external workers). */
    private void launch(Slot s) {
        s.launched = true;
        s.joinDeadline = System.nanoTime() + settings.joinTimeout.toNanos();
        s.attempts++;
        try {
            s.handle = settings.launcher.launch(new WorkerLauncher.Launch(s.index, link.address(),
                    settings.clusterName, settings.threadsPerWorker, s.attempts));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot start worker " + s.index + " with " + settings.launcher + ": "
                    + e, e);
        }
        if (s.handle != null) {
            s.pid = s.handle.pid();
        }
    }

    /** Fails slot {@code s}'s worker: its partial rollout is dropped, then the failure policy decides. */
    private void fail(Slot s, int update, String cause) {
        if (s.state == State.DEAD) {
            return;
        }
        String who = s.describe();
        s.lastCause = who + (update > 0 ? " in update " + update : "") + ": " + cause;
        failures++;
        emit(new ClusterEvent.WorkerFailed(s.index, s.generation, update, cause));
        LOG.log(System.Logger.Level.WARNING, who + " failed" + (update > 0 ? " in update " + update : "") + ": "
                + cause);
        if (s.worker != null) {
            try {
                link.send(s.worker, new Messages.Stop(false, "replaced: " + cause).encode());
            } catch (RuntimeException ignored) {
                // the connection may be gone already
            }
            link.forget(s.worker);
            byWorker.remove(s.worker);
            s.worker = null;
        }
        if (s.handle != null) {
            s.handle.kill(); // a frozen process, or one that lost its connection, must not come back as a ghost
            s.handle = null;
        }
        s.result = null;
        s.pid = -1;
        s.host = "";
        FailurePolicy p = settings.failurePolicy;
        if (p.kind() == FailurePolicy.Kind.RESTART && restarts < p.maxRestarts()) {
            restarts++;
            s.state = State.RESTARTING;
            s.launched = false;
            s.launchAt = System.nanoTime() + p.delay().toNanos();
            s.joinDeadline = s.launchAt + settings.joinTimeout.toNanos();
            emit(new ClusterEvent.WorkerRestarting(s.index, restarts, p.maxRestarts(), p.delay()));
        } else {
            s.state = State.DEAD;
        }
        updateStatus();
    }

    private static String logTail(WorkerLauncher.Handle h) {
        if (h.log().isEmpty()) {
            return "";
        }
        try {
            List<String> lines = Files.readAllLines(Path.of(h.log()));
            List<String> tail = lines.subList(Math.max(0, lines.size() - 5), lines.size());
            return tail.isEmpty() ? " (its log " + h.log() + " is empty)"
                    : "; the end of its log " + h.log() + ":\n    " + String.join("\n    ", tail);
        } catch (IOException | RuntimeException e) {
            return " (log " + h.log() + ")";
        }
    }

    private RolloutException stop(String message) {
        StringBuilder m = new StringBuilder("the cluster run cannot go on: ").append(message);
        for (Slot s : slots) {
            if (s.state != State.ACTIVE) {
                m.append("\n  worker ").append(s.index).append(": ").append(s.state.name().toLowerCase());
                if (s.lastCause != null) {
                    m.append(", failed: ").append(s.lastCause);
                }
            }
        }
        return new RolloutException(m.toString(), settings.checkpointOnFailure, null);
    }

    private void send(Slot s, byte[] message) {
        link.send(s.worker, message);
    }

    List<ClusterEvent> events() {
        return List.copyOf(events);
    }

    private void emit(ClusterEvent e) {
        if (!(e instanceof ClusterEvent.SamplingStarted) && events.size() < 10_000) {
            events.add(e);
        }
        for (ClusterListener l : settings.listeners) {
            try {
                l.onEvent(e);
            } catch (RuntimeException ex) {
                LOG.log(System.Logger.Level.WARNING, "a cluster listener failed on " + e + ": " + ex);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Assembling a rollout

    /** Every array of a slice has the size of {@code n} copies × numSteps; the message says which does not. */
    private String check(Messages.Result m, int n) {
        int rows = n * numSteps;
        if (m.obs().length != rows * obsDim) {
            return "observations";
        }
        if (m.actions().length != rows * head.actionDim() || m.logProbs().length != rows
                || m.values().length != rows || m.rewards().length != rows || m.terminated().length != rows
                || m.truncated().length != rows || m.finalValues().length != rows) {
            return "per-step arrays";
        }
        if (m.masks().length != rows * maskDim || m.nextValue().length != n) {
            return "masks or next values";
        }
        int ended = 0;
        for (int k = 0; k < rows; k++) {
            ended += m.terminated()[k] || m.truncated()[k] ? 1 : 0;
        }
        if (m.endedReturns().length != ended || m.endedLengths().length != ended) {
            return ended + " episodes ended but " + m.endedReturns().length + " are reported";
        }
        if (m.actionRngs().length != n || m.envSeeds().length != n || m.nextObs().length != n * obsDim
                || m.copyReturns().length != n || m.copyLengths().length != n
                || (m.envStates() != null && m.envStates().length != n)) {
            return "env copy state";
        }
        if ((obsNorm != null) != (m.obsView() != null && m.obsDelta() != null)
                || (rewardNorm != null) != (m.rewardView() != null && m.rewardDelta() != null
                && m.rewardReturns() != null && m.rewardReturns().length == n)) {
            return "normaliser statistics";
        }
        return null;
    }

    /**
     * The survivors' slices as one rollout in the single run's layout (rows {@code t * copies + copy}, copies in
     * ascending order), the episodes by step then copy, and the copies' new state.
     */
    private Rollout assemble(Rollout full, List<Slot> survivors, List<SyncVectorEnv.Episode> episodes) {
        int copies = 0;
        for (Slot s : survivors) {
            copies += s.n();
        }
        Rollout out = copies == numEnvs ? full : partial.computeIfAbsent(copies,
                c -> new Rollout(numSteps, c, obsDim, head.actionDim(), maskDim));
        int actionDim = head.actionDim();
        int[] nextEpisode = new int[survivors.size()];
        for (int t = 0; t < numSteps; t++) {
            int col = 0;
            for (int k = 0; k < survivors.size(); k++) {
                Slot s = survivors.get(k);
                Messages.Result m = s.result;
                int n = s.n();
                int src = t * n;
                int dst = t * copies + col;
                System.arraycopy(m.obs(), src * obsDim, out.obsBuffer(), dst * obsDim, n * obsDim);
                System.arraycopy(m.actions(), src * actionDim, out.actionBuffer(), dst * actionDim, n * actionDim);
                System.arraycopy(m.logProbs(), src, out.logProbBuffer(), dst, n);
                System.arraycopy(m.values(), src, out.valueBuffer(), dst, n);
                System.arraycopy(m.masks(), src * maskDim, out.maskBuffer(), dst * maskDim, n * maskDim);
                for (int i = 0; i < n; i++) {
                    out.setStep(dst + i, m.rewards()[src + i], m.terminated()[src + i], m.truncated()[src + i],
                            m.finalValues()[src + i]);
                    if (m.terminated()[src + i] || m.truncated()[src + i]) {
                        int e = nextEpisode[k]++;
                        episodes.add(new SyncVectorEnv.Episode(s.from + i, m.endedReturns()[e],
                                m.endedLengths()[e]));
                    }
                }
                col += n;
            }
        }
        int col = 0;
        for (Slot s : survivors) {
            Messages.Result m = s.result;
            int n = s.n();
            System.arraycopy(m.nextValue(), 0, out.nextValueBuffer(), col, n);
            col += n;
            System.arraycopy(m.actionRngs(), 0, actionRngs, s.from, n);
            System.arraycopy(m.envSeeds(), 0, envSeeds, s.from, n);
            System.arraycopy(m.nextObs(), 0, nextObs, s.from * obsDim, n * obsDim);
            System.arraycopy(m.copyReturns(), 0, episodeReturns, s.from, n);
            System.arraycopy(m.copyLengths(), 0, episodeLengths, s.from, n);
            for (int i = 0; i < n; i++) {
                copyStarted[s.from + i] = m.started();
                envStates[s.from + i] = m.envStates() == null ? null : m.envStates()[i];
            }
        }
        mergeStatistics(survivors);
        return out;
    }

    /**
     * The next statistics: the lowest-index survivor's (the published ones updated with its batches), then every other
     * survivor's own batch moments merged in index order.
     */
    private void mergeStatistics(List<Slot> survivors) {
        if (obsNorm != null) {
            merge(obsNorm.stats(), survivors, true);
        }
        if (rewardNorm != null) {
            merge(rewardNorm.stats(), survivors, false);
            double[] returns = rewardNorm.runningReturns();
            for (Slot s : survivors) {
                System.arraycopy(s.result.rewardReturns(), 0, returns, s.from, s.n());
            }
            rewardNorm.setRunningReturns(returns);
        }
    }

    private static void merge(RunningMeanStd stats, List<Slot> survivors, boolean observations) {
        Messages.Result first = survivors.get(0).result;
        stats.restore(observations ? first.obsView() : first.rewardView());
        for (int k = 1; k < survivors.size(); k++) {
            Messages.Result m = survivors.get(k).result;
            RunningMeanStd.State d = observations ? m.obsDelta() : m.rewardDelta();
            stats.updateFromMoments(d.mean(), d.variance(), d.count());
        }
    }

    private void recordMetrics(List<Slot> survivors, long broadcastBytes, long t0, long t1) {
        double sampleMs = 0;
        double overheadMs = 0;
        long gather = 0;
        for (Slot s : survivors) {
            double ms = s.result.sampleNanos() / 1e6;
            sampleMs = Math.max(sampleMs, ms);
            overheadMs = Math.max(overheadMs, (s.receivedAt - t0) / 1e6 - ms);
            gather += s.resultBytes;
        }
        metrics.clear();
        metrics.put(ClusterCollector.METRIC_WORKERS, (double) survivors.size());
        metrics.put(ClusterCollector.METRIC_ROLLOUT_MS, (t1 - t0) / 1e6);
        metrics.put(ClusterCollector.METRIC_SAMPLE_MS, sampleMs);
        metrics.put(ClusterCollector.METRIC_OVERHEAD_MS, overheadMs);
        metrics.put(ClusterCollector.METRIC_BROADCAST_BYTES, (double) broadcastBytes);
        metrics.put(ClusterCollector.METRIC_GATHER_BYTES, (double) gather);
        metrics.put(ClusterCollector.METRIC_FAILURES, (double) failures);
        metrics.put(ClusterCollector.METRIC_RESTARTS, (double) restarts);
        updateStatus();
    }

    private void updateStatus() {
        int alive = 0;
        for (Slot s : slots) {
            alive += s.state == State.ACTIVE ? 1 : 0;
        }
        status = new ClusterStatus(link.address(), settings.clusterName, slots.length, alive, failures, restarts,
                link.refused(), metrics.getOrDefault(ClusterCollector.METRIC_ROLLOUT_MS, Double.NaN),
                metrics.getOrDefault(ClusterCollector.METRIC_SAMPLE_MS, Double.NaN),
                metrics.getOrDefault(ClusterCollector.METRIC_OVERHEAD_MS, Double.NaN),
                metrics.getOrDefault(ClusterCollector.METRIC_BROADCAST_BYTES, 0.0).longValue(),
                metrics.getOrDefault(ClusterCollector.METRIC_GATHER_BYTES, 0.0).longValue());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Checkpoints

    @Override
    public CollectorState snapshot() {
        boolean started = true;
        boolean resumable = true;
        for (int i = 0; i < numEnvs; i++) {
            started &= copyStarted[i];
            resumable &= envStates[i] != null;
        }
        long[][][] states = null;
        if (started && resumable) {
            states = new long[numEnvs][][];
            for (int i = 0; i < numEnvs; i++) {
                states[i] = envStates[i].clone();
            }
        }
        NormalizerRecord obs = obsNorm == null ? null
                : NormalizerRecord.observations(obsNorm.stats().state(), obsNorm.epsilon(), obsNorm.clip());
        NormalizerRecord rew = rewardNorm == null ? null : new NormalizerRecord(rewardNorm.stats().state(),
                rewardNorm.epsilon(), rewardNorm.clip(), rewardNorm.gamma(), rewardNorm.runningReturns());
        return new CollectorState(actionRngs.clone(), envSeeds.clone(), started, nextObs.clone(), obs, rew,
                episodeReturns.clone(), episodeLengths.clone(), states);
    }

    @Override
    public void restore(CollectorState r, int update) {
        if (r.actionRngs().length != numEnvs || r.envSeeds().length != numEnvs
                || r.nextObs().length != numEnvs * obsDim) {
            throw new IllegalArgumentException("the checkpoint has " + r.actionRngs().length + " action streams for "
                    + numEnvs + " env copies");
        }
        if (obsNorm != null) {
            if (r.obsNorm() == null) {
                throw new IllegalArgumentException("the run normalises observations but the checkpoint has no"
                        + " observation statistics");
            }
            obsNorm.stats().restore(r.obsNorm().stats());
        }
        if (rewardNorm != null) {
            if (r.rewardNorm() == null) {
                throw new IllegalArgumentException("the run normalises rewards but the checkpoint has no reward"
                        + " statistics");
            }
            rewardNorm.stats().restore(r.rewardNorm().stats());
            rewardNorm.setRunningReturns(r.rewardNorm().returns());
        }
        System.arraycopy(r.actionRngs(), 0, actionRngs, 0, numEnvs);
        System.arraycopy(r.envSeeds(), 0, envSeeds, 0, numEnvs);
        System.arraycopy(r.nextObs(), 0, nextObs, 0, nextObs.length);
        System.arraycopy(r.episodeReturns(), 0, episodeReturns, 0, numEnvs);
        System.arraycopy(r.episodeLengths(), 0, episodeLengths, 0, numEnvs);
        Arrays.fill(copyStarted, r.started());
        for (int i = 0; i < numEnvs; i++) {
            envStates[i] = r.envStates() == null ? null : r.envStates()[i];
        }
        reachedUpdate = update;
        for (Slot s : slots) {
            if (s.state == State.JOINING || s.state == State.ACTIVE) {
                // Assigned before the restore: give it the restored copies.
                s.generation++;
                s.state = State.JOINING;
                s.joinDeadline = System.nanoTime() + settings.joinTimeout.toNanos();
                link.send(s.worker, assign(s).encode());
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Slot s : slots) {
            if (s.worker != null) {
                try {
                    link.send(s.worker, new Messages.Stop(true, "the run ended").encode());
                } catch (RuntimeException ignored) {
                    // the worker is gone
                }
            }
        }
        long deadline = System.nanoTime() + 3_000_000_000L;
        for (Slot s : slots) {
            if (s.handle != null) {
                while (s.handle.isAlive() && System.nanoTime() < deadline) {
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
                if (s.handle.isAlive()) {
                    s.handle.kill();
                }
            }
        }
        link.close();
        for (Slot s : slots) {
            if (s.state != State.DEAD) {
                s.state = State.DEAD;
            }
        }
        updateStatus();
    }
}
