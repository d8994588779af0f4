package dev.proxima.core.env;

/**
 * Scales the rewards of a vector env by the running standard deviation of their discounted return, as Gymnasium
 * 1.x's vector {@code NormalizeReward} ({@code gymnasium/wrappers/vector/stateful_reward.py}, same-step auto-reset)
 * and SB3's {@code VecNormalize}. For each copy {@code i}, in index order:
 * <pre>
 *   returns[i] = returns[i] * gamma * (1 - terminated[i]) + reward[i]
 * </pre>
 * then the statistics are updated with the batch {@code returns[0..n-1]} (unless frozen), each reward becomes
 * {@code reward / sqrt(var + epsilon)}, optionally clipped to {@code [-clip, clip]}, and the return of every copy whose
 * episode ended (terminated or truncated) restarts at 0, because with same-step auto-reset its next reward already
 * belongs to a new episode. The mean is not subtracted (openai/baselines issue 538): shifting rewards would change
 * the optimal policy when episodes can end early.
 *
 * <p>Gymnasium's reward normaliser does not clip; CleanRL follows it with {@code TransformReward(np.clip(r, -10, 10))}
 * and SB3 clips at 10 ({@code clip_reward}). Not thread-safe; nothing is allocated per call.
 */
public final class RewardNormalizer {
    private final RunningMeanStd stats = new RunningMeanStd(1);
    private final double gamma;
    private final double epsilon;
    private final double clip;
    private final double[] returns;
    private boolean updateRunningMean = true;

    /**
     * @param numEnvs number of env copies, one running return each
     * @param gamma   discount factor of the running return, in [0, 1] (use the PPO {@code gamma})
     * @param epsilon added to the variance under the square root, finite and &gt; 0 (Gymnasium: 1e-8)
     * @param clip    bound of the scaled rewards, &gt; 0; {@code Double.POSITIVE_INFINITY} for none
     */
    public RewardNormalizer(int numEnvs, double gamma, double epsilon, double clip) {
        if (numEnvs < 1) {
            throw new IllegalArgumentException("RewardNormalizer: numEnvs = " + numEnvs + " must be at least 1");
        }
        if (!(gamma >= 0 && gamma <= 1)) {
            throw new IllegalArgumentException("RewardNormalizer: gamma = " + gamma + " must be in [0, 1]");
        }
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("RewardNormalizer: epsilon = " + epsilon
                    + " must be finite and > 0 (Gymnasium uses 1e-8)");
        }
        if (!(clip > 0)) {
            throw new IllegalArgumentException("RewardNormalizer: clip = " + clip
                    + " must be > 0; use Double.POSITIVE_INFINITY for no clipping");
        }
        this.gamma = gamma;
        this.epsilon = epsilon;
        this.clip = clip;
        this.returns = new double[numEnvs];
    }

    /** Gymnasium's {@code NormalizeReward(gamma, epsilon=1e-8)}: no clipping. */
    public static RewardNormalizer gymnasium(int numEnvs, double gamma) {
        return new RewardNormalizer(numEnvs, gamma, 1e-8, Double.POSITIVE_INFINITY);
    }

    /** CleanRL's continuous-action pipeline: Gymnasium's normaliser, then a clip to [-10, 10]. */
    public static RewardNormalizer cleanRl(int numEnvs, double gamma) {
        return new RewardNormalizer(numEnvs, gamma, 1e-8, 10.0);
    }

    public int numEnvs() {
        return returns.length;
    }

    public double gamma() {
        return gamma;
    }

    public double epsilon() {
        return epsilon;
    }

    public double clip() {
        return clip;
    }

    /** The live statistics of the discounted returns (dim 1). */
    public RunningMeanStd stats() {
        return stats;
    }

    /** The running discounted return of copy {@code i}. */
    public double runningReturn(int i) {
        return returns[i];
    }

    /** Whether {@link #normalize} updates the statistics (Gymnasium's {@code update_running_mean}). */
    public boolean updateRunningMean() {
        return updateRunningMean;
    }

    /** {@code false} freezes the statistics; the running returns are still accumulated, as in Gymnasium. */
    public void updateRunningMean(boolean update) {
        this.updateRunningMean = update;
    }

    /** A copy of every copy's running discounted return (for checkpoints). */
    public double[] runningReturns() {
        return returns.clone();
    }

    /** Restores what {@link #runningReturns()} returned. */
    public void setRunningReturns(double[] values) {
        if (values.length != returns.length) {
            throw new IllegalArgumentException("RewardNormalizer: " + values.length + " running returns given for "
                    + returns.length + " env copies");
        }
        System.arraycopy(values, 0, returns, 0, returns.length);
    }

    /** Sets every running return to 0, as at a vector reset. */
    public void resetReturns() {
        java.util.Arrays.fill(returns, 0.0);
    }

    /**
     * Scales {@code rewards[0..numEnvs-1]} in place; {@code terminated} and {@code truncated} are the flags of the same
     * step.
     */
    public void normalize(double[] rewards, boolean[] terminated, boolean[] truncated) {
        int n = returns.length;
        if (rewards.length < n || terminated.length < n || truncated.length < n) {
            throw new IllegalArgumentException("RewardNormalizer.normalize: need " + n + " rewards and flags, got "
                    + rewards.length + " rewards, " + terminated.length + " terminated, " + truncated.length
                    + " truncated");
        }
        for (int i = 0; i < n; i++) {
            // gamma * (1 - terminated): the return is cut at a terminal state (Gymnasium's formula).
            returns[i] = terminated[i] ? rewards[i] : returns[i] * gamma + rewards[i];
        }
        if (updateRunningMean) {
            stats.update(returns, n, 1);
        }
        double std = Math.sqrt(stats.variance(0) + epsilon);
        for (int i = 0; i < n; i++) {
            rewards[i] = Math.max(-clip, Math.min(clip, rewards[i] / std));
            if (terminated[i] || truncated[i]) {
                returns[i] = 0.0;
            }
        }
    }
}
