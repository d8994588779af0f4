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

    @Override
    public void axpy(float[] y, float[] src, float a, float[] x, int len) {
        int upper = S.loopBound(len);
        int j = 0;
        if (upper > 0) {
            FloatVector av = FloatVector.broadcast(S, a);
            for (; j < upper; j += S.length()) {
                FloatVector xv = FloatVector.fromArray(S, x, j);
                FloatVector sv = FloatVector.fromArray(S, src, j);
                (Kernels.FMA ? av.fma(xv, sv) : av.mul(xv).add(sv)).intoArray(y, j);
            }
        }
        Kernels.scalarAxpy(y, src, a, x, j, len);
    }

    @Override
    public void axpy4(float[] y, float[] src, float a0, float[] x0, float a1, float[] x1, float a2, float[] x2,
            float a3, float[] x3, int len) {
        int upper = S.loopBound(len);
        int j = 0;
        if (upper > 0) {
            FloatVector v0 = FloatVector.broadcast(S, a0);
            FloatVector v1 = FloatVector.broadcast(S, a1);
            FloatVector v2 = FloatVector.broadcast(S, a2);
            FloatVector v3 = FloatVector.broadcast(S, a3);
            for (; j < upper; j += S.length()) {
                FloatVector acc = FloatVector.fromArray(S, src, j);
                if (Kernels.FMA) {
                    acc = v0.fma(FloatVector.fromArray(S, x0, j), acc);
                    acc = v1.fma(FloatVector.fromArray(S, x1, j), acc);
                    acc = v2.fma(FloatVector.fromArray(S, x2, j), acc);
                    acc = v3.fma(FloatVector.fromArray(S, x3, j), acc);
                } else {
                    acc = v0.mul(FloatVector.fromArray(S, x0, j)).add(acc);
                    acc = v1.mul(FloatVector.fromArray(S, x1, j)).add(acc);
                    acc = v2.mul(FloatVector.fromArray(S, x2, j)).add(acc);
                    acc = v3.mul(FloatVector.fromArray(S, x3, j)).add(acc);
                }
                acc.intoArray(y, j);
            }
        }
        Kernels.scalarAxpy4(y, src, a0, x0, a1, x1, a2, x2, a3, x3, j, len);
    }

    @Override
    public void add(float[] y, float[] x, int from, int to) {
        int j = from;
        int upper = from + S.loopBound(to - from);
        for (; j < upper; j += S.length()) {
            FloatVector.fromArray(S, y, j).add(FloatVector.fromArray(S, x, j)).intoArray(y, j);
        }
        Kernels.scalarAdd(y, x, j, to);
    }

    @Override
    public String describe() {
        return "Vector API, " + S.length() + " float lanes (" + S.vectorBitSize() + " bit)";
    }
}
