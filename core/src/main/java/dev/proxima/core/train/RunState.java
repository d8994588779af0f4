package dev.proxima.core.train;

import dev.proxima.core.checkpoint.AgentRecord;
import dev.proxima.core.checkpoint.CheckpointException;
import dev.proxima.core.checkpoint.RunRecord;
import dev.proxima.core.dist.ContinuousActions;
import dev.proxima.core.dist.Heads;
import dev.proxima.core.dist.PolicyHead;
import dev.proxima.core.env.ObservationNormalizer;
import dev.proxima.core.internal.Json;
import dev.proxima.core.internal.ThreadTeam;
import dev.proxima.core.nn.ActorCritic;
import dev.proxima.core.nn.Network;
import dev.proxima.core.optim.Adam;
import dev.proxima.core.ppo.Agent;
import dev.proxima.core.ppo.LossTerm;
import dev.proxima.core.ppo.PpoConfig;
import dev.proxima.core.ppo.PpoUpdate;
import dev.proxima.core.ppo.Rollout;
import dev.proxima.core.run.Rng;
import dev.proxima.core.space.Box;
import dev.proxima.core.space.FlatLayout;
import dev.proxima.core.space.Space;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Everything a training run is between two updates: θ, the optimiser, the random streams, the loss terms' state, the
 * counters, and the {@link RolloutCollector} (env copies, θ_old per sampling worker, normalisers; by default the local
 * {@link Collector}). {@link #snapshot} writes it
 * into a {@link RunRecord} and {@link #restore} reads one back, so a checkpoint continues exactly the run that was
 * never interrupted.
 *
 * <h2>Seeding</h2>
 * One seed drives everything. From {@code root = new Rng(seed)} the streams are split in this order, which is part of
 * the reproducibility contract (append new streams, never reorder): 1. network initialisation; 2. minibatch
 * shuffling; 3. one env seed per copy ({@code root.nextLong()} each, given to {@code reset(seed)}); 4. one
 * action-sampling stream per env copy. Because every env copy has its own action stream and normalisation runs in
 * env order after each step, results do not depend on how many workers sample.
 */
final class RunState implements AutoCloseable {
    final PpoConfig config;
    final long totalSteps;
    final int numUpdates;
    final PolicyHead head;
    final Box clipBox;
    /** θ: the parameters being optimised. */
    final ActorCritic theta;
    final Adam adam;
    final Rng shuffleRng;
    final List<LossTerm> terms;
    final RolloutCollector collector;
    final Rollout rollout;
    final PpoUpdate update;

    /** Updates completed. */
    int updatesDone;
    long globalStep;
    /** Training wall time of the run so far, over all processes that trained it. */
    double seconds;
    /** The optimiser's threads (θ's forward/backward and Adam); the solo team until {@link #optimiserThreads}. */
    private ThreadTeam optimiserTeam = ThreadTeam.solo();

    private RunState(PpoConfig config, long totalSteps, int numWorkers, RolloutCollector.Factory collectors) {
        this.config = config;
        this.totalSteps = totalSteps;
        this.numUpdates = config.numUpdates(totalSteps);
        if (numWorkers < 1 || numWorkers > config.numEnvs()) {
            throw new IllegalArgumentException("workers = " + numWorkers + " must lie in [1, numEnvs = "
                    + config.numEnvs() + "]: each worker steps at least one env copy.");
        }
        int numEnvs = config.numEnvs();
        Rng root = new Rng(config.seed());
        Rng initRng = root.split();
        this.shuffleRng = root.split();
        long[] envSeeds = new long[numEnvs];
        for (int i = 0; i < numEnvs; i++) {
            envSeeds[i] = root.nextLong();
        }
        Rng[] actionRngs = new Rng[numEnvs];
        for (int i = 0; i < numEnvs; i++) {
            actionRngs[i] = root.split();
        }

        this.collector = collectors.open(new RolloutCollector.Setup(config, envSeeds, actionRngs, numWorkers));
        try {
            Space<?> actionSpace = collector.actionSpace();
            int obsDim = collector.observationSpace().flatDim();
            this.head = Heads.forActionSpace(actionSpace, config.headOptions());
            // A tanh-squashed head already lands inside the box; clipping is the clip mode's (CleanRL's ClipAction).
            this.clipBox = config.clipAction() && config.continuousActions() == ContinuousActions.CLIP
                    && actionSpace instanceof Box b && b.isBounded() ? b : null;
            this.theta = config.network().create(obsDim, head.policyDim(), head.logStdDim(),
                    new SplittableRandom(initRng.nextLong()));
            if (head.logStdDim() > 0) {
                // The parameter is the raw log σ before the bound (rawFor is the identity without one).
                double raw = config.logStdBound().rawFor(config.logStdInit());
                if (raw != 0.0) {
                    Arrays.fill(theta.params(), theta.logStdOffset(), theta.logStdOffset() + head.logStdDim(), raw);
                    theta.syncParams();
                }
            }
            this.adam = new Adam(theta.numParams(), Adam.DEFAULT_BETA1, Adam.DEFAULT_BETA2, config.adamEps(), 0.0);
            this.terms = new ArrayList<>();
            for (LossTerm t : config.losses()) {
                terms.add(t.copy()); // per-run state, so a config can be trained twice
            }
            collector.bind(head, theta, clipBox);
            this.rollout = new Rollout(config.numSteps(), numEnvs, obsDim, head.actionDim(), collector.maskDim());
            this.update = new PpoUpdate(config, theta, head, adam, terms, collector.maskDim());
        } catch (RuntimeException | Error e) {
            collector.close();
            throw e;
        }
    }

    /** A new run of {@code totalSteps} env steps from the config's seed. */
    static RunState create(PpoConfig config, long totalSteps, int numWorkers) {
        return create(config, totalSteps, numWorkers, RolloutCollector.local());
    }

    /** A new run whose rollouts come from the collector {@code collectors} opens. */
    static RunState create(PpoConfig config, long totalSteps, int numWorkers, RolloutCollector.Factory collectors) {
        return new RunState(config, totalSteps, numWorkers, collectors);
    }

    /**
     * The run of a training checkpoint. {@code config} must equal the checkpoint's (the error lists every difference).
     * {@code totalSteps} is the checkpoint's budget unless {@code overrideSteps > 0} gives another (the learning-rate
     * schedule then differs from the original run's).
     */
    static RunState restore(PpoConfig config, RunRecord r, int numWorkers, long overrideSteps, Path file)
            throws CheckpointException {
        return restore(config, r, numWorkers, overrideSteps, file, RolloutCollector.local());
    }

    /** As {@link #restore(PpoConfig, RunRecord, int, long, Path)} with the collector {@code collectors} opens. */
    static RunState restore(PpoConfig config, RunRecord r, int numWorkers, long overrideSteps, Path file,
            RolloutCollector.Factory collectors) throws CheckpointException {
        checkSameConfig(config, r, file);
        long steps = overrideSteps > 0 ? overrideSteps : r.totalSteps();
        if (steps <= 0) {
            throw new CheckpointException(file + ": the checkpoint (format 1) does not record its run's total steps;"
                    + " give them when resuming (e.g. --steps).");
        }
        RunState s = new RunState(config, steps, numWorkers, collectors);
        try {
            if (r.update() > s.numUpdates) {
                throw new CheckpointException(file + ": the checkpoint is at update " + r.update() + " but a run of "
                        + steps + " steps has only " + s.numUpdates + " updates; give more steps.");
            }
            AgentRecord a = r.agent();
            if (a.params().length != s.theta.numParams()) {
                throw new CheckpointException(file + ": params has " + a.params().length + " values but "
                        + config.network() + " has " + s.theta.numParams() + " for this env.");
            }
            System.arraycopy(a.params(), 0, s.theta.params(), 0, a.params().length);
            s.theta.syncParams();
            s.collector.sync(s.theta);
            s.adam.restore(r.adamM(), r.adamV(), r.adamT());
            s.shuffleRng.setState(r.shuffleRng());
            s.collector.restore(CollectorState.of(r), r.update());
            for (LossTerm term : s.terms) {
                Map<String, Double> state = r.lossState().get(term.key());
                if (state != null && !state.isEmpty()) {
                    term.restoreState(state);
                }
            }
            s.updatesDone = r.update();
            s.globalStep = r.globalStep();
            s.seconds = r.seconds();
            return s;
        } catch (CheckpointException e) {
            s.close();
            throw e;
        } catch (RuntimeException e) {
            s.close();
            throw new CheckpointException(file + ": cannot restore this checkpoint: " + e.getMessage(), e);
        }
    }

    /**
     * Has θ's minibatch passes and Adam's update run on {@code n} threads (the caller and {@code n - 1} daemon
     * threads this state owns until {@link #close}). Not part of the run's state: results are the same bits for any
     * {@code n}, so a checkpoint resumes with whatever count the resuming trainer has.
     */
    void optimiserThreads(int n) {
        ThreadTeam old = optimiserTeam;
        optimiserTeam = ThreadTeam.of(n, "proxima-optimiser");
        theta.useThreads(optimiserTeam);
        adam.useThreads(optimiserTeam);
        old.close();
    }

    int optimiserThreads() {
        return optimiserTeam.size();
    }

    boolean finished() {
        return updatesDone >= numUpdates;
    }

    /** The current policy θ as a standalone agent (copied: training on does not change it). */
    Agent agent() {
        return new Agent(config.env(), theta.copy(), head, collector.observationNormalizer().orElse(null), clipBox,
                config.network(), agentMetadata());
    }

    /** What an agent of this run records besides its weights: the observation layout it was trained on. */
    Map<String, String> agentMetadata() {
        return Map.of(Agent.OBSERVATION_LAYOUT, FlatLayout.of(collector.observationSpace()).describe());
    }

    /** This state as a checkpoint record, with the callbacks' state. */
    RunRecord snapshot(Map<String, Map<String, Double>> callbackState) {
        return snapshot(callbackState, agentRecord(collector.observationNormalizer().orElse(null)),
                collector.snapshot());
    }

    /** As {@link #snapshot(Map)}, with the agent's and the collector's parts taken earlier (before a release). */
    RunRecord snapshot(Map<String, Map<String, Double>> callbackState, AgentRecord agent, CollectorState c) {
        Map<String, Map<String, Double>> losses = new LinkedHashMap<>();
        for (LossTerm term : terms) {
            losses.put(term.key(), new LinkedHashMap<>(term.state()));
        }
        Map<String, Object> configMap = Json.parseObject(Json.writeCompact(config.toMap(),
                Json.NonFinite.AS_STRING), "config");
        return new RunRecord(agent, configMap, totalSteps, numUpdates, updatesDone, globalStep,
                adam.m().clone(), adam.v().clone(), adam.t(), shuffleRng.state(), c.actionRngs(), c.envSeeds(),
                c.started(), c.nextObs(), c.rewardNorm(), c.episodeReturns(), c.episodeLengths(), c.envStates(),
                losses, callbackState, seconds);
    }

    /** The agent's record with the collector's observation normaliser {@code obsNorm} (null: none). */
    AgentRecord agentRecord(ObservationNormalizer obsNorm) {
        return Agent.record(config.env(), theta, head, obsNorm, clipBox != null, config.network(), agentMetadata());
    }

    @Override
    public void close() {
        try {
            collector.close();
        } finally {
            theta.useThreads(ThreadTeam.solo());
            adam.useThreads(ThreadTeam.solo());
            optimiserTeam.close();
        }
    }

    /** Object's default toString, {@code SimpleName@hash} or {@code pkg.Name@hash}. */
    private static final java.util.regex.Pattern IDENTITY =
            java.util.regex.Pattern.compile("([A-Za-z_$][\\w$.]*)@[0-9a-f]{4,8}\\b");

    private static void checkSameConfig(PpoConfig config, RunRecord r, Path file) throws CheckpointException {
        Map<String, Object> saved = r.config();
        Map<String, Object> now = Json.parseObject(Json.writeCompact(config.toMap(), Json.NonFinite.AS_STRING),
                "config");
        List<String> diffs = new ArrayList<>();
        for (Map.Entry<String, Object> e : now.entrySet()) {
            Object before = saved.get(e.getKey());
            if (!String.valueOf(before).equals(String.valueOf(e.getValue()))) {
                diffs.add(e.getKey() + ": checkpoint " + before + ", now " + e.getValue());
            }
        }
        if (!diffs.isEmpty()) {
            String hint = "";
            java.util.regex.Matcher m = IDENTITY.matcher(String.join("\n", diffs));
            if (m.find()) {
                hint = "\n" + m.group(1) + " has no toString() of its own, so its text differs in every process"
                        + " (the checkpoint compares configurations by text). Give it a toString() that names its"
                        + " settings, e.g. \"" + m.group(1) + "(coef = 0.1)\".";
            }
            throw new CheckpointException(file + ": the checkpoint was written with another configuration, so the"
                    + " run cannot continue from it. Differences:\n  " + String.join("\n  ", diffs) + hint);
        }
    }
}
