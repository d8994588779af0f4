package dev.proxima.core.space;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * A vector of independent discrete choices, component {@code i} taking the integers
 * {@code start[i] .. start[i] + nvec[i] - 1}: Gymnasium's {@code MultiDiscrete(nvec, start=start)} with a
 * one-dimensional {@code nvec} (a game pad: direction × button A × button B). Elements are {@code int[]} of length
 * {@link #size()}.
 *
 * <p><b>Flat form.</b> {@link #flatten} writes the 0-based indices {@code x[i] - start[i]}, one float per component
 * (what {@link dev.proxima.core.dist.MultiDiscreteHead} samples and a rollout stores); {@link #unflatten} adds the
 * starts back. Inside a {@link Dict} or {@link Tuple} the components are one-hot encoded instead and concatenated
 * ({@link #oneHotDim()} floats), as Gymnasium's {@code flatten} does.
 */
public final class MultiDiscrete implements Space<int[]> {
    private final int[] nvec;
    private final int[] start;
    private final int oneHotDim;

    /** Components {@code 0..nvec[i]-1}. */
    public MultiDiscrete(int... nvec) {
        this(nvec, nvec == null ? null : new int[nvec.length]);
    }

    /**
     * @param nvec  number of choices of each component, each at least 1; at least one component
     * @param start the smallest value of each component (Gymnasium's {@code start}), same length as {@code nvec}
     */
    public MultiDiscrete(int[] nvec, int[] start) {
        if (nvec == null || nvec.length == 0) {
            throw new IllegalArgumentException("MultiDiscrete: nvec = " + Arrays.toString(nvec)
                    + " has no components; give the number of choices of each, e.g. new MultiDiscrete(3, 2)");
        }
        if (start == null || start.length != nvec.length) {
            throw new IllegalArgumentException("MultiDiscrete: start = " + Arrays.toString(start) + " and nvec = "
                    + Arrays.toString(nvec) + " differ in length; give one start per component");
        }
        long total = 0;
        for (int i = 0; i < nvec.length; i++) {
            if (nvec[i] < 1) {
                throw new IllegalArgumentException("MultiDiscrete: nvec[" + i + "] = " + nvec[i] + " in "
                        + Arrays.toString(nvec) + "; every component needs at least 1 choice");
            }
            if ((long) start[i] + nvec[i] - 1 > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("MultiDiscrete: component " + i + " with start " + start[i]
                        + " and " + nvec[i] + " choices goes beyond Integer.MAX_VALUE; use a smaller start");
            }
            total += nvec[i];
        }
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("MultiDiscrete: nvec = " + Arrays.toString(nvec) + " has " + total
                    + " choices in all, more than an array can hold");
        }
        this.nvec = nvec.clone();
        this.start = start.clone();
        this.oneHotDim = (int) total;
    }

    /** Number of components. */
    public int size() {
        return nvec.length;
    }

    /** Choices of each component, a copy. */
    public int[] nvec() {
        return nvec.clone();
    }

    /** Choices of component {@code i}. */
    public int nvec(int i) {
        return nvec[i];
    }

    /** Smallest value of each component, a copy. */
    public int[] start() {
        return start.clone();
    }

    /** Smallest value of component {@code i}. */
    public int start(int i) {
        return start[i];
    }

    /**
     * {@code Σ nvec}: the length of the one-hot encoding (Gymnasium's {@code flatdim}), and the number of logits and of
     * action-mask entries per row of the policy head.
     */
    public int oneHotDim() {
        return oneHotDim;
    }

    /** {@link #size()}: one index per component. */
    @Override
    public int flatDim() {
        return nvec.length;
    }

    @Override
    public boolean contains(Object value) {
        if (!(value instanceof int[] x) || x.length != nvec.length) {
            return false;
        }
        for (int i = 0; i < x.length; i++) {
            long index = (long) x[i] - start[i];
            if (index < 0 || index >= nvec[i]) {
                return false;
            }
        }
        return true;
    }

    /** Each component uniform, drawn in component order with one {@code nextInt(nvec[i])} each. */
    @Override
    public int[] sample(RandomGenerator rng) {
        int[] x = new int[nvec.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = start[i] + rng.nextInt(nvec[i]);
        }
        return x;
    }

    /** Writes the indices {@code value[i] - start[i]}. */
    @Override
    public void flatten(int[] value, float[] dst, int offset) {
        if (!contains(value)) {
            throw new IllegalArgumentException(this + ": " + show(value) + " is not an element (an int["
                    + nvec.length + "] with component i in start[i]..start[i]+nvec[i]-1)");
        }
        for (int i = 0; i < nvec.length; i++) {
            dst[offset + i] = value[i] - start[i];
        }
    }

    /**
     * {@code start[i]} plus the index at {@code src[offset + i]}; each must be an integer in {@code 0..nvec[i]-1}.
     * Fills {@code reuse} when it is an {@code int[size()]}.
     */
    @Override
    public int[] unflatten(float[] src, int offset, int[] reuse) {
        int[] x = reuse != null && reuse.length == nvec.length ? reuse : new int[nvec.length];
        for (int i = 0; i < nvec.length; i++) {
            float f = src[offset + i];
            int k = (int) f;
            if (k != f || k < 0 || k >= nvec[i]) {
                throw new IllegalArgumentException(this + ": flat value " + f + " of component " + i
                        + " is not an index in 0.." + (nvec[i] - 1));
            }
            x[i] = start[i] + k;
        }
        return x;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MultiDiscrete m && Arrays.equals(nvec, m.nvec) && Arrays.equals(start, m.start);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(nvec) + Arrays.hashCode(start);
    }

    /** Gymnasium's form: {@code MultiDiscrete([3 2])}, or {@code MultiDiscrete([3 2], start=[1 0])}. */
    @Override
    public String toString() {
        boolean zero = Arrays.stream(start).allMatch(s -> s == 0);
        return "MultiDiscrete(" + numpy(nvec) + (zero ? "" : ", start=" + numpy(start)) + ")";
    }

    private static String numpy(int[] a) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < a.length; i++) {
            s.append(i == 0 ? "" : " ").append(a[i]);
        }
        return s.append(']').toString();
    }

    private static String show(Object v) {
        return v instanceof int[] a ? Arrays.toString(a) : String.valueOf(v);
    }
}
