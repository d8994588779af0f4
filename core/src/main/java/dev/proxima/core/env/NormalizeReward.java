package dev.proxima.core.env;

/**
 * Scales rewards by the running standard deviation of the discounted return, as Gymnasium 1.x's
 * {@code NormalizeReward} ({@code gymnasium/wrappers/stateful_reward.py}); per step, in this order:
 * <pre>
 *   discountedReward = discountedReward * gamma * (1 - terminated) + reward
 *   stats.update(discountedReward)                        (unless frozen)
 *   reward' = reward / sqrt(stats.variance + epsilon)      (then clipped to [-clip, clip] if a clip is given)
 * </pre>
 * As in Gymnasium the running return is not cleared by {@code reset()}: after a truncation it carries on into the next
 * episode, and after a termination only the terminal reward carries over (Gymnasium keeps this for backward
 * compatibility). The vector env's {@link RewardNormalizer} clears it at every episode end instead, as Gymnasium's
 * vector wrapper with same-step auto-reset and SB3's {@code VecNormalize} do.
 */
public final class NormalizeReward<O, A> extends Wrapper<O, A> {
    private final RunningMeanStd stats = new RunningMeanStd(1);
    private final double gamma;
    private final double epsilon;
    private final double clip;
    private double discountedReward;
    private boolean updateRunningMean = true;

    /** Gymnasium's defaults: epsilon 1e-8, no clipping. */
    public NormalizeReward(Env<O, A> env, double gamma) {
        this(env, gamma, 1e-8, Double.POSITIVE_INFINITY);
    }

    /**
     * @param gamma   discount of the running return, in [0, 1]
     * @param epsilon added to the variance under the square root, finite and &gt; 0 (Gymnasium: 1e-8)
     * @param clip    bound of the scaled rewards; {@code Double.POSITIVE_INFINITY} for none (CleanRL clips at 10)
     */
    public NormalizeReward(Env<O, A> env, double gamma, double epsilon, double clip) {
        super(env);
        if (!(gamma >= 0 && gamma <= 1)) {
            throw new IllegalArgumentException("NormalizeReward: gamma = " + gamma + " must be in [0, 1]");
        }
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("NormalizeReward: epsilon = " + epsilon
                    + " must be finite and > 0 (Gymnasium uses 1e-8)");
        }
        if (!(clip > 0)) {
            throw new IllegalArgumentException("NormalizeReward: clip = " + clip
                    + " must be > 0; use Double.POSITIVE_INFINITY for no clipping");
        }
        this.gamma = gamma;
        this.epsilon = epsilon;
        this.clip = clip;
    }

    /** The live statistics of the discounted return; export with {@code stats().state()}. */
    public RunningMeanStd stats() {
        return stats;
    }

    /** The running discounted return. */
    public double discountedReward() {
        return discountedReward;
    }

    public boolean updateRunningMean() {
        return updateRunningMean;
    }

    /** {@code false} freezes the statistics (Gymnasium's {@code update_running_mean}); the return still accumulates. */
    public void updateRunningMean(boolean update) {
        this.updateRunningMean = update;
    }

    @Override
    public Step<O> step(A action) {
        Step<O> s = env.step(action);
        double reward = s.reward();
        discountedReward = s.terminated() ? reward : discountedReward * gamma + reward;
        if (updateRunningMean) {
            stats.update(discountedReward);
        }
        // The mean is not subtracted: see openai/baselines issue 538.
        double scaled = Math.max(-clip, Math.min(clip, reward / Math.sqrt(stats.variance(0) + epsilon)));
        return new Step<>(s.observation(), scaled, s.terminated(), s.truncated(), s.info());
    }
}
