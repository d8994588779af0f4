package dev.proxima.core.ppo;

/**
 * The {@code numSteps × numEnvs} transitions of one rollout, stored flat with row index {@code t * numEnvs + env}
 * (CleanRL's {@code obs[step]} buffers flattened). Allocated once per run and overwritten by every update.
 */
public final class Rollout {
    private final int numSteps;
    private final int numEnvs;
    private final int obsDim;
    private final int actionDim;
    private final int maskDim;
    final float[] obs;
    final float[] actions;
    final double[] logProbs;
    final double[] rewards;
    final boolean[] terminated;
    final boolean[] truncated;
    final double[] values;
    /** V(final observation) of a truncated episode, used to bootstrap its last step; 0 elsewhere. */
    final double[] finalValues;
    final double[] nextValue;
    final double[] advantages;
    final double[] returns;
    /** The action mask each action was sampled under, {@code maskDim} entries per row (empty without masks). */
    final boolean[] masks;

    public Rollout(int numSteps, int numEnvs, int obsDim, int actionDim) {
        this(numSteps, numEnvs, obsDim, actionDim, 0);
    }

    /** A rollout that also stores each row's action mask ({@code maskDim} entries; 0 for none). */
    public Rollout(int numSteps, int numEnvs, int obsDim, int actionDim, int maskDim) {
        this.numSteps = numSteps;
        this.numEnvs = numEnvs;
        this.obsDim = obsDim;
        this.actionDim = actionDim;
        this.maskDim = maskDim;
        int rows = numSteps * numEnvs;
        masks = new boolean[rows * maskDim];
        obs = new float[rows * obsDim];
        actions = new float[rows * actionDim];
        logProbs = new double[rows];
        rewards = new double[rows];
        terminated = new boolean[rows];
        truncated = new boolean[rows];
        values = new double[rows];
        finalValues = new double[rows];
        nextValue = new double[numEnvs];
        advantages = new double[rows];
        returns = new double[rows];
    }

    public int numSteps() { return numSteps; }
    public int numEnvs() { return numEnvs; }
    public int obsDim() { return obsDim; }
    public int actionDim() { return actionDim; }
    /** Action-mask entries per row; 0 when actions are not masked. */
    public int maskDim() { return maskDim; }
    public int size() { return numSteps * numEnvs; }

    public double reward(int row) { return rewards[row]; }
    public double value(int row) { return values[row]; }
    public double logProb(int row) { return logProbs[row]; }
    public boolean terminated(int row) { return terminated[row]; }
    public boolean truncated(int row) { return truncated[row]; }
    public double advantage(int row) { return advantages[row]; }
    /** V(final observation) a truncated step is bootstrapped with; 0 for other steps. */
    public double finalValue(int row) { return finalValues[row]; }
    public double returnAt(int row) { return returns[row]; }

    // Writers' access: the collector fills these buffers in place (row index t * numEnvs + env).

    /** The observation buffer, {@code obsDim} floats per row (normalised when configured); live, not a copy. */
    public float[] obsBuffer() { return obs; }

    /** The stored actions, {@code actionDim} floats per row (raw samples, before clipping); live. */
    public float[] actionBuffer() { return actions; }

    /** log π_old(a|s) per row; live. */
    public double[] logProbBuffer() { return logProbs; }

    /** The action masks, {@code maskDim} entries per row (the update computes the ratio under the same mask); live. */
    public boolean[] maskBuffer() { return masks; }

    /** V_old(s) per row; live. */
    public double[] valueBuffer() { return values; }

    /** V_old of the observation after the rollout's last step, per env copy; live. */
    public double[] nextValueBuffer() { return nextValue; }

    /**
     * Records what followed row {@code row}'s action: the reward, the flags, and V(final observation) of a truncated
     * episode to bootstrap with (0 otherwise).
     */
    public void setStep(int row, double reward, boolean terminated, boolean truncated, double finalValue) {
        rewards[row] = reward;
        this.terminated[row] = terminated;
        this.truncated[row] = truncated;
        finalValues[row] = finalValue;
    }

    /**
     * Computes every row's advantage and return with GAE(γ, λ) (Schulman et al. 2016, arXiv:1506.02438, eq. 16; the
     * loop of {@code cleanrl/ppo.py}); a truncated step is bootstrapped with its stored V(final observation) when
     * {@code bootstrapTruncated}, else cut like a termination (CleanRL as written).
     */
    public void computeAdvantages(double gamma, double gaeLambda, boolean bootstrapTruncated) {
        Gae.compute(numSteps, numEnvs, rewards, values, terminated, truncated, finalValues, nextValue, gamma,
                gaeLambda, bootstrapTruncated ? Gae.Truncation.BOOTSTRAP : Gae.Truncation.TREAT_AS_TERMINATION,
                advantages, returns);
    }

    /** Copy of the observation of a row. */
    public float[] observation(int row) {
        float[] o = new float[obsDim];
        System.arraycopy(obs, row * obsDim, o, 0, obsDim);
        return o;
    }

    /** Copy of the stored (raw, unclipped) action of a row. */
    public float[] action(int row) {
        float[] a = new float[actionDim];
        System.arraycopy(actions, row * actionDim, a, 0, actionDim);
        return a;
    }
}
