package dev.proxima.core.nn;

import java.lang.management.ManagementFactory;

/**
 * The float32 inner loops of the layers, shaped for JDK 17's C2 auto-vectoriser (SuperWord).
 *
 * <ul>
 *   <li>SuperWord vectorises a counted loop whose arrays are all indexed by the same {@code j}, but gives up when two
 *   float arrays are indexed with different offsets ({@code y[j] += a*w[o+j]}): without runtime alias checks it
 *   cannot prove they do not overlap. Rows are therefore separate {@code float[]} (jagged matrices) and every loop
 *   here indexes all its arrays by {@code j} alone.
 *   <li>It does not vectorise floating-point sum reductions (the order of the additions is fixed by the language),
 *   so products are accumulated with axpy ({@code y[:] += a·x[:]}), not dot products, wherever a loop is long;
 *   {@link #dot} with four partial sums serves the short outputs of heads.
 *   <li>It sizes vectors by the profiled trip count: a 64-long loop gets 4 float lanes, not the 16 an AVX-512
 *   register holds (128 gets 8, 256 and more get 16). With 4 lanes a separate multiply and add per element leaves
 *   half the arithmetic throughput unused, so the loops use {@link Math#fma} (vectorised as {@code vfmadd...ps})
 *   when the JVM runs it in hardware. Where it does not ({@code -XX:-UseFMA}, CPUs without FMA3), {@code Math.fma}
 *   falls back to {@code BigDecimal} arithmetic, hundreds of times slower, so {@link #FMA} selects a plain
 *   multiply-add there. The choice is a {@code static final} constant, so C2 compiles only one branch.
 *   <li>{@link #axpy4} folds four axpy into one pass so the output row is loaded and stored a quarter as often.
 * </ul>
 */
final class Kernels {

    /** Whether {@link Math#fma} runs as one hardware instruction in this JVM (HotSpot's {@code UseFMA}). */
    static final boolean FMA = hardwareFma();

    private Kernels() {}

    private static boolean hardwareFma() {
        try {
            var hotspot = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return hotspot != null && Boolean.parseBoolean(hotspot.getVMOption("UseFMA").getValue());
        } catch (RuntimeException | LinkageError e) {
            return false; // not HotSpot, or jdk.management absent: play safe
        }
    }

    /** {@code a·b + c}, fused (one rounding) where the hardware does it. */
    static float madd(float a, float b, float c) {
        return FMA ? Math.fma(a, b, c) : a * b + c;
    }

    /** {@code y[j] += a·x[j]}. */
    static void axpy(float[] y, float a, float[] x, int len) {
        for (int j = 0; j < len; j++) {
            y[j] = madd(a, x[j], y[j]);
        }
    }

    /** {@code y[j] += a0·x0[j] + a1·x1[j] + a2·x2[j] + a3·x3[j]}. */
    static void axpy4(float[] y, float a0, float[] x0, float a1, float[] x1, float a2, float[] x2, float a3,
            float[] x3, int len) {
        for (int j = 0; j < len; j++) {
            y[j] = madd(a3, x3[j], madd(a2, x2[j], madd(a1, x1[j], madd(a0, x0[j], y[j]))));
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
            s0 = madd(a[j], b[j], s0);
            s1 = madd(a[j + 1], b[j + 1], s1);
            s2 = madd(a[j + 2], b[j + 2], s2);
            s3 = madd(a[j + 3], b[j + 3], s3);
        }
        for (; j < len; j++) {
            s0 = madd(a[j], b[j], s0);
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** A jagged {@code rows × cols} matrix. */
    static float[][] rows(int rows, int cols) {
        return new float[rows][cols];
    }
}
