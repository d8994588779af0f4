package dev.proxima.core.env;

import java.util.Map;

/**
 * What {@link Env#step} returns (Gymnasium's 5-tuple).
 *
 * @param observation the observation after the step
 * @param reward      the reward for the step
 * @param terminated  the MDP reached a terminal state: the return is cut here
 * @param truncated   a limit outside the MDP ended the episode: the return is bootstrapped with V(observation)
 * @param info        free-form diagnostics, never {@code null}
 */
public record Step<O>(O observation, double reward, boolean terminated, boolean truncated, Map<String, Object> info) {
    public Step {
        info = info == null ? Map.of() : info;
    }

    public Step(O observation, double reward, boolean terminated, boolean truncated) {
        this(observation, reward, terminated, truncated, Map.of());
    }

    /** {@code terminated || truncated}: the episode is over either way. */
    public boolean done() {
        return terminated || truncated;
    }
}
