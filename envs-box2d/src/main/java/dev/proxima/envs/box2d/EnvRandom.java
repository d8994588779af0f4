package dev.proxima.envs.box2d;

import java.util.random.RandomGenerator;

/**
 * The random draws of a Box2D env, named after the {@code numpy.random.Generator} methods Gymnasium calls on
 * {@code env.np_random}, one call here for each call there and in the same order. Production envs draw from core's
 * {@link dev.proxima.core.run.Rng} ({@link #of(RandomGenerator)}); tests inject a source that hands back the draws
 * Gymnasium logged, so a trajectory replays exactly without reproducing NumPy's PCG64 bit stream.
 *
 * <p>An env gets its source from a {@code LongFunction<EnvRandom>} called with the seed of {@code reset(seed)}; see
 * {@link Box2dEnvs}.
 */
public interface EnvRandom {

    /** {@code uniform(low, high)}: a double in {@code [low, high)}. */
    double uniform(double low, double high);

    /**
     * {@code uniform(low, high, size=out.length)}: fills {@code out}. One call, so a replaying source sees it as the
     * single draw Gymnasium logged.
     */
    default void uniform(double low, double high, double[] out) {
        for (int i = 0; i < out.length; i++) {
            out[i] = uniform(low, high);
        }
    }

    /** {@code integers(low, high)}: a long in {@code [low, high)}; {@code high} is excluded, as in NumPy. */
    long integers(long low, long high);

    /** {@code random()}: a double in {@code [0, 1)}. */
    double random();

    /**
     * Draws from {@code rng} with NumPy's distributions (not its bit stream): {@code uniform} is
     * {@code low + (high - low) * U}, as NumPy computes it.
     */
    static EnvRandom of(RandomGenerator rng) {
        return new EnvRandom() {
            @Override
            public double uniform(double low, double high) {
                return low + (high - low) * rng.nextDouble();
            }

            @Override
            public long integers(long low, long high) {
                if (high <= low) {
                    throw new IllegalArgumentException("integers(" + low + ", " + high + "): high must exceed low");
                }
                return low + rng.nextLong(high - low);
            }

            @Override
            public double random() {
                return rng.nextDouble();
            }
        };
    }
}
