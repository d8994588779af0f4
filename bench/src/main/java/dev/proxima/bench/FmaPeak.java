package dev.proxima.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The machine's practical float32 peak as plain Java reaches it: {@code y[j] = fma(a3,x3[j], fma(a2,x2[j],
 * fma(a1,x1[j], fma(a0,x0[j], y[j]))))} over 512-float rows that stay in L1, which C2 vectorises to packed
 * {@code vfmadd} (the shape of the engine's own {@code axpy4}). Four FMAs per element and store keep it bound by
 * arithmetic rather than by loads. It is what a JVM kernel can practically get, not the datasheet peak.
 */
final class FmaPeak {
    static final int LEN = 512;
    private static final int ROWS = 4;

    private FmaPeak() {}

    /** FLOP/s of the kernel on {@code threads} threads, best of {@code repeats} runs of about {@code millis} each. */
    static double measure(int threads, int repeats, long millis) {
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "fma-peak");
            t.setDaemon(true);
            return t;
        });
        try {
            double best = 0;
            // The first pass lets C2 compile the loop before anything is timed.
            run(pool, threads, Math.max(50, millis / 4));
            for (int rep = 0; rep < repeats; rep++) {
                best = Math.max(best, run(pool, threads, millis));
            }
            return best;
        } finally {
            pool.shutdownNow();
        }
    }

    private static double run(ExecutorService pool, int threads, long millis) {
        List<Future<double[]>> fs = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            fs.add(pool.submit((Callable<double[]>) () -> kernel(millis)));
        }
        double flops = 0;
        double seconds = 0;
        try {
            for (Future<double[]> f : fs) {
                double[] r = f.get();
                flops += r[0];
                seconds = Math.max(seconds, r[1]);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        return flops / seconds;
    }

    /** Runs the kernel for about {@code millis}; returns {FLOPs, seconds, checksum}. */
    static double[] kernel(long millis) {
        float[] y = new float[LEN];
        float[][] x = new float[ROWS][LEN];
        for (int r = 0; r < ROWS; r++) {
            for (int j = 0; j < LEN; j++) {
                x[r][j] = (float) (((j * 31 + r * 17) % 97) - 48) * 1e-4f;
            }
        }
        float a0 = 0.5f;
        float a1 = -0.25f;
        float a2 = 0.125f;
        float a3 = -0.0625f;
        long passes = 0;
        long start = System.nanoTime();
        long deadline = start + millis * 1_000_000L;
        long now;
        do {
            for (int k = 0; k < 1024; k++) {
                axpy4(y, a0, x[0], a1, x[1], a2, x[2], a3, x[3]);
            }
            passes += 1024;
            now = System.nanoTime();
        } while (now < deadline);
        double check = 0;
        for (float v : y) {
            check += v;
        }
        return new double[] {passes * (double) LEN * ROWS * 2, (now - start) / 1e9, check};
    }

    private static void axpy4(float[] y, float a0, float[] x0, float a1, float[] x1, float a2, float[] x2, float a3,
            float[] x3) {
        for (int j = 0; j < LEN; j++) {
            y[j] = Math.fma(a3, x3[j], Math.fma(a2, x2[j], Math.fma(a1, x1[j], Math.fma(a0, x0[j], y[j]))));
        }
    }
}
