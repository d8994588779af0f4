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

    public Rollout(int numSteps, int numEnvs, int obsDim, int actionDim) {
        this.numSteps = numSteps;
        this.numEnvs = numEnvs;
        this.obsDim = obsDim;
        this.actionDim = actionDim;
        int rows = numSteps * numEnvs;
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
    public int size() { return numSteps * numEnvs; }

    public double reward(int row) { return rewards[row]; }
    public double value(int row) { return values[row]; }
    public double logProb(int row) { return logProbs[row]; }
    public boolean terminated(int row) { return terminated[row]; }
    public boolean truncated(int row) { return truncated[row]; }
    public double advantage(int row) { return advantages[row]; }
    public double returnAt(int row) { return returns[row]; }

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
