package dev.proxima.core.train;

import dev.proxima.core.checkpoint.NormalizerRecord;
import dev.proxima.core.checkpoint.RunRecord;
import dev.proxima.core.dist.PolicyHead;
import dev.proxima.core.env.ObservationNormalizer;
import dev.proxima.core.env.RewardNormalizer;
import dev.proxima.core.env.RunningMeanStd;
import dev.proxima.core.env.SyncVectorEnv;
import dev.proxima.core.nn.ActorCritic;
import dev.proxima.core.optim.NonFiniteException;
import dev.proxima.core.ppo.PpoConfig;
import dev.proxima.core.ppo.Rollout;
import dev.proxima.core.run.Rng;
import dev.proxima.core.space.Box;
import dev.proxima.core.space.Space;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The local {@link RolloutCollector} ({@link RolloutCollector#local()}): collects rollouts of {@code numSteps} steps of every env copy with the sampling policy θ_old (CleanRL's
 * {@code for step in range(num_steps)} block) in this process, with truncation bootstrapping and episode statistics.
 *
 * <p>The env copies are split into contiguous slices, one per sampling worker; each worker owns a copy of θ_old and
 * its workspaces, infers its slice's actions in one batch and steps its copies. After every step the workers are
 * joined and normalisation, the truncation bootstrap and episode bookkeeping run in env order, so together with one
 * action stream per env copy the rollout does not depend on the number of workers or on how they are scheduled
 * ({@link SamplingExecutor}).
 *
 * <p>A truncated episode (a time limit) is not a terminal state: its last step is bootstrapped with
 * {@code V(final observation)} (Pardo et al. 2018, "Time Limits in Reinforcement Learning"); CleanRL as written cuts
 * the return there instead ({@code bootstrapTruncated(false)}).
 */
final class Collector implements RolloutCollector {
    private final PpoConfig config;
    private final SyncVectorEnv<?, ?> vec;
    private final int numEnvs;
    private final int obsDim;
    private final int numWorkers;
    // Set by bind(): the sampling policy and what depends on it.
    private PolicyHead head;
    private int actionDim;
    private int policyDim;
    private int logStdDim;
    /** Action-mask entries per copy: the head's when the env copies report masks ({@code ActionMasked}), else 0. */
    private int maskDim;
    private Box clipBox;
    private Worker[] workers;
    final Rng[] actionRngs;
    final long[] envSeeds;

    /** The next observation of every copy (normalised when configured): CleanRL's {@code next_obs}. */
    final float[] nextObs;
    /** The action mask of every copy's next state ({@code maskDim} entries each). */
    private boolean[] nextMask;
    private final float[] finalObs;
    /** The actions the env copies get (clipped where configured); workers write disjoint rows. */
    private float[] envActions;
    private final double[] stepRewards;
    private final boolean[] stepTerminated;
    private final boolean[] stepTruncated;
    private final double[] bootstrapValue = new double[1];
    private final float[] bootstrapObs;
    private final List<SyncVectorEnv.Episode> drained = new ArrayList<>();
    private boolean started;
    private int update;
    private int step;
    /** The rollout being filled and the first row of the current step, read by the workers' {@link #slice}. */
    private Rollout current;
    private int currentRow0;
    /** One worker's share of the current step; made once so that a step allocates nothing. */
    private final java.util.function.IntConsumer slice = this::sampleSlice;

    private Collector(PpoConfig config, SyncVectorEnv<?, ?> vec, Rng[] actionRngs, long[] envSeeds, int numWorkers) {
        this.config = config;
        this.vec = vec;
        this.numEnvs = vec.numEnvs();
        this.obsDim = vec.obsDim();
        this.actionRngs = actionRngs;
        this.envSeeds = envSeeds;
        this.numWorkers = numWorkers;
        this.nextObs = new float[numEnvs * obsDim];
        this.finalObs = new float[numEnvs * obsDim];
        this.stepRewards = new double[numEnvs];
        this.stepTerminated = new boolean[numEnvs];
        this.stepTruncated = new boolean[numEnvs];
        this.bootstrapObs = new float[obsDim];
    }

    /** {@link RolloutCollector#local()}. */
    enum Local implements Factory {
        FACTORY;

        @Override
        public RolloutCollector open(Setup setup) {
            return Collector.open(setup);
        }

        @Override
        public String toString() {
            return "local";
        }
    }

    /** The local collector of a run: {@code numEnvs} copies made with their seeds, with the configured normalisers. */
    static Collector open(Setup setup) {
        PpoConfig config = setup.config();
        int numWorkers = setup.workers();
        if (numWorkers < 1 || numWorkers > config.numEnvs()) {
            throw new IllegalArgumentException("workers = " + numWorkers + " must lie in [1, numEnvs = "
                    + config.numEnvs() + "]: each worker steps at least one env copy.");
        }
        SyncVectorEnv<?, ?> vec = SyncVectorEnv.of(config.env(), setup.envSeeds());
        try {
            if (config.normalizeObservation()) {
                vec.observationNormalizer(ObservationNormalizer.cleanRl(vec.obsDim()));
            }
            if (config.normalizeReward()) {
                vec.rewardNormalizer(RewardNormalizer.cleanRl(vec.numEnvs(), config.gamma()));
            }
            return new Collector(config, vec, setup.actionRngs(), setup.envSeeds(), numWorkers);
        } catch (RuntimeException | Error e) {
            vec.close();
            throw e;
        }
    }

    @Override
    public Space<?> observationSpace() {
        return vec.observationSpace();
    }

    @Override
    public Space<?> actionSpace() {
        return vec.actionSpace();
    }

    @Override
    public void bind(PolicyHead head, ActorCritic theta, Box clipBox) {
        if (this.head != null) {
            throw new IllegalStateException("the collector's policy is already bound");
        }
        this.maskDim = maskDim(vec, head);
        this.head = head;
        this.actionDim = head.actionDim();
        this.policyDim = head.policyDim();
        this.logStdDim = head.logStdDim();
        this.clipBox = clipBox;
        this.workers = new Worker[numWorkers];
        for (int w = 0; w < numWorkers; w++) {
            int from = (int) ((long) numEnvs * w / numWorkers);
            int to = (int) ((long) numEnvs * (w + 1) / numWorkers);
            workers[w] = new Worker(theta.copy(), from, to);
        }
        this.nextMask = new boolean[numEnvs * maskDim];
        this.envActions = new float[numEnvs * actionDim];
    }

    @Override
    public int samplingWorkers() {
        return numWorkers;
    }

    /** Mask entries per row the rollout stores: 0 unless the env copies report action masks. */
    @Override
    public int maskDim() {
        return maskDim;
    }

    /**
     * The head's mask width when every env copy implements {@code ActionMasked}, else 0 (masks are used exactly
     * when the env reports them).
     */
    static int maskDim(SyncVectorEnv<?, ?> vec, PolicyHead head) {
        if (!vec.hasActionMasks()) {
            return 0;
        }
        if (head.maskDim() == 0 || head.maskDim() != vec.maskDim()) {
            throw new IllegalArgumentException("the env reports action masks of " + vec.maskDim() + " entries but"
                    + " its policy head takes " + head.maskDim() + "; masks apply to Discrete and MultiDiscrete"
                    + " action spaces.");
        }
        return head.maskDim();
    }

    SyncVectorEnv<?, ?> vectorEnv() {
        return vec;
    }

    @Override
    public Optional<ObservationNormalizer> observationNormalizer() {
        return vec.observationNormalizer();
    }

    @Override
    public Optional<RewardNormalizer> rewardNormalizer() {
        return vec.rewardNormalizer();
    }

    boolean started() {
        return started;
    }

    /**
     * Fills every row of {@code rollout} (observations, actions, log-probabilities, values, rewards, flags, bootstrap
     * values and the values after the last step) for update {@code update}, and adds the episodes that ended, in the
     * order they ended (by step, then env copy), to {@code episodes}. Returns {@code rollout}.
     */
    @Override
    public Rollout collect(Rollout rollout, int update, SamplingExecutor executor,
            List<SyncVectorEnv.Episode> episodes) {
        this.update = update;
        if (!started) {
            vec.reset(envSeeds, nextObs);
            if (maskDim > 0) {
                vec.actionMasks(nextMask);
            }
            started = true;
        }
        for (int t = 0; t < config.numSteps(); t++) {
            step = t;
            System.arraycopy(nextObs, 0, rollout.obsBuffer(), t * numEnvs * obsDim, numEnvs * obsDim);
            current = rollout;
            currentRow0 = t * numEnvs;
            executor.run(workers.length, slice);
            endStep(rollout, t, episodes);
        }
        workers[0].net.infer(nextObs, numEnvs, null, rollout.nextValueBuffer());
        checkFinite(rollout.nextValueBuffer(), "V(observation after the rollout)");
        return rollout;
    }

    /**
     * Worker {@code w}'s share of one step: infer its env copies' actions in one batch, then step those copies. Runs
     * concurrently with the other workers: it touches only its own copies, rows and workspaces.
     */
    private void sampleSlice(int w) {
        Rollout rollout = current;
        Worker k = workers[w];
        int n = k.to - k.from;
        int row = currentRow0 + k.from;
        System.arraycopy(nextObs, k.from * obsDim, k.obs, 0, n * obsDim);
        boolean[] mask = null;
        if (maskDim > 0) {
            mask = k.mask;
            System.arraycopy(nextMask, k.from * maskDim, mask, 0, n * maskDim);
            System.arraycopy(mask, 0, rollout.maskBuffer(), row * maskDim, n * maskDim);
        }
        k.net.infer(k.obs, n, k.policyOut, k.values);
        if (!allFinite(k.policyOut) || !allFinite(k.values)) {
            checkFinite(k.policyOut, "policy output (logits or means) of the sampling policy");
            checkFinite(k.values, "value of the sampling policy");
        }
        if (logStdDim > 0) {
            System.arraycopy(k.net.params(), k.net.logStdOffset(), k.logStd, 0, logStdDim);
        }
        if (mask == null) {
            head.sample(k.policyOut, k.logStd, n, k.rngs, k.actions, k.logProbs);
        } else {
            head.sample(k.policyOut, k.logStd, mask, n, k.rngs, k.actions, k.logProbs);
        }
        System.arraycopy(k.actions, 0, rollout.actionBuffer(), row * actionDim, n * actionDim);
        System.arraycopy(k.logProbs, 0, rollout.logProbBuffer(), row, n);
        System.arraycopy(k.values, 0, rollout.valueBuffer(), row, n);
        // The env sees the head's env action (a squashed one for tanh), clipped where configured; the buffer keeps
        // the raw sample so log π(a) stays exact (CleanRL's ClipAction wrapper).
        int a0 = k.from * actionDim;
        head.envActions(k.actions, n, envActions, a0);
        if (clipBox != null) {
            for (int i = 0; i < n * actionDim; i++) {
                int d = i % actionDim;
                envActions[a0 + i] = Math.min(Math.max(envActions[a0 + i], clipBox.low(d)), clipBox.high(d));
            }
        }
        vec.step(k.from, k.to, envActions, nextObs, stepRewards, stepTerminated, stepTruncated, finalObs);
        if (maskDim > 0) {
            vec.actionMasks(k.from, k.to, nextMask); // the copies are this worker's until the step ends
        }
    }

    /** Finishes step {@code t}: normalisation in env order, truncation bootstrap, episode statistics. */
    private void endStep(Rollout rollout, int t, List<SyncVectorEnv.Episode> episodes) {
        vec.finishStep(nextObs, stepRewards, stepTerminated, stepTruncated, finalObs);
        int row0 = t * numEnvs;
        for (int i = 0; i < numEnvs; i++) {
            int row = row0 + i;
            double finalValue = 0.0;
            // A time limit is not a terminal state: bootstrap with V(final observation).
            if (stepTruncated[i] && !stepTerminated[i] && config.bootstrapTruncated()) {
                System.arraycopy(finalObs, i * obsDim, bootstrapObs, 0, obsDim);
                workers[0].net.infer(bootstrapObs, 1, null, bootstrapValue);
                if (!Double.isFinite(bootstrapValue[0])) {
                    throw nonFinite("V(final observation) of env copy " + i, 0, bootstrapValue[0]);
                }
                finalValue = bootstrapValue[0];
            }
            rollout.setStep(row, stepRewards[i], stepTerminated[i], stepTruncated[i], finalValue);
        }
        if (vec.drainEpisodes(drained) > 0) { // addAll copies the list into a new array: only when episodes ended
            episodes.addAll(drained);
            drained.clear();
        }
    }

    /** θ_old ← θ for every sampling worker. */
    @Override
    public void sync(ActorCritic theta) {
        for (Worker w : workers) {
            w.net.copyParamsFrom(theta);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Snapshots

    @Override
    public CollectorState snapshot() {
        ObservationNormalizer n = vec.observationNormalizer().orElse(null);
        NormalizerRecord obsNorm = n == null ? null
                : NormalizerRecord.observations(n.stats().state(), n.epsilon(), n.clip());
        RewardNormalizer r = vec.rewardNormalizer().orElse(null);
        NormalizerRecord rewardNorm = r == null ? null
                : new NormalizerRecord(r.stats().state(), r.epsilon(), r.clip(), r.gamma(), r.runningReturns());
        return new CollectorState(actionRngStates(), envSeeds.clone(), started, nextObs.clone(), obsNorm, rewardNorm,
                episodeReturns(), episodeLengths(), envStates());
    }

    long[] actionRngStates() {
        long[] s = new long[actionRngs.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = actionRngs[i].state();
        }
        return s;
    }

    double[] episodeReturns() {
        double[] r = new double[numEnvs];
        for (int i = 0; i < numEnvs; i++) {
            r[i] = vec.episodeReturn(i);
        }
        return r;
    }

    long[] episodeLengths() {
        long[] l = new long[numEnvs];
        for (int i = 0; i < numEnvs; i++) {
            l[i] = vec.episodeLength(i);
        }
        return l;
    }

    /** Every copy's layers, or {@code null} when a copy cannot be snapshotted (or none was reset yet). */
    long[][][] envStates() {
        if (!started) {
            return null;
        }
        long[][][] states = new long[numEnvs][][];
        for (int i = 0; i < numEnvs; i++) {
            states[i] = vec.snapshotCopy(i);
            if (states[i] == null) {
                return null;
            }
        }
        return states;
    }

    /** The env id of the first copy whose state cannot be saved (for the resume warning), or {@code null}. */
    @Override
    public String unsnapshottableEnv() {
        for (int i = 0; i < numEnvs; i++) {
            if (dev.proxima.core.env.Snapshottable.captureChain(vec.env(i)) == null) {
                return vec.env(i).name();
            }
        }
        return null;
    }

    /**
     * Restores the collector's part of a checkpoint: random streams, normalisers and, when saved, the env copies
     * mid-episode. Otherwise the copies are reset on the next rollout from seeds derived from the update reached, so a
     * resumed run does not replay the episodes of the run's start.
     */
    @Override
    public void restore(CollectorState r, int update) {
        if (r.actionRngs().length != actionRngs.length) {
            throw new IllegalArgumentException("the checkpoint has " + r.actionRngs().length + " action streams for "
                    + actionRngs.length + " env copies");
        }
        for (int i = 0; i < actionRngs.length; i++) {
            actionRngs[i].setState(r.actionRngs()[i]);
        }
        System.arraycopy(r.envSeeds(), 0, envSeeds, 0, numEnvs);
        ObservationNormalizer obsNorm = vec.observationNormalizer().orElse(null);
        if (obsNorm != null) {
            NormalizerRecord n = r.obsNorm();
            if (n == null) {
                throw new IllegalArgumentException("the run normalises observations but the checkpoint has no"
                        + " observation statistics");
            }
            obsNorm.stats().restore(n.stats());
        }
        RewardNormalizer rew = vec.rewardNormalizer().orElse(null);
        if (rew != null) {
            NormalizerRecord n = r.rewardNorm();
            if (n == null) {
                throw new IllegalArgumentException("the run normalises rewards but the checkpoint has no reward"
                        + " statistics");
            }
            rew.stats().restore(n.stats());
            rew.setRunningReturns(n.returns());
        }
        if (r.envsResumable()) {
            System.arraycopy(r.nextObs(), 0, nextObs, 0, nextObs.length);
            for (int i = 0; i < numEnvs; i++) {
                vec.restoreCopy(i, r.envStates()[i], r.episodeReturns()[i], (int) r.episodeLengths()[i]);
            }
            if (maskDim > 0) {
                vec.actionMasks(nextMask); // a function of the restored states, so not stored
            }
            started = true;
        } else if (update > 0) {
            for (int i = 0; i < numEnvs; i++) {
                envSeeds[i] ^= 0x9E3779B97F4A7C15L * update;
            }
        }
    }

    /** Restores statistics the checkpoint holds into a fresh normaliser (used by agents and tests). */
    static void restoreStats(RunningMeanStd stats, NormalizerRecord n) {
        stats.restore(n.stats());
    }

    @Override
    public void close() {
        vec.close();
    }

    // ---------------------------------------------------------------------------------------------------------------

    private NonFiniteException nonFinite(String what, int index, double value) {
        return new NonFiniteException(what, index, value, " at rollout step " + (step + 1) + " of update " + update
                + "; the sampling policy or the env produced it. Lower learningRate, look for extreme rewards or"
                + " observations, or enable normalizeObservation/normalizeReward.");
    }

    private void checkFinite(double[] x, String what) {
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i])) {
                throw nonFinite(what, i, x[i]);
            }
        }
    }

    private static boolean allFinite(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v * 0.0;
        }
        return s == 0.0;
    }

    /** A sampling worker: its env copies {@code [from, to)}, its θ_old copy and workspaces. */
    private final class Worker {
        final ActorCritic net;
        final int from;
        final int to;
        final float[] obs;
        final double[] policyOut;
        final double[] values;
        final float[] actions;
        final double[] logProbs;
        final double[] logStd;
        final boolean[] mask;
        final RandomGenerator[] rngs;

        Worker(ActorCritic net, int from, int to) {
            this.net = net;
            this.from = from;
            this.to = to;
            int n = to - from;
            obs = new float[n * obsDim];
            policyOut = new double[n * policyDim];
            values = new double[n];
            actions = new float[n * actionDim];
            logProbs = new double[n];
            logStd = new double[logStdDim];
            mask = new boolean[n * maskDim];
            rngs = new RandomGenerator[n];
            for (int i = 0; i < n; i++) {
                rngs[i] = actionRngs[from + i];
            }
        }
    }
}
