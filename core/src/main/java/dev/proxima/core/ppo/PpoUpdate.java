package dev.proxima.core.ppo;

import dev.proxima.core.dist.PolicyHead;
import dev.proxima.core.nn.ActorCritic;
import dev.proxima.core.optim.Adam;
import dev.proxima.core.optim.LrSchedule;
import dev.proxima.core.optim.NonFiniteException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * One PPO update on a collected rollout: {@code updateEpochs} passes over the rollout in shuffled minibatches, each a
 * gradient step on the sum of the loss terms, in the order of {@code cleanrl/ppo.py}'s "Optimizing the policy and value
 * network" block (Schulman et al. 2017, arXiv:1707.06347, Algorithm 1):
 *
 * <pre>
 * for epoch in range(update_epochs):
 *     shuffle(b_inds)
 *     for each minibatch:
 *         newlogprob, entropy, newvalue = agent(b_obs[mb], b_actions[mb])
 *         approx_kl, clipfrac                      # diagnostics, k3 estimator
 *         mb_advantages normalised                 # norm_adv
 *         loss = pg_loss - ent_coef * entropy + v_coef * v_loss   # the LossTerms, weighted
 *         backward; clip_grad_norm; optimizer.step
 *     if target_kl is not None and approx_kl &gt; target_kl: break
 * </pre>
 *
 * <p>Non-finite numbers stop the update with a {@link NonFiniteException} naming the update, epoch, minibatch and what
 * was not finite (a policy output, a term's value or gradient, a parameter gradient, or a parameter after the step);
 * θ and the optimiser are then those of the last good step. Owns the minibatch workspaces, sized once; nothing is
 * allocated per minibatch.
 */
public final class PpoUpdate {
    private final PpoConfig config;
    private final ActorCritic net;
    private final PolicyHead head;
    private final Adam adam;
    private final List<LossTerm> terms;
    /** Per update: each term's weight, and its loss on the last minibatch (kept, not allocated per update). */
    private final double[] termWeights;
    private final double[] termLosses;
    private final LrSchedule schedule;

    private final int obsDim;
    private final int actionDim;
    private final int policyDim;
    private final int logStdDim;
    private final int maskDim;
    private final int mbSize;
    private final int[] order;
    private final float[] mbObs;
    private final float[] mbActions;
    /** The minibatch's action masks, or {@code null} when actions are not masked. */
    private final boolean[] mbMask;
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
    private final double[] dPolicyOutDirect;
    private final double[] dLogStd;
    private final double[] dLogStdDirect;
    private final double[] logStd;
    /** {@link KlStats#into} of the last minibatch. */
    private final double[] kl = new double[3];
    /** Update, epoch and minibatch (1-based) being processed, for messages; the text is built only on failure. */
    private final int[] position = new int[3];
    private final WeightedGrads grads = new WeightedGrads();
    private final Batch batch = new Batch();
    private final Outputs outputs = new Outputs();

    /**
     * @param net   θ, updated in place
     * @param terms this run's loss terms (with their per-run state), evaluated in order
     */
    public PpoUpdate(PpoConfig config, ActorCritic net, PolicyHead head, Adam adam, List<LossTerm> terms) {
        this(config, net, head, adam, terms, 0);
    }

    /**
     * An update whose rollout stores action masks of {@code maskDim} entries per row (0: none); each minibatch's
     * log-probabilities, entropies and gradients are then those of the masked distribution the actions were sampled
     * from, so the ratio compares like with like.
     */
    public PpoUpdate(PpoConfig config, ActorCritic net, PolicyHead head, Adam adam, List<LossTerm> terms,
            int maskDim) {
        this.config = config;
        this.net = net;
        this.head = head;
        this.adam = adam;
        this.terms = List.copyOf(terms);
        this.termWeights = new double[this.terms.size()];
        this.termLosses = new double[this.terms.size()];
        this.schedule = config.annealLr() ? LrSchedule.linear(config.learningRate())
                : LrSchedule.constant(config.learningRate());
        this.obsDim = net.obsDim();
        this.actionDim = head.actionDim();
        this.policyDim = head.policyDim();
        this.logStdDim = head.logStdDim();
        this.maskDim = maskDim;
        this.mbSize = config.minibatchSize();
        this.order = new int[config.batchSize()];
        this.mbObs = new float[mbSize * obsDim];
        this.mbActions = new float[mbSize * actionDim];
        this.mbMask = maskDim > 0 ? new boolean[mbSize * maskDim] : null;
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
        this.dPolicyOutDirect = new double[mbSize * policyDim];
        this.dLogStd = new double[logStdDim];
        this.dLogStdDirect = new double[logStdDim];
        this.logStd = new double[logStdDim];
    }

    /** The loss terms this update evaluates (this run's instances). */
    public List<LossTerm> terms() {
        return terms;
    }

    /**
     * Runs update {@code update} (1-based) of {@code numUpdates} on {@code rollout}, whose advantages and returns are
     * computed, drawing minibatch permutations from {@code shuffleRng}.
     *
     * <p>A rollout of fewer rows than {@code batchSize} (a distributed run that lost a worker's slice) is trained in
     * minibatches of the usual {@code minibatchSize}, {@code rows / minibatchSize} of them per epoch (RLlib keeps its
     * minibatch size in this case too); the rows beyond the last whole minibatch are a new random subset each epoch.
     *
     * @return the update's metrics (CleanRL's keys, loss values of the last minibatch) and the epochs run
     * @throws IllegalArgumentException if the rollout has more rows than {@code batchSize} or fewer than one
     *                                  minibatch
     */
    public Result run(Rollout rollout, int update, int numUpdates, RandomGenerator shuffleRng) {
        int rows = rollout.size();
        if (rows > order.length || rows < mbSize) {
            throw new IllegalArgumentException("update " + update + ": the rollout has " + rows + " rows but the"
                    + " update trains between one minibatch (" + mbSize + " rows) and batchSize = " + order.length
                    + " rows.");
        }
        LossContext ctx = new LossContext(config.clip(), update, numUpdates);
        double lr = schedule.lr(update, numUpdates);
        for (LossTerm term : terms) {
            term.beginUpdate(ctx);
        }
        double[] weights = termWeights;
        for (int k = 0; k < terms.size(); k++) {
            weights[k] = terms.get(k).weight(ctx);
        }
        double[] last = termLosses; // every entry is written by each minibatch, and one minibatch runs at least
        double clipFracSum = 0;
        double approxKlSum = 0;
        int minibatches = 0;
        int epochsRun = 0;
        double[] kl = this.kl; // the last minibatch's KlStats: oldApproxKl, approxKl, clipFrac
        double entropyMean = Double.NaN;
        // A fresh permutation base each update (CleanRL reshuffles one b_inds array across updates): the distribution
        // is the same and a checkpoint need not store the permutation.
        for (int i = 0; i < rows; i++) {
            order[i] = i;
        }
        for (int epoch = 0; epoch < config.updateEpochs(); epoch++) {
            epochsRun++;
            shuffle(order, rows, shuffleRng);
            for (int start = 0; start + mbSize <= rows; start += mbSize) {
                position[0] = update;
                position[1] = epoch + 1;
                position[2] = start / mbSize + 1;
                gather(rollout, start);
                net.forward(mbObs, mbSize, mbPolicyOut, mbValues);
                if (!allFinite(mbPolicyOut) || !allFinite(mbValues)) {
                    checkFinite(mbPolicyOut, "policy output (logits or means)", where());
                    checkFinite(mbValues, "value output", where());
                }
                readLogStd();
                if (mbMask == null) {
                    head.logProbAndEntropy(mbPolicyOut, logStd, mbActions, mbSize, mbLogProb, mbEntropy);
                } else {
                    head.logProbAndEntropy(mbPolicyOut, logStd, mbMask, mbActions, mbSize, mbLogProb, mbEntropy);
                }
                KlStats.into(mbLogProb, mbOldLogProb, mbSize, config.clip(), kl);
                clipFracSum += kl[2];
                approxKlSum += kl[1];
                minibatches++;
                entropyMean = mean(mbEntropy, mbSize);

                Arrays.fill(dLogProb, 0.0);
                Arrays.fill(dEntropy, 0.0);
                Arrays.fill(dValues, 0.0);
                grads.direct = false;
                for (int k = 0; k < terms.size(); k++) {
                    LossTerm term = terms.get(k);
                    grads.weight = weights[k];
                    double v = term.lossAndGrad(batch, outputs, grads);
                    if (!Double.isFinite(v) || !allFinite(dLogProb) || !allFinite(dEntropy) || !allFinite(dValues)) {
                        checkFinite(v, term.key(), where());
                        checkFinite(dLogProb, term.key() + " gradient w.r.t. log-prob", where());
                        checkFinite(dEntropy, term.key() + " gradient w.r.t. entropy", where());
                        checkFinite(dValues, term.key() + " gradient w.r.t. value", where());
                    }
                    last[k] = v;
                }
                if (mbMask == null) {
                    head.backward(mbPolicyOut, logStd, mbActions, mbSize, dLogProb, dEntropy, dPolicyOut, dLogStd);
                } else {
                    head.backward(mbPolicyOut, logStd, mbMask, mbActions, mbSize, dLogProb, dEntropy, dPolicyOut,
                            dLogStd);
                }
                if (grads.direct) {
                    addDirectGrads();
                }
                net.zeroGrads();
                net.backward(dPolicyOut, dValues, mbSize);
                if (logStdDim > 0) {
                    double[] g = net.grads();
                    int off = net.logStdOffset();
                    for (int d = 0; d < logStdDim; d++) {
                        g[off + d] += dLogStd[d];
                    }
                }
                step(lr);
            }
            // CleanRL checks target_kl with the last minibatch's approx_kl, after the epoch.
            if (!Double.isNaN(config.targetKl()) && kl[1] > config.targetKl()) {
                break;
            }
        }
        // The terms adapt to the update's mean KL (the PPO paper's adaptive β, §4), not the last minibatch's.
        double meanApproxKl = approxKlSum / minibatches;
        for (LossTerm term : terms) {
            term.endUpdate(ctx, meanApproxKl);
        }

        Map<String, Double> m = new LinkedHashMap<>();
        m.put(UpdateStats.LEARNING_RATE, lr);
        m.put(UpdateStats.VALUE_LOSS, Double.NaN);
        m.put(UpdateStats.POLICY_LOSS, Double.NaN);
        m.put(UpdateStats.ENTROPY, entropyMean);
        for (int k = 0; k < terms.size(); k++) {
            m.put(terms.get(k).key(), last[k]);
        }
        m.put(UpdateStats.OLD_APPROX_KL, kl[0]);
        m.put(UpdateStats.APPROX_KL, kl[1]);
        m.put(UpdateStats.CLIPFRAC, clipFracSum / minibatches);
        m.put(UpdateStats.EXPLAINED_VARIANCE, ExplainedVariance.of(rollout.values, rollout.returns));
        return new Result(m, epochsRun, meanApproxKl);
    }

    /**
     * The metrics of one update and the epochs it ran (fewer than {@code updateEpochs} when {@code targetKl} stopped
     * it), and the mean approx KL over its minibatches (what the loss terms adapted to).
     */
    public record Result(Map<String, Double> metrics, int epochsRun, double meanApproxKl) {}

    /** Adam with gradient clipping; a step that leaves a parameter non-finite is undone and reported. */
    private void step(double lr) {
        try {
            // Adam checks the gradient (its norm is non-finite iff an entry is) and undoes a step that leaves a
            // parameter beyond float32's range, each within the pass it makes anyway.
            adam.step(net.params(), net.grads(), lr, config.maxGradNorm(), Float.MAX_VALUE);
        } catch (NonFiniteException e) {
            if (e.what().equals("parameter")) {
                throw new NonFiniteException("parameter", e.index(), e.value(), " after the optimiser step at "
                        + where() + " (beyond float32's range, the network's working precision)" + STOPPED);
            }
            throw new NonFiniteException("parameter gradient", e.index(), e.value(), " at " + where() + STOPPED);
        }
        net.syncParams();
    }

    private void addDirectGrads() {
        for (int i = 0; i < dPolicyOut.length; i++) {
            dPolicyOut[i] += dPolicyOutDirect[i];
        }
        for (int d = 0; d < logStdDim; d++) {
            dLogStd[d] += dLogStdDirect[d];
        }
        if (!allFinite(dPolicyOut)) {
            checkFinite(dPolicyOut, "gradient w.r.t. policy outputs", where());
        }
    }

    private String where() {
        return "update " + position[0] + ", epoch " + position[1] + ", minibatch " + position[2];
    }

    private void gather(Rollout rollout, int start) {
        int n = mbSize;
        for (int j = 0; j < n; j++) {
            int row = order[start + j];
            System.arraycopy(rollout.obs, row * obsDim, mbObs, j * obsDim, obsDim);
            System.arraycopy(rollout.actions, row * actionDim, mbActions, j * actionDim, actionDim);
            if (mbMask != null) {
                System.arraycopy(rollout.masks, row * maskDim, mbMask, j * maskDim, maskDim);
            }
            mbOldLogProb[j] = rollout.logProbs[row];
            mbAdv[j] = rollout.advantages[row];
            mbReturns[j] = rollout.returns[row];
            mbOldValues[j] = rollout.values[row];
        }
        if (config.normAdv()) {
            Advantages.normalize(mbAdv, 0, n);
        }
    }

    private void readLogStd() {
        if (logStdDim > 0) {
            System.arraycopy(net.params(), net.logStdOffset(), logStd, 0, logStdDim);
        }
    }

    /** Fisher-Yates of {@code a[0..n)} with the run's shuffle stream (torch.randperm's role in CleanRL). */
    private static void shuffle(int[] a, int n, RandomGenerator rng) {
        for (int i = n - 1; i > 0; i--) {
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

    static final String STOPPED = "; training stopped before applying it, so the parameters are those of"
            + " the last good step. Lower learningRate, look for extreme rewards or observations, or enable"
            + " normalizeObservation/normalizeReward.";

    private static void checkFinite(double v, String what, String where) {
        if (!Double.isFinite(v)) {
            throw new NonFiniteException(what, 0, v, " at " + where + STOPPED);
        }
    }

    static boolean allFinite(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v * 0.0; // NaN or ±inf anywhere makes the sum NaN; no branch per element
        }
        return s == 0.0;
    }

    private static int firstNonFinite(double[] x) {
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i])) {
                return i;
            }
        }
        return -1;
    }

    private static void checkFinite(double[] x, String what, String where) {
        int i = firstNonFinite(x);
        if (i >= 0) {
            throw new NonFiniteException(what, i, x[i], " at " + where + STOPPED);
        }
    }

    private final class WeightedGrads implements HeadGrads {
        double weight;
        boolean direct;

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

        @Override
        public void addPolicyOut(int i, int j, double g) {
            if (!direct) {
                Arrays.fill(dPolicyOutDirect, 0.0);
                Arrays.fill(dLogStdDirect, 0.0);
                direct = true;
            }
            dPolicyOutDirect[i * policyDim + j] += weight * g;
        }

        @Override
        public void addLogStd(int j, double g) {
            if (!direct) {
                Arrays.fill(dPolicyOutDirect, 0.0);
                Arrays.fill(dLogStdDirect, 0.0);
                direct = true;
            }
            dLogStdDirect[j] += weight * g;
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
        @Override public int policyDim() { return policyDim; }
        @Override public double policyOut(int i, int j) { return mbPolicyOut[i * policyDim + j]; }
        @Override public int logStdDim() { return logStdDim; }
        @Override public double logStd(int j) { return logStd[j]; }
    }
}
