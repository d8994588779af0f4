package dev.proxima.core.env;

import java.util.function.Supplier;

/**
 * Makes a fresh env copy. The vector env calls it once per copy with the seed it will then pass to
 * {@link Env#reset(long)}; most envs ignore the argument and take their randomness from {@code reset(seed)}.
 * From Java, {@code seed -> new MyEnv()} or {@link #of(Supplier) EnvFactory.of(MyEnv::new)}.
 */
@FunctionalInterface
public interface EnvFactory<O, A> {

    Env<O, A> create(long seed);

    /** Adapts a no-argument constructor or supplier. */
    static <O, A> EnvFactory<O, A> of(Supplier<? extends Env<O, A>> supplier) {
        return seed -> supplier.get();
    }
}
