package dev.proxima.core.env;

import dev.proxima.core.space.Space;

/** Base class of env wrappers (Gymnasium's {@code gymnasium.Wrapper}): forwards everything to the inner env. */
public abstract class Wrapper<O, A> implements Env<O, A> {
    protected final Env<O, A> env;

    protected Wrapper(Env<O, A> env) {
        this.env = java.util.Objects.requireNonNull(env, "env");
    }

    /** The env directly inside this wrapper. */
    public Env<O, A> inner() {
        return env;
    }

    @Override
    public Space<O> observationSpace() {
        return env.observationSpace();
    }

    @Override
    public Space<A> actionSpace() {
        return env.actionSpace();
    }

    @Override
    public Reset<O> reset(long seed) {
        return env.reset(seed);
    }

    @Override
    public Reset<O> reset() {
        return env.reset();
    }

    @Override
    public Step<O> step(A action) {
        return env.step(action);
    }

    @Override
    public Env<O, A> unwrapped() {
        return env.unwrapped();
    }

    @Override
    public String name() {
        return env.name();
    }

    @Override
    public void close() {
        env.close();
    }

    /** The first wrapper of the given type from the outside in, or {@code null}. */
    @SuppressWarnings("unchecked")
    public static <W> W find(Env<?, ?> env, Class<W> type) {
        Env<?, ?> e = env;
        while (true) {
            if (type.isInstance(e)) {
                return (W) e;
            }
            if (!(e instanceof Wrapper<?, ?> w)) {
                return null;
            }
            e = w.inner();
        }
    }
}
