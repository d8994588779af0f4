package dev.proxima.core.space;

import java.util.random.RandomGenerator;

/**
 * The integers {@code start, start+1, ..., start+n-1}, as Gymnasium's {@code Discrete(n, start)}.
 *
 * @param n     number of elements, at least 1
 * @param start the smallest element (Gymnasium's default 0)
 */
public record Discrete(int n, int start) implements Space<Integer> {

    public Discrete {
        if (n < 1) {
            throw new IllegalArgumentException("Discrete: n = " + n + " must be at least 1 (a space needs one element)");
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
        return i >= start && i - start < n;
    }

    @Override
    public Integer sample(RandomGenerator rng) {
        return start + rng.nextInt(n);
    }

    @Override
    public void flatten(Integer value, float[] dst, int offset) {
        dst[offset] = value;
    }

    @Override
    public Integer unflatten(float[] src, int offset, Integer reuse) {
        return (int) src[offset]; // Integer.valueOf caches small values, so usual action counts allocate nothing
    }

    @Override
    public String toString() {
        return start == 0 ? "Discrete(" + n + ")" : "Discrete(" + n + ", start=" + start + ")";
    }
}
