package dev.proxima.core.nn;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicBoolean;

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
 *   <li>{@link #scalarAxpy4} folds four axpy into one pass so the output row is loaded and stored a quarter as often, and
 *   takes the row to add to as an argument so the first pass can start from the bias (or zero) directly.
 *   <li>Even so, SuperWord picks short vectors for the 64-long rows of CleanRL's networks and leaves half of an
 *   AVX-512 core idle. When the JVM has {@code jdk.incubator.vector} ({@code --add-modules jdk.incubator.vector}, as
 *   {@code bin/proxima}, the samples and the benchmarks start it), the kernels run on the Vector API instead
 *   ({@code VectorKernels}, compiled from {@code src/main/vector} so that only it needs the module), in the widest
 *   vectors the CPU has and with a block of outputs kept in registers ({@link #combine}, {@link #combine4}). Each
 *   lane computes exactly what the scalar loop computes for that element, in the same order, fused or not as
 *   {@link #FMA} says, so the results are the same bits either way. {@link #dot} stays scalar: a vector reduction would change the order of
 *   its additions. The scalar loops ({@code scalar*}) are the reference the vector kernels are tested against.
 * </ul>
 */
final class Kernels {

    /** Whether {@link Math#fma} runs as one hardware instruction in this JVM (HotSpot's {@code UseFMA}). */
    static final boolean FMA = hardwareFma();

    /** System property that turns the Vector API kernels off ({@code -Dproxima.simd=false}), e.g. to compare. */
    static final String SIMD_PROPERTY = "proxima.simd";

    /** System property that skips the kernels' warm-up ({@code -Dproxima.simd.warmup=false}); see {@link #warmUp}. */
    static final String WARMUP_PROPERTY = "proxima.simd.warmup";

    /**
     * The Vector API kernels, or {@code null} to run the scalar loops. A {@code static final} constant: C2 folds the
     * test below and inlines the one implementation that exists, so the indirection costs nothing once compiled.
     */
    private static final SimdKernels SIMD = loadSimd();

    private Kernels() {}

    /** Operations with a Vector API implementation; each must give exactly the bits of its {@code scalar*} loop. */
    interface SimdKernels {
        void add(float[] y, float[] x, int from, int to);

        void combine(float[] y, float[] init, float[] coef, float[][] rows, int count, int len);

        void combine4(float[] y0, float[] y1, float[] y2, float[] y3, float[] i0, float[] i1, float[] i2, float[] i3,
                float[] c0, float[] c1, float[] c2, float[] c3, float[][] rows, int count, int len);

        /** {@link Activation#tanh} of {@code z[j]} in place, {@code j < len}. */
        void tanh(float[] z, int len);

        /** {@code dy[j] *= 1 - y[j]²} ({@code madd(-y, y, 1)}), {@code j < len}. */
        void tanhBackward(float[] y, float[] dy, int len);

        /** Human-readable description: the species and lane count. */
        String describe();
    }

    private static SimdKernels loadSimd() {
        if (!Boolean.parseBoolean(System.getProperty(SIMD_PROPERTY, "true"))) {
            return null;
        }
        return loadVectorKernels();
    }

    /**
     * {@code VectorKernels} if {@code jdk.incubator.vector} is in the boot layer, else {@code null}. Loaded
     * reflectively: this class must load (and the scalar loops run) in a JVM without the module.
     */
    static SimdKernels loadVectorKernels() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return null;
        }
        try {
            return (SimdKernels) Class.forName("dev.proxima.core.nn.VectorKernels").getDeclaredConstructor()
                    .newInstance();
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return null; // a build without the vector source root, or a VM that cannot run it: scalar it is
        }
    }

    /** The longest {@link #warmUp} runs (0.2-0.4 s for the kernels on an idle 2-core machine). */
    private static final long WARMUP_MAX_NANOS = 600_000_000L;
    /** {@link #warmUp}'s rounds where allocation cannot be counted (12 calls of each kernel per round). */
    private static final int WARMUP_UNCOUNTED_ROUNDS = 700;

    /** Whether {@link #warmUp} has run (or been claimed by a thread that is running it). */
    private static final AtomicBoolean WARMED = new AtomicBoolean();

    /**
     * Runs the Vector API kernels (and the heads' scalar dot products), once per JVM, until C2 has compiled them (0.6 s
     * at most); before that they run in Java fallbacks that box every vector (tens of times slower than the scalar
     * loops in C1), which would make a fresh JVM's first updates slow. Called when the first layer is built
     * ({@link Dense}'s constructor), never from this class's initialiser: code C2 compiles while a class it uses is
     * still being initialised carries class-initialisation checks and treats {@link #FMA} and {@link #SIMD} as
     * variables, and is thrown away (deoptimised, back to the fallbacks) at its first call after initialisation. That
     * happened to every kernel a few hundred milliseconds into a fresh run when the warm-up ran at class load (issue
     * 12, "A fresh JVM"). The shapes vary the way a run's do (rows of 4 to 128 terms, lengths with and without a
     * vector tail), so the compiled code's profile-based loop checks hold for the real layers. Skipped with
     * {@code -Dproxima.simd.warmup=false} or without the module.
     */
    static void warmUp() {
        if (SIMD == null || WARMED.get() || !WARMED.compareAndSet(false, true)
                || !Boolean.parseBoolean(System.getProperty(WARMUP_PROPERTY, "true"))) {
            return;
        }
        // Lengths: an observation, a row with a vector tail and a scalar tail (AVX-512 or AVX2), a hidden layer.
        // Counts: a head's outputs, an observation's inputs, a hidden layer's inputs, a minibatch's rows.
        int[] lens = {4, 35, 64};
        int[] shortCounts = {1, 4};
        int[] allCounts = {1, 4, 64, 128};
        int maxLen = 64;
        int maxCount = 128;
        float[][] rows = rows(maxCount, maxLen);
        float[] c = new float[maxCount];
        for (int k = 0; k < maxCount; k++) {
            c[k] = 0.001f * (k % 7);
            rows[k][k % maxLen] = 1f;
        }
        float[] y0 = new float[maxLen], y1 = new float[maxLen], y2 = new float[maxLen], y3 = new float[maxLen];
        float[] sink = new float[maxCount];
        // First rounds of short calls only (1 and 4 terms) until they run compiled: many calls with short loops make
        // C2 compile each kernel as a method, where rounds with 64- and 128-term rows (long loops, few calls) made it
        // compile combine4 on-stack-replacement first (130 ms of the one C2 thread) and then as a method again.
        // Then rounds of every kernel on every shape until a round allocates nothing: the fallbacks box every vector,
        // C2's intrinsics do not (nor does its code for the scalar tails), so a silent round means every kernel runs
        // compiled. A fixed count of calls ended while C2 was still busy with combine4 and left tanh in its fallback
        // for the first update. The time cap covers JVMs where C2 never comes (-XX:TieredStopAtLevel=1, -Xint) or
        // leaves an operation to its fallback (a CPU without it); a JVM that cannot count a thread's allocation runs
        // a fixed number of rounds (half of them short).
        com.sun.management.ThreadMXBean threads = allocationCounter();
        long deadline = System.nanoTime() + WARMUP_MAX_NANOS;
        boolean shortOnly = true;
        for (int round = 1; ; round++) {
            long before = threads == null ? 0 : threads.getCurrentThreadAllocatedBytes();
            int[] counts = shortOnly ? shortCounts : allCounts;
            for (int len : lens) {
                for (int count : counts) {
                    combine4(y0, y1, y2, y3, y0, y1, y2, y3, c, c, c, c, rows, count, len);
                    combine(y0, y0, c, rows, count, len);
                    tanh(y1, len);
                    tanhBackward(y1, y2, len);
                    add(y3, y2, 0, len);
                    // The heads' scalar dot products: the first update ran them in the interpreter (9% of its
                    // samples under JFR) though they are no vector kernels.
                    dot4(rows[count - 1], y0, y1, y2, y3, len, 0f, sink, sink, sink, sink, count - 1);
                    sink[0] = dot(y0, y1, len);
                }
            }
            boolean silent = threads == null ? round >= (shortOnly ? WARMUP_UNCOUNTED_ROUNDS / 2
                    : WARMUP_UNCOUNTED_ROUNDS) : threads.getCurrentThreadAllocatedBytes() == before;
            if (silent && !shortOnly || System.nanoTime() > deadline) {
                return;
            }
            if (silent) {
                shortOnly = false;
            }
        }
    }

    /** The JVM's per-thread allocation counter, or {@code null} where it is missing or off. */
    private static com.sun.management.ThreadMXBean allocationCounter() {
        try {
            if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
                    && t.isThreadAllocatedMemorySupported() && t.isThreadAllocatedMemoryEnabled()) {
                return t;
            }
        } catch (RuntimeException | LinkageError e) {
            // jdk.management absent: no counter
        }
        return null;
    }

    /** What runs the element-wise kernels in this JVM, e.g. {@code "Vector API, 16 float lanes"} or {@code "scalar"}. */
    static String implementation() {
        return SIMD == null ? "scalar loops (jdk.incubator.vector " + (ModuleLayer.boot()
                .findModule("jdk.incubator.vector").isPresent() ? "off by -D" + SIMD_PROPERTY + "=false)"
                        : "not added)") : SIMD.describe();
    }

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

    /**
     * {@code y[j] = src[j] + a·x[j]} for {@code from <= j < len}; {@code src} may be {@code y} itself (accumulate).
     */
    static void scalarAxpy(float[] y, float[] src, float a, float[] x, int from, int len) {
        for (int j = from; j < len; j++) {
            y[j] = madd(a, x[j], src[j]);
        }
    }

    /**
     * {@code y[j] = src[j] + a0·x0[j] + a1·x1[j] + a2·x2[j] + a3·x3[j]} for {@code from <= j < len}; {@code src} may
     * be {@code y} itself (accumulate), or a bias or zero row for the first pass, which spares a separate pass to
     * initialise {@code y}.
     */
    static void scalarAxpy4(float[] y, float[] src, float a0, float[] x0, float a1, float[] x1, float a2, float[] x2,
            float a3, float[] x3, int from, int len) {
        for (int j = from; j < len; j++) {
            y[j] = madd(a3, x3[j], madd(a2, x2[j], madd(a1, x1[j], madd(a0, x0[j], src[j]))));
        }
    }

    /**
     * {@code y[j] = init[j] + coef[0]·rows[0][j] + ... + coef[count-1]·rows[count-1][j]} for {@code j < len}, the
     * terms added one at a time in that order ({@code init} may be {@code y}): a matrix-vector product, e.g. a dense
     * layer's output row from its input row. On the scalar path this is {@link #scalarAxpy4} passes then
     * {@link #scalarAxpy}, as the layers always did; the vector kernel keeps a block of {@code y} in registers across all {@code count}
     * terms instead of loading and storing it on every pass, with the same operations on every element.
     */
    static void combine(float[] y, float[] init, float[] coef, float[][] rows, int count, int len) {
        if (SIMD != null) {
            SIMD.combine(y, init, coef, rows, count, len);
        } else {
            scalarCombine(y, init, coef, rows, count, len);
        }
    }

    /**
     * Four {@link #combine}s over the same {@code rows} ({@code y0 = i0 + Σ c0[k]·rows[k]}, and so on): four batch
     * rows of a layer at once. Each output is what its own {@code combine} gives, bit for bit; the vector kernel
     * loads each block of {@code rows} once for all four, which is what wide layers (256, 512) are bound by.
     */
    static void combine4(float[] y0, float[] y1, float[] y2, float[] y3, float[] i0, float[] i1, float[] i2,
            float[] i3, float[] c0, float[] c1, float[] c2, float[] c3, float[][] rows, int count, int len) {
        if (SIMD != null) {
            SIMD.combine4(y0, y1, y2, y3, i0, i1, i2, i3, c0, c1, c2, c3, rows, count, len);
        } else {
            scalarCombine(y0, i0, c0, rows, count, len);
            scalarCombine(y1, i1, c1, rows, count, len);
            scalarCombine(y2, i2, c2, rows, count, len);
            scalarCombine(y3, i3, c3, rows, count, len);
        }
    }

    /** {@link #combine} as four-term axpy passes: the reference. */
    static void scalarCombine(float[] y, float[] init, float[] coef, float[][] rows, int count, int len) {
        if (count == 0) {
            System.arraycopy(init, 0, y, 0, len);
            return;
        }
        float[] src = init;
        int k = 0;
        for (; k + 3 < count; k += 4) {
            scalarAxpy4(y, src, coef[k], rows[k], coef[k + 1], rows[k + 1], coef[k + 2], rows[k + 2], coef[k + 3],
                    rows[k + 3], 0, len);
            src = y;
        }
        for (; k < count; k++) {
            scalarAxpy(y, src, coef[k], rows[k], 0, len);
            src = y;
        }
    }

    /** {@code z[j] = tanh(z[j])} for {@code j < len}, as {@link Activation#tanh}. */
    static void tanh(float[] z, int len) {
        if (SIMD != null) {
            SIMD.tanh(z, len);
        } else {
            scalarTanh(z, 0, len);
        }
    }

    static void scalarTanh(float[] z, int from, int len) {
        for (int j = from; j < len; j++) {
            z[j] = Activation.tanh(z[j]);
        }
    }

    /** {@code dy[j] *= 1 - y[j]²} for {@code j < len}: the tanh derivative from its output. */
    static void tanhBackward(float[] y, float[] dy, int len) {
        if (SIMD != null) {
            SIMD.tanhBackward(y, dy, len);
        } else {
            scalarTanhBackward(y, dy, 0, len);
        }
    }

    static void scalarTanhBackward(float[] y, float[] dy, int from, int len) {
        for (int j = from; j < len; j++) {
            dy[j] *= madd(-y[j], y[j], 1f);
        }
    }

    /** {@code y[j] += x[j]} for {@code from <= j < to}. */
    static void add(float[] y, float[] x, int from, int to) {
        if (SIMD != null) {
            SIMD.add(y, x, from, to);
        } else {
            scalarAdd(y, x, from, to);
        }
    }

    /** {@link #add}, one element at a time. */
    static void scalarAdd(float[] y, float[] x, int from, int to) {
        for (int j = from; j < to; j++) {
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

    /**
     * {@code y_r[j] = bias + dot(a, x_r, len)} for four rows {@code x_0..x_3} at once, each sum taken exactly as
     * {@link #dot} takes it (four partial sums, combined {@code (s0 + s1) + (s2 + s3)}), so the bits are the same. One
     * dot product waits on its adder's latency; four rows' sixteen independent sums keep the FMA units busy (the
     * 1- and 2-wide output heads of the policy and value networks).
     */
    static void dot4(float[] a, float[] x0, float[] x1, float[] x2, float[] x3, int len, float bias, float[] y0,
            float[] y1, float[] y2, float[] y3, int j) {
        float p0 = 0f, p1 = 0f, p2 = 0f, p3 = 0f;
        float q0 = 0f, q1 = 0f, q2 = 0f, q3 = 0f;
        float r0 = 0f, r1 = 0f, r2 = 0f, r3 = 0f;
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
        int k = 0;
        for (; k + 3 < len; k += 4) {
            float a0 = a[k], a1 = a[k + 1], a2 = a[k + 2], a3 = a[k + 3];
            p0 = madd(a0, x0[k], p0);
            p1 = madd(a1, x0[k + 1], p1);
            p2 = madd(a2, x0[k + 2], p2);
            p3 = madd(a3, x0[k + 3], p3);
            q0 = madd(a0, x1[k], q0);
            q1 = madd(a1, x1[k + 1], q1);
            q2 = madd(a2, x1[k + 2], q2);
            q3 = madd(a3, x1[k + 3], q3);
            r0 = madd(a0, x2[k], r0);
            r1 = madd(a1, x2[k + 1], r1);
            r2 = madd(a2, x2[k + 2], r2);
            r3 = madd(a3, x2[k + 3], r3);
            s0 = madd(a0, x3[k], s0);
            s1 = madd(a1, x3[k + 1], s1);
            s2 = madd(a2, x3[k + 2], s2);
            s3 = madd(a3, x3[k + 3], s3);
        }
        for (; k < len; k++) {
            p0 = madd(a[k], x0[k], p0);
            q0 = madd(a[k], x1[k], q0);
            r0 = madd(a[k], x2[k], r0);
            s0 = madd(a[k], x3[k], s0);
        }
        y0[j] = bias + ((p0 + p1) + (p2 + p3));
        y1[j] = bias + ((q0 + q1) + (q2 + q3));
        y2[j] = bias + ((r0 + r1) + (r2 + r3));
        y3[j] = bias + ((s0 + s1) + (s2 + s3));
    }

    /** A jagged {@code rows × cols} matrix. */
    static float[][] rows(int rows, int cols) {
        return new float[rows][cols];
    }
}
