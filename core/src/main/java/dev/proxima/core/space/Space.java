package dev.proxima.core.space;

import java.util.random.RandomGenerator;

/**
 * A set of valid observations or actions, as Gymnasium's {@code gymnasium.spaces.Space}.
 *
 * <p>The engine never looks inside a {@code T}: it only asks the space to write a value as {@link #flatDim()} floats
 * (the network's input) and to rebuild a value from floats (the network's sampled action). A discrete space's flat
 * form is its 0-based indices (what a policy head samples); a {@link Dict} or {@link Tuple} flattens its children as
 * Gymnasium's {@code flatten} does (discrete children one-hot), see {@link Spaces} and {@link FlatLayout}.
 *
 * @param <T> the Java type of an element ({@code Integer} for {@link Discrete}, {@code int[]} for
 *            {@link MultiDiscrete}, {@code float[]} for {@link Box}, {@code List<Object>} for {@link Tuple},
 *            {@code Map<String, Object>} for {@link Dict})
 */
public interface Space<T> {

    /**
     * Number of floats an element occupies once flattened (1 for {@link Discrete}, one per component for
     * {@link MultiDiscrete}, Gymnasium's {@code flatdim} for {@link Dict} and {@link Tuple}).
     */
    int flatDim();

    /** Whether {@code value} is an element of this space (right type, shape, bounds; finite where bounded). */
    boolean contains(Object value);

    /** A uniformly random element (Gymnasium's {@code Space.sample}); the rng is the only source of randomness. */
    T sample(RandomGenerator rng);

    /** Writes {@code value} as {@link #flatDim()} floats into {@code dst} from {@code offset}. */
    void flatten(T value, float[] dst, int offset);

    /**
     * Rebuilds an element from {@link #flatDim()} floats. {@code reuse} may be returned filled (it must then be an
     * array of the right length) so the hot loop allocates nothing; pass {@code null} for a fresh value.
     */
    T unflatten(float[] src, int offset, T reuse);

    /** A short description such as {@code Discrete(2)} or {@code Box(-inf, inf, (4,), float32)}. */
    @Override
    String toString();
}
