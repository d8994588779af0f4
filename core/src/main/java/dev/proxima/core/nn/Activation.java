package dev.proxima.core.nn;

/**
 * Hidden-layer non-linearities. {@link #apply} is the function, {@link #derivative} its derivative written in terms of
 * the <em>output</em> {@code y = apply(x)} (for tanh {@code 1 - y²}, for ReLU {@code y > 0}), so backward needs only
 * the stored activations, not the pre-activations.
 *
 * <p>The array methods run over the first {@code len} entries in place; they are what the layers call, written as
 * plain counted loops so that C2 vectorises them.
 */
public enum Activation {

    /** Hyperbolic tangent, CleanRL's default ({@code nn.Tanh}). */
    TANH {
        @Override
        public float apply(float x) {
            return tanh(x);
        }

        @Override
        public float derivative(float y) {
            return Kernels.madd(-y, y, 1f);
        }

        @Override
        public void apply(float[] z, int len) {
            Kernels.tanh(z, len);
        }

        @Override
        public void backward(float[] y, float[] dy, int len) {
            Kernels.tanhBackward(y, dy, len);
        }
    },

    /** Rectified linear unit {@code max(0, x)}; its derivative at 0 is taken as 0, as torch does. */
    RELU {
        @Override
        public float apply(float x) {
            return Math.max(0f, x);
        }

        @Override
        public float derivative(float y) {
            return y > 0f ? 1f : 0f;
        }

        @Override
        public void apply(float[] z, int len) {
            for (int j = 0; j < len; j++) {
                z[j] = Math.max(0f, z[j]);
            }
        }

        @Override
        public void backward(float[] y, float[] dy, int len) {
            for (int j = 0; j < len; j++) {
                dy[j] = y[j] > 0f ? dy[j] : 0f;
            }
        }
    };

    /** The activation of one pre-activation value. */
    public abstract float apply(float x);

    /** The derivative at the pre-activation that produced the output {@code y}. */
    public abstract float derivative(float y);

    /** {@code z[j] = apply(z[j])} for {@code j < len}. */
    public abstract void apply(float[] z, int len);

    /** {@code dy[j] *= derivative(y[j])} for {@code j < len}: turns d(loss)/d(output) into d(loss)/d(pre-activation). */
    public abstract void backward(float[] y, float[] dy, int len);

    /** The lower-case name used in configuration strings, e.g. {@code tanh}. */
    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * tanh in float32 as a rational function {@code x·P(x²)/Q(x²)}, within 7 ulp (3.8e-7 absolute) of the correctly
     * rounded value. Why not {@link Math#tanh}: on JDK 17 it is a JNI call into fdlibm, about 70 ns each on the
     * benchmark machine, so the tanh of a 64-64 actor-critic cost more than all its multiply-adds; this form is
     * eight multiply-adds, a division and two min/max, and vectorises.
     *
     * <p>The coefficients come from an iteratively re-weighted least-squares fit of the relative error on [0, 9]
     * (Lawson's algorithm towards the minimax fit; max relative error 2e-8 before float rounding). The input is
     * clamped to [-8, 8]: the result then saturates at ±tanh(8) = ±0.99999976 (true values within 2.3e-7), and an
     * exhaustive check of every float in [0, 8], with and without fused multiply-add, found no result above 1 (the
     * rounding does exceed 1, by 2 ulp, from x = 8.02 on), so {@code 1 - y²} is never negative. The function is
     * exactly odd. NaN propagates.
     */
    static float tanh(float x) {
        // Java's Math.min/max (NaN and -0.0 rules) cost several vector instructions each: two, not three.
        float c = Math.max(-8f, Math.min(8f, x));
        float z = c * c;
        float p = Kernels.madd(Kernels.madd(Kernels.madd(Kernels.madd(1.3355876e-08f, z, 2.0609981e-05f), z,
                0.0034956436f), z, 0.13381073f), z, 1f);
        float q = Kernels.madd(Kernels.madd(Kernels.madd(Kernels.madd(7.777062e-07f, z, 0.0003285725f), z,
                0.025877194f), z, 0.4671439f), z, 1f);
        return c * p / q;
    }
}
