package dev.proxima.core.nn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Kernels}' element-wise loops on the Vector API, in the widest vectors the CPU has (16 floats with AVX-512)
 * whatever the row length, where C2's auto-vectoriser sizes them by the trip count and uses 4 lanes on a 64-long row.
 *
 * <p>Compiled from its own source root with {@code --add-modules jdk.incubator.vector} and loaded by name only when
 * the module is present, so {@code core} needs the incubator module neither to build nor to run. Every lane does what
 * the scalar loop does to its element, in the same order: {@code fma} where {@link Kernels#FMA} (a fused
 * multiply-add rounds once, in a vector lane as in {@link Math#fma}), else a rounded multiply then a rounded add.
 * Hence bit-identical results; the elements past the last full vector go through the scalar loop itself.
 */
final class VectorKernels implements Kernels.SimdKernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final FloatVector ONE = FloatVector.broadcast(S, 1f);

    private static final int ADD = 0;
    private static final int TANH = 1;
    private static final int TANH_BACKWARD = 2;

    @Override
    public void add(float[] y, float[] x, int from, int to) {
        elementwise(ADD, y, x, from, to);
    }

    /** {@link Activation#tanh} lane by lane: the same clamp, the same multiply-adds and division, in the same order. */
    @Override
    public void tanh(float[] z, int len) {
        elementwise(TANH, z, null, 0, len);
    }

    @Override
    public void tanhBackward(float[] y, float[] dy, int len) {
        elementwise(TANH_BACKWARD, dy, y, 0, len);
    }

    /**
     * The three element-wise loops over {@code [from, to)} of {@code y} ({@code x}: the other operand), in one method
     * on purpose. Its bytecode is over C2's {@code FreqInlineSize} (325 bytes), so C2 compiles it once and its callers
     * call it. Each loop in a method of its own was small enough to be inlined into every caller (the activation,
     * the layers' passes, the gradient sums), its vector code compiled again with each, and in a fresh JVM the one C2
     * thread spent that time while the first updates waited for it: the first 25,600 steps of CleanRL's CartPole
     * shape take 5-7% less time this way, the same as {@code -XX:CompileCommand=dontinline} on the three (issue 12).
     */
    private static void elementwise(int op, float[] y, float[] x, int from, int to) {
        int j = from;
        int upper = from + S.loopBound(to - from);
        switch (op) {
            case ADD -> {
                for (; j < upper; j += S.length()) {
                    FloatVector.fromArray(S, y, j).add(FloatVector.fromArray(S, x, j)).intoArray(y, j);
                }
                Kernels.scalarAdd(y, x, j, to);
            }
            case TANH -> {
                for (; j < upper; j += S.length()) {
                    FloatVector c = FloatVector.fromArray(S, y, j).min(8f).max(-8f);
                    FloatVector zz = c.mul(c);
                    FloatVector p = madd(madd(madd(madd(FloatVector.broadcast(S, 1.3355876e-08f), zz,
                            2.0609981e-05f), zz, 0.0034956436f), zz, 0.13381073f), zz, 1f);
                    FloatVector q = madd(madd(madd(madd(FloatVector.broadcast(S, 7.777062e-07f), zz,
                            0.0003285725f), zz, 0.025877194f), zz, 0.4671439f), zz, 1f);
                    c.mul(p).div(q).intoArray(y, j);
                }
                Kernels.scalarTanh(y, j, to);
            }
            default -> { // TANH_BACKWARD: y is dy, x the tanh output
                for (; j < upper; j += S.length()) {
                    FloatVector t = FloatVector.fromArray(S, x, j);
                    FloatVector d = Kernels.FMA ? t.neg().fma(t, ONE) : t.neg().mul(t).add(ONE);
                    FloatVector.fromArray(S, y, j).mul(d).intoArray(y, j);
                }
                Kernels.scalarTanhBackward(x, y, j, to);
            }
        }
    }

    @Override
    public void combine(float[] y, float[] init, float[] coef, float[][] rows, int count, int len) {
        int step = S.length();
        int j = 0;
        // Four vectors of y at a time (64 floats with AVX-512: a whole row of CleanRL's layers) stay in registers
        // while every term is added; each lane sees init, then coef[0]·rows[0], coef[1]·rows[1], ... in order.
        for (; j + 4 * step <= len; j += 4 * step) {
            FloatVector a0 = FloatVector.fromArray(S, init, j);
            FloatVector a1 = FloatVector.fromArray(S, init, j + step);
            FloatVector a2 = FloatVector.fromArray(S, init, j + 2 * step);
            FloatVector a3 = FloatVector.fromArray(S, init, j + 3 * step);
            for (int k = 0; k < count; k++) {
                FloatVector c = FloatVector.broadcast(S, coef[k]);
                float[] row = rows[k];
                if (Kernels.FMA) {
                    a0 = c.fma(FloatVector.fromArray(S, row, j), a0);
                    a1 = c.fma(FloatVector.fromArray(S, row, j + step), a1);
                    a2 = c.fma(FloatVector.fromArray(S, row, j + 2 * step), a2);
                    a3 = c.fma(FloatVector.fromArray(S, row, j + 3 * step), a3);
                } else {
                    a0 = c.mul(FloatVector.fromArray(S, row, j)).add(a0);
                    a1 = c.mul(FloatVector.fromArray(S, row, j + step)).add(a1);
                    a2 = c.mul(FloatVector.fromArray(S, row, j + 2 * step)).add(a2);
                    a3 = c.mul(FloatVector.fromArray(S, row, j + 3 * step)).add(a3);
                }
            }
            a0.intoArray(y, j);
            a1.intoArray(y, j + step);
            a2.intoArray(y, j + 2 * step);
            a3.intoArray(y, j + 3 * step);
        }
        combineFrom(y, init, coef, rows, count, j, len);
    }

    @Override
    public void combine4(float[] y0, float[] y1, float[] y2, float[] y3, float[] i0, float[] i1, float[] i2,
            float[] i3, float[] c0, float[] c1, float[] c2, float[] c3, float[][] rows, int count, int len) {
        int step = S.length();
        int j = 0;
        // 4 outputs × 2 vectors = 8 accumulators; each block of rows[k] is loaded once for the four outputs.
        for (; j + 2 * step <= len; j += 2 * step) {
            int j1 = j + step;
            FloatVector a00 = FloatVector.fromArray(S, i0, j), a01 = FloatVector.fromArray(S, i0, j1);
            FloatVector a10 = FloatVector.fromArray(S, i1, j), a11 = FloatVector.fromArray(S, i1, j1);
            FloatVector a20 = FloatVector.fromArray(S, i2, j), a21 = FloatVector.fromArray(S, i2, j1);
            FloatVector a30 = FloatVector.fromArray(S, i3, j), a31 = FloatVector.fromArray(S, i3, j1);
            for (int k = 0; k < count; k++) {
                float[] row = rows[k];
                FloatVector x0 = FloatVector.fromArray(S, row, j);
                FloatVector x1 = FloatVector.fromArray(S, row, j1);
                FloatVector b0 = FloatVector.broadcast(S, c0[k]);
                FloatVector b1 = FloatVector.broadcast(S, c1[k]);
                FloatVector b2 = FloatVector.broadcast(S, c2[k]);
                FloatVector b3 = FloatVector.broadcast(S, c3[k]);
                if (Kernels.FMA) {
                    a00 = b0.fma(x0, a00);
                    a01 = b0.fma(x1, a01);
                    a10 = b1.fma(x0, a10);
                    a11 = b1.fma(x1, a11);
                    a20 = b2.fma(x0, a20);
                    a21 = b2.fma(x1, a21);
                    a30 = b3.fma(x0, a30);
                    a31 = b3.fma(x1, a31);
                } else {
                    a00 = b0.mul(x0).add(a00);
                    a01 = b0.mul(x1).add(a01);
                    a10 = b1.mul(x0).add(a10);
                    a11 = b1.mul(x1).add(a11);
                    a20 = b2.mul(x0).add(a20);
                    a21 = b2.mul(x1).add(a21);
                    a30 = b3.mul(x0).add(a30);
                    a31 = b3.mul(x1).add(a31);
                }
            }
            a00.intoArray(y0, j);
            a01.intoArray(y0, j1);
            a10.intoArray(y1, j);
            a11.intoArray(y1, j1);
            a20.intoArray(y2, j);
            a21.intoArray(y2, j1);
            a30.intoArray(y3, j);
            a31.intoArray(y3, j1);
        }
        if (j < len) { // the rest of each output, one at a time: the same per-element sums
            combineFrom(y0, i0, c0, rows, count, j, len);
            combineFrom(y1, i1, c1, rows, count, j, len);
            combineFrom(y2, i2, c2, rows, count, j, len);
            combineFrom(y3, i3, c3, rows, count, j, len);
        }
    }

    /** {@link #combine} for {@code from <= j < len} only. */
    private static void combineFrom(float[] y, float[] init, float[] coef, float[][] rows, int count, int from,
            int len) {
        int step = S.length();
        int j = from;
        for (; j + step <= len; j += step) {
            FloatVector a = FloatVector.fromArray(S, init, j);
            for (int k = 0; k < count; k++) {
                FloatVector c = FloatVector.broadcast(S, coef[k]);
                FloatVector x = FloatVector.fromArray(S, rows[k], j);
                a = Kernels.FMA ? c.fma(x, a) : c.mul(x).add(a);
            }
            a.intoArray(y, j);
        }
        for (; j < len; j++) {
            float a = init[j];
            for (int k = 0; k < count; k++) {
                a = Kernels.madd(coef[k], rows[k][j], a);
            }
            y[j] = a;
        }
    }

    /** {@code a·b + c} as {@link Kernels#madd} does it. */
    private static FloatVector madd(FloatVector a, FloatVector b, float c) {
        return Kernels.FMA ? a.fma(b, FloatVector.broadcast(S, c)) : a.mul(b).add(c);
    }

    @Override
    public String describe() {
        return "Vector API, " + S.length() + " float lanes (" + S.vectorBitSize() + " bit)";
    }
}
