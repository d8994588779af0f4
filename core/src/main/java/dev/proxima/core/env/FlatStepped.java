package dev.proxima.core.env;

/**
 * An env (or a wrapper) that can also step and reset by writing into flat arrays instead of returning a {@link Step}
 * or {@link Reset}: the allocation-free path {@link SyncVectorEnv} takes when every layer of a copy supports it. The
 * built-in classic-control envs implement it, and so do the wrappers {@link EnvSpec#make} applies ({@link EnvChecks},
 * {@link TimeLimit}) when their inner env does; other envs and wrappers keep the object path ({@link Env#step}), which
 * stays the API for users' envs.
 *
 * <p>Both paths must give the same results bit for bit and leave the env in the same state: {@code stepInto} is
 * {@code step(action)} followed by flattening the observation, {@code resetInto} is {@link Env#reset()} followed by
 * flattening. The info map of a flat step is empty ({@code Map.of()}).
 *
 * <p>Actions are read in {@link SyncVectorEnv}'s flat layout: for a {@link dev.proxima.core.space.Discrete} action
 * space, the index {@code 0..n-1} as a float (the space's {@code start} not added), otherwise the action space's flat
 * floats. An implementation must not keep a reference to any of the arrays.
 */
public interface FlatStepped {

    /** Flag bit returned by {@link #stepInto}: the step terminated the episode. */
    int TERMINATED = 1;

    /** Flag bit returned by {@link #stepInto}: the step truncated the episode. */
    int TRUNCATED = 2;

    /**
     * Whether {@link #stepInto} and {@link #resetInto} may be used on this env now: for a wrapper, whether its inner
     * env is a {@code FlatStepped} that may be. {@link SyncVectorEnv} asks once, when it is built.
     */
    boolean flatSteppable();

    /**
     * Steps with the action at {@code actions[actionOffset..]}, writes the observation after the step to
     * {@code obsOut[obsOffset..obsOffset + flatDim)} and the reward to {@code rewardOut[rewardIndex]}, and returns
     * {@link #TERMINATED} and/or {@link #TRUNCATED} (0 when the episode goes on). Allocates nothing unless it throws.
     */
    int stepInto(float[] actions, int actionOffset, float[] obsOut, int obsOffset, double[] rewardOut,
            int rewardIndex);

    /**
     * Starts the next episode as {@link Env#reset()} does (continuing the random stream) and writes its first
     * observation to {@code obsOut[obsOffset..obsOffset + flatDim)}. Allocates nothing unless it throws.
     */
    void resetInto(float[] obsOut, int obsOffset);

    /**
     * The flat path of {@code env}, or {@code null} when it (or a layer beneath it) has none: {@code env} itself when
     * it is a {@code FlatStepped} that is {@link #flatSteppable()}.
     */
    static FlatStepped of(Env<?, ?> env) {
        return env instanceof FlatStepped f && f.flatSteppable() ? f : null;
    }
}
