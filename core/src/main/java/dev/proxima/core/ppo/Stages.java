package dev.proxima.core.ppo;

import dev.proxima.core.dist.Heads;
import dev.proxima.core.dist.PolicyHead;
import dev.proxima.core.env.ObservationNormalizer;
import dev.proxima.core.env.RewardNormalizer;
import dev.proxima.core.env.SyncVectorEnv;
import dev.proxima.core.nn.ActorCritic;
import dev.proxima.core.optim.Adam;
import dev.proxima.core.optim.NonFiniteException;
import dev.proxima.core.run.Rng;
import dev.proxima.core.space.Box;
import dev.proxima.core.space.Space;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The state of a PPO run and its five stages, each a short method in the order of {@code cleanrl/ppo.py}:
 * {@link #sample()} → {@link #advantage()} → {@link #optimise()} (clipped objective over minibatch epochs) →
 * {@link #syncOldPolicy()}. {@link PpoLoop} calls them in order; the Kotlin pipeline calls the same methods, and
 * splits sampling over workers with {@link #beginRolloutStep}, {@link #sampleSlice} and {@link #endRolloutStep}.
 *
 * <h2>Seeding</h2>
 * One seed drives everything. From {@code root = new Rng(seed)} the streams are split in this order, which is part of
 * the reproducibility contract (append new streams, never reorder): 1. network initialisation; 2. minibatch
 * shuffling; 3. one env seed per copy ({@code root.nextLong()} each, given to {@code reset(seed)}); 4. one
 * action-sampling stream per env copy. Because every env copy has its own action stream and normalisation runs in
 * env order after each step, results do not depend on how many workers sample.
 *
 * <p>Not thread-safe, except that {@link #sampleSlice} may run concurrently for different workers.
 */
public final class Stages implements AutoCloseable {
    private final PpoConfig config;
    private final int numUpdates;
    private final SyncVectorEnv<?, ?> vec;
    private final PolicyHead head;
    private final Space<?> actionSpace;
    private final int numEnvs;
    private final int obsDim;
    private final int actionDim;
    private final int policyDim;
    private final int logStdDim;
    private final Box clipBox;

    /** θ: the parameters being optimised. */
    final ActorCritic net;
    /** θ_old: the sampling policy, one copy per worker (each owns its workspaces). */
    private final Worker[] workers;
    final Adam adam;
    final Rollout rollout;
    final Rng shuffleRng;
    final Rng[] actionRngs;
    final long[] envSeeds;
    private final List<LossTerm> terms;

    /** The next observation of every copy (normalised when configured): CleanRL's {@code next_obs}. */
    final float[] nextObs;
    private final float[] finalObs;
    /** The actions the env copies get (clipped where configured); workers write disjoint rows. */
    private final float[] envActions;
    private final double[] stepRewards;
    private final boolean[] stepTerminated;
    private final boolean[] stepTruncated;
    private final double[] bootstrapValue = new double[1];
    private final float[] bootstrapObs;
    private final List<SyncVectorEnv.Episode> finished = new ArrayList<>();
    private final List<SyncVectorEnv.Episode> episodesThisUpdate = new ArrayList<>();

    int update;
    long globalStep;
    private boolean started;
    private final long startNanos = System.nanoTime();
    private long stepsAtStart;

    // Minibatch workspaces, sized once.
    private final int mbSize;
    private final int[] order;
    private final float[] mbObs;
    private final float[] mbActions;
    private final double[] mbOldLogProb;
    private final double[] mbAdv;
    private final double[] mbReturns;
    private final double[] mbOldValues;
    private final double[] mbPolicyOut;
    private final double[] mbValues;
    private final double[] mbLogProb;
    private final double[] mbEntropy;
    private final double[] dLogProb;
    private final double[] dEntropy;
    private final double[] dValues;
    private final double[] dPolicyOut;
    private final double[] dLogStd;
    private final double[] logStd;

    /**
     * Sets up a run of {@code totalSteps} env steps: makes the env copies, the networks and the optimiser. Use one
     * worker for plain sequential sampling.
     */
    public Stages(PpoConfig config, long totalSteps, int numWorkers) {
        if (totalSteps < 1) {
            throw new IllegalArgumentException("totalSteps = " + totalSteps + " must be at least 1");
        }
        if (numWorkers < 1 || numWorkers > config.numEnvs()) {
            throw new IllegalArgumentException("workers = " + numWorkers + " must lie in [1, numEnvs = "
                    + config.numEnvs() + "]: each worker steps at least one env copy.");
        }
        this.config = config;
        this.numUpdates = config.numUpdates(totalSteps);
        this.numEnvs = config.numEnvs();

        Rng root = new Rng(config.seed());
        Rng initRng = root.split();
        this.shuffleRng = root.split();
        this.envSeeds = new long[numEnvs];
        for (int i = 0; i < numEnvs; i++) {
            envSeeds[i] = root.nextLong();
        }
        this.actionRngs = new Rng[numEnvs];
        for (int i = 0; i < numEnvs; i++) {
            actionRngs[i] = root.split();
        }

        this.vec = SyncVectorEnv.of(config.env(), envSeeds);
        if (config.normalizeObservation()) {
            vec.observationNormalizer(ObservationNormalizer.cleanRl(vec.obsDim()));
        }
        if (config.normalizeReward()) {
            vec.rewardNormalizer(RewardNormalizer.cleanRl(numEnvs, config.gamma()));
        }
        this.actionSpace = vec.actionSpace();
        this.head = Heads.forActionSpace(actionSpace);
        this.obsDim = vec.obsDim();
        this.actionDim = head.actionDim();
        this.policyDim = head.policyDim();
        this.logStdDim = head.logStdDim();
        this.clipBox = config.clipAction() && actionSpace instanceof Box b && b.isBounded() ? b : null;

        this.net = config.network().create(obsDim, policyDim, logStdDim, new SplittableRandom(initRng.nextLong()));
        if (logStdDim > 0 && config.logStdInit() != 0.0) {
            java.util.Arrays.fill(net.params(), net.logStdOffset(), net.logStdOffset() + logStdDim, config.logStdInit());
            net.syncParams();
        }
        this.adam = new Adam(net.numParams(), Adam.DEFAULT_BETA1, Adam.DEFAULT_BETA2, config.adamEps(), 0.0);
        this.rollout = new Rollout(config.numSteps(), numEnvs, obsDim, actionDim);
        this.terms = new ArrayList<>();
        for (LossTerm t : config.losses()) {
            terms.add(t.copy()); // per-run state, so a config can be trained twice
        }

        this.workers = new Worker[numWorkers];
        for (int w = 0; w < numWorkers; w++) {
            int from = (int) ((long) numEnvs * w / numWorkers);
            int to = (int) ((long) numEnvs * (w + 1) / numWorkers);
            workers[w] = new Worker(net.copy(), from, to);
        }

        this.nextObs = new float[numEnvs * obsDim];
        this.finalObs = new float[numEnvs * obsDim];
        this.envActions = new float[numEnvs * actionDim];
        this.stepRewards = new double[numEnvs];
        this.stepTerminated = new boolean[numEnvs];
        this.stepTruncated = new boolean[numEnvs];
        this.bootstrapObs = new float[obsDim];

        this.mbSize = config.minibatchSize();
        this.order = new int[config.batchSize()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        this.mbObs = new float[mbSize * obsDim];
        this.mbActions = new float[mbSize * actionDim];
        this.mbOldLogProb = new double[mbSize];
        this.mbAdv = new double[mbSize];
        this.mbReturns = new double[mbSize];
        this.mbOldValues = new double[mbSize];
        this.mbPolicyOut = new double[mbSize * policyDim];
        this.mbValues = new double[mbSize];
        this.mbLogProb = new double[mbSize];
        this.mbEntropy = new double[mbSize];
        this.dLogProb = new double[mbSize];
        this.dEntropy = new double[mbSize];
        this.dValues = new double[mbSize];
        this.dPolicyOut = new double[mbSize * policyDim];
        this.dLogStd = new double[logStdDim];
        this.logStd = new double[logStdDim];
    }

    public PpoConfig config() { return config; }
    public int numUpdates() { return numUpdates; }
    /** Updates completed so far. */
    public int update() { return update; }
    public long globalStep() { return globalStep; }
    public int numWorkers() { return workers.length; }
    public boolean finished() { return update >= numUpdates; }
    public PolicyHead head() { return head; }
    public SyncVectorEnv<?, ?> vectorEnv() { return vec; }
    public Rollout rollout() { return rollout; }
    /** This run's loss terms (copies of the configured ones, carrying this run's state). */
    public List<LossTerm> lossTerms() { return java.util.Collections.unmodifiableList(terms); }
    /** Whether the env copies have been reset (the first rollout step ran, or a checkpoint restored them). */
    public boolean started() { return started; }

    Box clipBox() { return clipBox; }

    void markStarted() {
        started = true;
        stepsAtStart = globalStep;
    }

    /**
     * Writes a checkpoint of the whole run between updates (atomically; format in {@link Checkpoint}): weights,
     * optimiser, random streams, normaliser statistics, loss-term state and, where the envs allow, the env copies.
     */
    public void save(java.nio.file.Path file) throws java.io.IOException {
        Checkpoint.save(this, file);
    }

    /**
     * Continues a run from a checkpoint written by {@link #save}. {@code config} must equal the checkpoint's (the
     * error lists any difference); with the same {@code totalSteps} the continuation is exactly the run that was
     * never interrupted.
     */
    public static Stages restore(PpoConfig config, long totalSteps, int numWorkers, java.nio.file.Path file)
            throws java.io.IOException {
        return Checkpoint.restore(config, totalSteps, numWorkers, file);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 1. Sample: numSteps steps of every env copy with the old policy θ_old (CleanRL "for step in range(num_steps)").
    // ---------------------------------------------------------------------------------------------------------------

    /** Collects one rollout sequentially. */
    public void sample() {
        for (int t = 0; t < config.numSteps(); t++) {
            beginRolloutStep(t);
            for (int w = 0; w < workers.length; w++) {
                sampleSlice(w, t);
            }
            endRolloutStep(t);
        }
        endRollout();
    }

    /** Starts step {@code t} of the rollout; call before the workers' {@link #sampleSlice} for that step. */
    public void beginRolloutStep(int t) {
        if (!started) {
            vec.reset(envSeeds, nextObs);
            started = true;
            stepsAtStart = globalStep;
        }
        if (t == 0) {
            episodesThisUpdate.clear();
        }
        System.arraycopy(nextObs, 0, rollout.obs, t * numEnvs * obsDim, numEnvs * obsDim);
    }

    /**
     * Worker {@code w}'s share of step {@code t}: infer its env copies' actions in one batch, then step those copies.
     * Different workers may run this concurrently: each touches only its own copies, rows and workspaces.
     */
    public void sampleSlice(int w, int t) {
        Worker k = workers[w];
        int n = k.to - k.from;
        int row0 = t * numEnvs + k.from;
        System.arraycopy(nextObs, k.from * obsDim, k.obs, 0, n * obsDim);
        k.net.infer(k.obs, n, k.policyOut, k.values);
        readLogStd(k.net, k.logStd);
        head.sample(k.policyOut, k.logStd, n, k.rngs, k.actions, k.logProbs);
        System.arraycopy(k.actions, 0, rollout.actions, row0 * actionDim, n * actionDim);
        System.arraycopy(k.logProbs, 0, rollout.logProbs, row0, n);
        System.arraycopy(k.values, 0, rollout.values, row0, n);
        // The env sees the clipped action; the buffer keeps the raw sample so log π(a) stays exact (CleanRL's ClipAction).
        int a0 = k.from * actionDim;
        System.arraycopy(k.actions, 0, envActions, a0, n * actionDim);
        if (clipBox != null) {
            for (int i = 0; i < n * actionDim; i++) {
                int d = i % actionDim;
                envActions[a0 + i] = Math.min(Math.max(envActions[a0 + i], clipBox.low(d)), clipBox.high(d));
            }
        }
        vec.step(k.from, k.to, envActions, nextObs, stepRewards, stepTerminated, stepTruncated, finalObs);
    }

    /** Finishes step {@code t}: normalisation in env order, truncation bootstrap, episode statistics. */
    public void endRolloutStep(int t) {
        vec.finishStep(nextObs, stepRewards, stepTerminated, stepTruncated, finalObs);
        int row0 = t * numEnvs;
        for (int i = 0; i < numEnvs; i++) {
            int row = row0 + i;
            rollout.rewards[row] = stepRewards[i];
            rollout.terminated[row] = stepTerminated[i];
            rollout.truncated[row] = stepTruncated[i];
            rollout.finalValues[row] = 0.0;
            // A time limit is not a terminal state: bootstrap with V(final observation) (Pardo et al. 2018,
            // "Time Limits in Reinforcement Learning"); CleanRL as written cuts the return here instead.
            if (stepTruncated[i] && !stepTerminated[i] && config.bootstrapTruncated()) {
                System.arraycopy(finalObs, i * obsDim, bootstrapObs, 0, obsDim);
                workers[0].net.infer(bootstrapObs, 1, null, bootstrapValue);
                checkFinite(bootstrapValue[0], "V(final observation)", "env " + i + ", rollout step " + t
                        + " of update " + (update + 1));
                rollout.finalValues[row] = bootstrapValue[0];
            }
        }
        globalStep += numEnvs;
        vec.drainEpisodes(finished);
        episodesThisUpdate.addAll(finished);
        finished.clear();
    }

    private void endRollout() {
        workers[0].net.infer(nextObs, numEnvs, null, rollout.nextValue);
    }

    /** After the last {@link #endRolloutStep}: values of the observations that follow the rollout. */
    public void finishRollout() {
        endRollout();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 2. Advantage: GAE(γ, λ), Schulman et al. 2016 (arXiv:1506.02438) eq. 16.
    // ---------------------------------------------------------------------------------------------------------------

    public void advantage() {
        Gae.compute(config.numSteps(), numEnvs, rollout.rewards, rollout.values, rollout.terminated,
                rollout.truncated, rollout.finalValues, rollout.nextValue, config.gamma(), config.gaeLambda(),
                config.bootstrapTruncated() ? Gae.Truncation.BOOTSTRAP : Gae.Truncation.TREAT_AS_TERMINATION,
                rollout.advantages, rollout.returns);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 3-4. Clipped objective over updateEpochs passes of shuffled minibatches (CleanRL "Optimizing the policy and
    // value network").
    // ---------------------------------------------------------------------------------------------------------------

    /** Runs the epochs of minibatch gradient steps of this update and returns its statistics. */
    public UpdateStats optimise() {
        int upd = update + 1;
        LossContext ctx = new LossContext(config.clip(), upd, numUpdates);
        double lr = config.annealLr() ? ctx.frac() * config.learningRate() : config.learningRate();
        for (LossTerm term : terms) {
            term.beginUpdate(ctx);
        }
        double[] weights = new double[terms.size()];
        for (int k = 0; k < terms.size(); k++) {
            weights[k] = term(k).weight(ctx);
        }
        Map<String, Double> last = new LinkedHashMap<>();
        double clipFracSum = 0;
        int minibatches = 0;
        int epochsRun = 0;
        KlStats kl = null;
        double entropyMean = Double.NaN;
        // A fresh permutation base each update (CleanRL reshuffles one b_inds array across updates): the distribution
        // is the same and a checkpoint need not store the permutation.
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int epoch = 0; epoch < config.updateEpochs(); epoch++) {
            epochsRun++;
            shuffle(order, shuffleRng);
            for (int start = 0; start < order.length; start += mbSize) {
                gather(start);
                net.forward(mbObs, mbSize, mbPolicyOut, mbValues);
                readLogStd(net, logStd);
                head.logProbAndEntropy(mbPolicyOut, logStd, mbActions, mbSize, mbLogProb, mbEntropy);
                kl = KlStats.of(mbLogProb, mbOldLogProb, mbSize, config.clip());
                clipFracSum += kl.clipFrac();
                minibatches++;
                entropyMean = mean(mbEntropy, mbSize);

                java.util.Arrays.fill(dLogProb, 0.0);
                java.util.Arrays.fill(dEntropy, 0.0);
                java.util.Arrays.fill(dValues, 0.0);
                for (int k = 0; k < terms.size(); k++) {
                    grads.weight = weights[k];
                    double v = term(k).lossAndGrad(batch, outputs, grads);
                    if (!Double.isFinite(v) || !allFinite(dLogProb) || !allFinite(dEntropy) || !allFinite(dValues)) {
                        String where = "update " + upd + ", epoch " + (epoch + 1) + ", minibatch "
                                + (start / mbSize + 1);
                        String key = term(k).key();
                        checkFinite(v, key, where);
                        checkFinite(dLogProb, key + " gradient w.r.t. log-prob", where);
                        checkFinite(dEntropy, key + " gradient w.r.t. entropy", where);
                        checkFinite(dValues, key + " gradient w.r.t. value", where);
                    }
                    last.put(term(k).key(), v);
                }
                head.backward(mbPolicyOut, logStd, mbActions, mbSize, dLogProb, dEntropy, dPolicyOut, dLogStd);
                net.zeroGrads();
                net.backward(dPolicyOut, dValues, mbSize);
                if (logStdDim > 0) {
                    double[] g = net.grads();
                    int off = net.logStdOffset();
                    for (int d = 0; d < logStdDim; d++) {
                        g[off + d] += dLogStd[d];
                    }
                }
                if (!allFinite(net.grads())) {
                    checkFinite(net.grads(), "parameter gradient", "update " + upd + ", epoch " + (epoch + 1)
                            + ", minibatch " + (start / mbSize + 1));
                }
                adam.step(net.params(), net.grads(), lr, config.maxGradNorm());
                net.syncParams();
            }
            // CleanRL checks target_kl with the last minibatch's approx_kl, after the epoch.
            if (!Double.isNaN(config.targetKl()) && kl.approxKl() > config.targetKl()) {
                break;
            }
        }
        for (LossTerm term : terms) {
            term.endUpdate(ctx, kl.approxKl());
        }
        update = upd;

        Map<String, Double> m = new LinkedHashMap<>();
        m.put(UpdateStats.LEARNING_RATE, lr);
        m.put(UpdateStats.VALUE_LOSS, Double.NaN);
        m.put(UpdateStats.POLICY_LOSS, Double.NaN);
        m.put(UpdateStats.ENTROPY, entropyMean);
        m.putAll(last);
        m.put(UpdateStats.OLD_APPROX_KL, kl.oldApproxKl());
        m.put(UpdateStats.APPROX_KL, kl.approxKl());
        m.put(UpdateStats.CLIPFRAC, clipFracSum / minibatches);
        m.put(UpdateStats.EXPLAINED_VARIANCE, ExplainedVariance.of(rollout.values, rollout.returns));
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        m.put(UpdateStats.SPS, Math.floor((globalStep - stepsAtStart) / Math.max(seconds, 1e-9)));
        double ret = Double.NaN;
        double len = Double.NaN;
        if (!episodesThisUpdate.isEmpty()) {
            ret = 0;
            len = 0;
            for (SyncVectorEnv.Episode e : episodesThisUpdate) {
                ret += e.ret();
                len += e.length();
            }
            ret /= episodesThisUpdate.size();
            len /= episodesThisUpdate.size();
        }
        m.put(UpdateStats.EPISODIC_RETURN, ret);
        m.put(UpdateStats.EPISODIC_LENGTH, len);
        return new UpdateStats(upd, globalStep, ret, len, episodesThisUpdate.size(), epochsRun, m);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 5. Sync the old policy: θ_old ← θ for every sampling worker.
    // ---------------------------------------------------------------------------------------------------------------

    public void syncOldPolicy() {
        for (Worker w : workers) {
            w.net.copyParamsFrom(net);
        }
    }

    /** One whole update: sample, advantage, optimise, sync. */
    public UpdateStats runUpdate() {
        if (finished()) {
            throw new IllegalStateException("all " + numUpdates + " updates of this run are done");
        }
        sample();
        advantage();
        UpdateStats stats = optimise();
        syncOldPolicy();
        return stats;
    }

    /** The current policy θ as a standalone agent (copied: training on does not change it). */
    public Agent agent() {
        return new Agent(config.env(), net.copy(), head, vec.observationNormalizer().orElse(null), clipBox,
                config.network());
    }

    @Override
    public void close() {
        vec.close();
    }

    // ---------------------------------------------------------------------------------------------------------------

    private LossTerm term(int k) {
        return terms.get(k);
    }

    private void gather(int start) {
        int n = mbSize;
        for (int j = 0; j < n; j++) {
            int row = order[start + j];
            System.arraycopy(rollout.obs, row * obsDim, mbObs, j * obsDim, obsDim);
            System.arraycopy(rollout.actions, row * actionDim, mbActions, j * actionDim, actionDim);
            mbOldLogProb[j] = rollout.logProbs[row];
            mbAdv[j] = rollout.advantages[row];
            mbReturns[j] = rollout.returns[row];
            mbOldValues[j] = rollout.values[row];
        }
        if (config.normAdv()) {
            Advantages.normalize(mbAdv, 0, n);
        }
    }

    private void readLogStd(ActorCritic network, double[] dst) {
        if (logStdDim > 0) {
            System.arraycopy(network.params(), network.logStdOffset(), dst, 0, logStdDim);
        }
    }

    /** Fisher-Yates with the run's shuffle stream (torch.randperm's role in CleanRL). */
    private static void shuffle(int[] a, RandomGenerator rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static double mean(double[] x, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += x[i];
        }
        return s / n;
    }

    private static final String STOPPED = "; training stopped before applying it, so the parameters are those of"
            + " the last good step. Lower learningRate, look for extreme rewards or observations, or enable"
            + " normalizeObservation/normalizeReward.";

    private static void checkFinite(double v, String what, String where) {
        if (!Double.isFinite(v)) {
            throw new NonFiniteException(what, 0, v, " at " + where + STOPPED);
        }
    }

    private static boolean allFinite(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v * 0.0; // NaN or ±inf anywhere makes the sum NaN; no branch per element
        }
        return s == 0.0;
    }

    private static void checkFinite(double[] x, String what, String where) {
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i])) {
                throw new NonFiniteException(what, i, x[i], " at " + where + STOPPED);
            }
        }
    }

    private final WeightedGrads grads = new WeightedGrads();
    private final Batch batch = new Batch();
    private final Outputs outputs = new Outputs();

    private final class WeightedGrads implements HeadGrads {
        double weight;

        @Override
        public void addLogProb(int i, double g) {
            dLogProb[i] += weight * g;
        }

        @Override
        public void addEntropy(int i, double g) {
            dEntropy[i] += weight * g;
        }

        @Override
        public void addValue(int i, double g) {
            dValues[i] += weight * g;
        }
    }

    private final class Batch implements Minibatch {
        @Override public int size() { return mbSize; }
        @Override public double oldLogProb(int i) { return mbOldLogProb[i]; }
        @Override public double advantage(int i) { return mbAdv[i]; }
        @Override public double returns(int i) { return mbReturns[i]; }
        @Override public double oldValue(int i) { return mbOldValues[i]; }
    }

    private final class Outputs implements HeadOutputs {
        @Override public double logProb(int i) { return mbLogProb[i]; }
        @Override public double entropy(int i) { return mbEntropy[i]; }
        @Override public double value(int i) { return mbValues[i]; }
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
            rngs = new RandomGenerator[n];
            for (int i = 0; i < n; i++) {
                rngs[i] = actionRngs[from + i];
            }
        }
    }
}
