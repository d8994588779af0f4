package dev.proxima.core.space;

import java.util.random.RandomGenerator;

/**
 * The integers {@code start, start+1, ..., start+n-1}, as Gymnasium's {@code Discrete(n, start)}.
 *
 * <p><b>Flat form.</b> {@link #flatten} writes the 0-based <em>index</em> {@code x - start} as one float, and
 * {@link #unflatten} adds {@code start} back: this is the form a policy head samples and a rollout stores, for actions
 * and for a {@code Discrete} observation alike. Inside a {@link Dict} or {@link Tuple} a {@code Discrete} is one-hot
 * encoded instead ({@code n} floats with the 1 at {@code x - start}), as Gymnasium's {@code flatten} does; see
 * {@link Spaces#flatten}.
 *
 * @param n     number of elements, at least 1
 * @param start the smallest element (Gymnasium's default 0)
 */
public record Discrete(int n, int start) implements Space<Integer> {

    public Discrete {
        if (n < 1) {
            throw new IllegalArgumentException("Discrete: n = " + n + " must be at least 1 (a space needs one element)");
        }
        if ((long) start + n - 1 > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Discrete: start = " + start + " with n = " + n + " has largest element "
                    + ((long) start + n - 1) + ", beyond Integer.MAX_VALUE; use a smaller start or n");
        }
    }

    public Discrete(int n) {
        this(n, 0);
    }

    @Override
    public int flatDim() {
        return 1;
    }

    @Override
    public boolean contains(Object value) {
        if (!(value instanceof Integer i)) {
            return false;
        }
        long index = (long) i - start; // long: i - start can overflow int for a negative start
        return index >= 0 && index < n;
    }

    @Override
    public Integer sample(RandomGenerator rng) {
        return start + rng.nextInt(n);
    }

    /** Writes the index {@code value - start}. */
    @Override
    public void flatten(Integer value, float[] dst, int offset) {
        dst[offset] = index(value);
    }

    /** {@code start} plus the index at {@code src[offset]}, which must be an integer in {@code 0..n-1}. */
    @Override
    public Integer unflatten(float[] src, int offset, Integer reuse) {
        float f = src[offset];
        int k = (int) f;
        if (k != f || k < 0 || k >= n) {
            throw new IllegalArgumentException(this + ": flat value " + f + " is not an index in 0.." + (n - 1)
                    + " (the flat form of element start + index)");
        }
        return start + k; // Integer.valueOf caches small values, so usual action counts allocate nothing
    }

    /** The 0-based index {@code value - start} of an element; rejects non-elements naming the value. */
    public int index(Integer value) {
        if (!contains(value)) {
            throw new IllegalArgumentException(this + ": " + value + " is not an element (expected an Integer in "
                    + start + ".." + ((long) start + n - 1) + ")");
        }
        return value - start;
    }

    @Override
    public String toString() {
        return start == 0 ? "Discrete(" + n + ")" : "Discrete(" + n + ", start=" + start + ")";
    }
}
