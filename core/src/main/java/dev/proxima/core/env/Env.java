package dev.proxima.core.env;

import dev.proxima.core.space.Space;

/**
 * A reinforcement-learning environment with Gymnasium's contract ({@code gymnasium/core.py}).
 *
 * <p>{@code terminated} means the MDP reached a terminal state (no future reward); {@code truncated} means a limit
 * outside the MDP (usually {@link TimeLimit}) cut the episode. PPO bootstraps a truncated episode with the value of
 * its final observation and cuts the return only on termination, so the two flags must be kept apart.
 *
 * <p>Call {@link #reset(long)} once after construction to seed the env's random stream; later {@link #reset()} calls
 * continue that stream. After a step that returned {@code terminated || truncated}, call {@code reset} before stepping
 * again. An env must not keep a reference to an action array passed to {@link #step}: the caller reuses it.
 *
 * <p>{@link #step} and {@link #reset()} return objects, as Gymnasium does; that is the API to implement. An env that
 * wants {@link SyncVectorEnv} to step it without allocating can also implement {@link FlatStepped}, which writes the
 * observation, reward and flags into the vector env's arrays (the built-in classic-control envs do).
 *
 * @param <O> observation type
 * @param <A> action type
 */
public interface Env<O, A> extends AutoCloseable {

    Space<O> observationSpace();

    Space<A> actionSpace();

    /** Reseeds the env's random stream and starts an episode. The same seed gives the same first observation. */
    Reset<O> reset(long seed);

    /** Starts the next episode, continuing the random stream seeded by {@link #reset(long)}. */
    Reset<O> reset();

    /** Applies {@code action} and returns what followed. */
    Step<O> step(A action);

    /** The innermost env, beneath every {@link Wrapper} (Gymnasium's {@code env.unwrapped}). */
    default Env<O, A> unwrapped() {
        return this;
    }

    /** A name for error messages; by default the class's simple name. */
    default String name() {
        return getClass().getSimpleName();
    }

    /** Releases resources. Must be safe to call more than once. */
    @Override
    default void close() {}
}
