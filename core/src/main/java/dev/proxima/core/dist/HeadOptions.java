package dev.proxima.core.dist;

import java.util.Objects;

/**
 * The choices {@link Heads#forActionSpace(dev.proxima.core.space.Space, HeadOptions)} takes beyond the action space.
 * Both have stable string forms to store in a config and a checkpoint ({@link ContinuousActions#id()},
 * {@link LogStdBound#toString()}); they matter only for a {@code Box} action space.
 *
 * @param continuous  how a {@code Box} action space is handled: {@code clip} (CleanRL) or {@code tanh}
 * @param logStdBound the bound on the Gaussian's {@code log_std}
 */
public record HeadOptions(ContinuousActions continuous, LogStdBound logStdBound) {

    /** {@code clip} and no bound: CleanRL's {@code ppo_continuous_action.py}; what the one-argument factory uses. */
    public static final HeadOptions DEFAULTS = new HeadOptions(ContinuousActions.CLIP, LogStdBound.NONE);

    public HeadOptions {
        Objects.requireNonNull(continuous, "HeadOptions: continuous");
        Objects.requireNonNull(logStdBound, "HeadOptions: logStdBound");
    }

    public HeadOptions withContinuous(ContinuousActions c) {
        return new HeadOptions(c, logStdBound);
    }

    public HeadOptions withLogStdBound(LogStdBound b) {
        return new HeadOptions(continuous, b);
    }

    /** {@code continuous=clip, logStdBound=none}. */
    @Override
    public String toString() {
        return "continuous=" + continuous.id() + ", logStdBound=" + logStdBound;
    }
}
