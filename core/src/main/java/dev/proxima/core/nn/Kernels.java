package dev.proxima.core.nn;

/**
 * The float32 inner loops of the layers.
 *
 * <p>Why they look like this (JDK 17 C2): SuperWord vectorises a counted loop whose arrays are all indexed by the
 * same {@code j}, but gives up when two float arrays are indexed with different offsets ({@code y[j] += a*w[o+j]}),
 * because without runtime alias checks it cannot prove that they do not overlap. Rows are therefore separate
 * {@code float[]} (jagged matrices) and every loop here indexes all arrays by {@code j} alone. C2 does not vectorise
 * floating-point sum reductions either (the order of the sums is fixed by the language), so products are
 * accumulated with axpy ({@code y[:] += a·x[:]}), not dot products, wherever the loop is long; {@link #dot} with four
 * partial sums is for the short outputs of heads. {@link #axpy4} folds four axpy into one pass so the output row is
 * loaded and stored a quarter as often.
 */
final class Kernels {

    private Kernels() {}

    /** {@code y[j] += a·x[j]}. */
    static void axpy(float[] y, float a, float[] x, int len) {
        for (int j = 0; j < len; j++) {
            y[j] += a * x[j];
        }
    }

    /** {@code y[j] += a0·x0[j] + a1·x1[j] + a2·x2[j] + a3·x3[j]}. */
    static void axpy4(float[] y, float a0, float[] x0, float a1, float[] x1, float a2, float[] x2, float a3,
            float[] x3, int len) {
        for (int j = 0; j < len; j++) {
            y[j] += (a0 * x0[j] + a1 * x1[j]) + (a2 * x2[j] + a3 * x3[j]);
        }
    }

    /** {@code y[j] += x[j]}. */
    static void add(float[] y, float[] x, int len) {
        for (int j = 0; j < len; j++) {
            y[j] += x[j];
        }
    }

    /** {@code sum_j a[j]·b[j]} with four interleaved partial sums (shorter dependency chains). */
    static float dot(float[] a, float[] b, int len) {
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        int j = 0;
        for (; j + 3 < len; j += 4) {
            s0 += a[j] * b[j];
            s1 += a[j + 1] * b[j + 1];
            s2 += a[j + 2] * b[j + 2];
            s3 += a[j + 3] * b[j + 3];
        }
        for (; j < len; j++) {
            s0 += a[j] * b[j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** A jagged {@code rows × cols} matrix. */
    static float[][] rows(int rows, int cols) {
        return new float[rows][cols];
    }
}
