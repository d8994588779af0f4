package dev.proxima.core.space;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * A box in R^n of float32 values, as Gymnasium's {@code Box(low, high, shape, float32)}. Elements are {@code float[]}
 * in row-major order of {@link #shape()}; bounds may be infinite.
 */
public final class Box implements Space<float[]> {
    private final float[] low;
    private final float[] high;
    private final int[] shape;

    /**
     * @param low   lower bound of each entry ({@code Float.NEGATIVE_INFINITY} for none)
     * @param high  upper bound of each entry ({@code Float.POSITIVE_INFINITY} for none)
     * @param shape dimensions; their product must equal the bounds' length
     */
    public Box(float[] low, float[] high, int... shape) {
        int size = 1;
        for (int d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException("Box: shape " + Arrays.toString(shape) + " has a dimension < 1");
            }
            size *= d;
        }
        if (low.length != size || high.length != size) {
            throw new IllegalArgumentException("Box: shape " + Arrays.toString(shape) + " holds " + size
                    + " entries but low has " + low.length + " and high has " + high.length + ". Give one bound per entry.");
        }
        for (int i = 0; i < size; i++) {
            if (Float.isNaN(low[i]) || Float.isNaN(high[i]) || low[i] > high[i]) {
                throw new IllegalArgumentException("Box: entry " + i + " has low = " + low[i] + " and high = " + high[i]
                        + "; need low <= high and no NaN.");
            }
        }
        this.low = low.clone();
        this.high = high.clone();
        this.shape = shape.length == 0 ? new int[] {size} : shape.clone();
    }

    /** A one-dimensional box of {@code n} entries, each in {@code [low, high]}. */
    public static Box of(float low, float high, int n) {
        float[] lo = new float[n];
        float[] hi = new float[n];
        Arrays.fill(lo, low);
        Arrays.fill(hi, high);
        return new Box(lo, hi, n);
    }

    /** A one-dimensional box with the given bounds per entry. */
    public static Box of(float[] low, float[] high) {
        return new Box(low, high, low.length);
    }

    public float[] low() {
        return low.clone();
    }

    public float[] high() {
        return high.clone();
    }

    public float low(int i) {
        return low[i];
    }

    public float high(int i) {
        return high[i];
    }

    public int[] shape() {
        return shape.clone();
    }

    @Override
    public int flatDim() {
        return low.length;
    }

    /** Whether every entry has both bounds finite. */
    public boolean isBounded() {
        for (int i = 0; i < low.length; i++) {
            if (Float.isInfinite(low[i]) || Float.isInfinite(high[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean contains(Object value) {
        if (!(value instanceof float[] x) || x.length != low.length) {
            return false;
        }
        for (int i = 0; i < x.length; i++) {
            if (!(x[i] >= low[i] && x[i] <= high[i])) { // also false for NaN
                return false;
            }
        }
        return true;
    }

    /**
     * Gymnasium's sampling: uniform on bounded entries, exponential on half-bounded ones, normal on unbounded ones.
     */
    @Override
    public float[] sample(RandomGenerator rng) {
        float[] x = new float[low.length];
        for (int i = 0; i < x.length; i++) {
            boolean lo = Float.isFinite(low[i]);
            boolean hi = Float.isFinite(high[i]);
            double v;
            if (lo && hi) {
                v = low[i] + rng.nextDouble() * ((double) high[i] - low[i]);
            } else if (lo) {
                v = low[i] + rng.nextExponential();
            } else if (hi) {
                v = high[i] - rng.nextExponential();
            } else {
                v = rng.nextGaussian();
            }
            x[i] = (float) Math.min(Math.max(v, low[i]), high[i]);
        }
        return x;
    }

    @Override
    public void flatten(float[] value, float[] dst, int offset) {
        System.arraycopy(value, 0, dst, offset, low.length);
    }

    @Override
    public float[] unflatten(float[] src, int offset, float[] reuse) {
        float[] x = reuse != null && reuse.length == low.length ? reuse : new float[low.length];
        System.arraycopy(src, offset, x, 0, x.length);
        return x;
    }

    /** Clips each entry of {@code x} into the bounds, in place. */
    public void clip(float[] x) {
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.min(Math.max(x[i], low[i]), high[i]);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Box b && Arrays.equals(low, b.low) && Arrays.equals(high, b.high)
                && Arrays.equals(shape, b.shape);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(low) + Arrays.hashCode(high);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Box(");
        boolean uniform = true;
        for (int i = 1; i < low.length; i++) {
            uniform &= low[i] == low[0] && high[i] == high[0];
        }
        if (uniform) {
            s.append(fmt(low[0])).append(", ").append(fmt(high[0]));
        } else {
            s.append(Arrays.toString(low)).append(", ").append(Arrays.toString(high));
        }
        s.append(", (");
        for (int i = 0; i < shape.length; i++) {
            s.append(shape[i]).append(shape.length == 1 || i < shape.length - 1 ? "," : "");
        }
        return s.append("), float32)").toString();
    }

    private static String fmt(float v) {
        return v == Float.POSITIVE_INFINITY ? "inf" : v == Float.NEGATIVE_INFINITY ? "-inf" : Float.toString(v);
    }
}
