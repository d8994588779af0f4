package dev.proxima.bench;

import dev.proxima.core.env.Env;
import dev.proxima.core.env.EnvFactory;
import dev.proxima.core.env.SyncVectorEnv;
import dev.proxima.core.env.Wrapper;
import dev.proxima.envs.gym.GymEnv;
import dev.proxima.envs.gym.GymSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Throughput of the Gymnasium bridge: env steps/s through {@link SyncVectorEnv} on a trivial pure-Python env
 * ({@code trivial_env.py}: nothing but the bridge's own cost), with N copies batched in one message per vector step,
 * and, for comparison, the same copies stepped one message each. Run with
 * {@code java -cp bench/target/benchmarks.jar dev.proxima.bench.GymBridgeBench [copies=8] [seconds=5]}; the Python
 * interpreter is {@link GymSpec#defaultInterpreter()} ({@code -Dproxima.python=...} to choose).
 */
public final class GymBridgeBench {

    private GymBridgeBench() {}

    /** A wrapper {@link dev.proxima.core.env.BatchStepped#find} does not look through: one message per copy. */
    private static final class Unbatched<O, A> extends Wrapper<O, A> {
        Unbatched(Env<O, A> env) {
            super(env);
        }
    }

    public static void main(String[] args) throws IOException {
        int copies = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 5;
        Path dir = Files.createTempDirectory("proxima-gym-bench");
        try (InputStream in = GymBridgeBench.class.getResourceAsStream("trivial_env.py")) {
            Files.write(dir.resolve("trivial_env.py"), in.readAllBytes());
        }
        GymSpec spec = GymEnv.python("trivial_env:Trivial").pythonPath(dir);
        System.out.printf(Locale.ROOT, "Gymnasium bridge throughput, trivial Python env, %s, load %s%n",
                spec, Files.readString(Path.of("/proc/loadavg")).trim());
        long[] seeds = new long[copies];
        for (int i = 0; i < copies; i++) {
            seeds[i] = i + 1;
        }
        try (SyncVectorEnv<Object, Object> vec = SyncVectorEnv.of(spec, seeds)) {
            report("batched, " + copies + " copies, one message per vector step", vec, seconds);
        }
        GymSpec separate = GymEnv.python("trivial_env:Trivial").pythonPath(dir);
        EnvFactory<Object, Object> unbatched = seed -> new Unbatched<>(separate.make(seed));
        try (SyncVectorEnv<Object, Object> vec = SyncVectorEnv.of(unbatched, seeds)) {
            report("unbatched, " + copies + " copies, one message per copy and step", vec, seconds);
        }
        try (SyncVectorEnv<Object, Object> vec = SyncVectorEnv.of(GymEnv.python("trivial_env:Trivial")
                .pythonPath(dir), 1L)) {
            report("1 copy", vec, seconds);
        }
    }

    private static void report(String what, SyncVectorEnv<Object, Object> vec, double seconds) {
        int n = vec.numEnvs();
        float[] obs = new float[n * vec.obsDim()];
        float[] finalObs = new float[n * vec.obsDim()];
        float[] actions = new float[n];
        double[] rewards = new double[n];
        boolean[] terminated = new boolean[n];
        boolean[] truncated = new boolean[n];
        vec.reset(vec.seeds(), obs);
        // Warm-up: let the JIT compile the Java side before the timed part.
        long warmEnd = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < warmEnd) {
            vec.step(actions, obs, rewards, terminated, truncated, finalObs);
        }
        long steps = 0;
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        int t = 0;
        while (System.nanoTime() < end) {
            for (int i = 0; i < n; i++) {
                actions[i] = (t + i) & 1;
            }
            vec.step(actions, obs, rewards, terminated, truncated, finalObs);
            steps += n;
            t++;
        }
        double s = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "  %-58s %,10.0f env steps/s  (%,d vector steps in %.2f s)%n", what,
                steps / s, t, s);
    }
}
