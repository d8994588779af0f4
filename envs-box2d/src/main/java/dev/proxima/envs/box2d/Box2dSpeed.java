package dev.proxima.envs.box2d;

import dev.proxima.core.env.Env;
import dev.proxima.core.env.EnvSpec;
import dev.proxima.core.env.TimeLimit;
import dev.proxima.core.env.Step;
import dev.proxima.core.run.Rng;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Measures the Box2D envs on one thread: env steps per second with uniform random actions (resetting at episode
 * ends), and the bytes the env allocates per step (the JVM's per-thread allocation counter,
 * {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}).
 *
 * <pre>
 * java -cp envs-box2d/target/classes:$(deps) dev.proxima.envs.box2d.Box2dSpeed [seconds per env, default 10]
 * </pre>
 *
 * <p>The actions are drawn before the timed loop, so the figures are the env's own: Box2D's native step, the JNI calls
 * that read bodies and joints and cast the lidar, the observation array and the {@link Step} record.
 */
public final class Box2dSpeed {
    private Box2dSpeed() {}

    /**
     * One env's figures.
     *
     * @param bytesPerStep  bytes allocated by {@code step}, resets excluded
     * @param bytesPerReset bytes allocated by {@code reset} (a new Box2D world and its bodies)
     */
    public record Result(String env, long steps, double seconds, double bytesPerStep, double bytesPerReset) {
        public double stepsPerSecond() {
            return steps / seconds;
        }
    }

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
        System.out.printf(Locale.ROOT, "%-26s %12s %14s %14s%n", "env", "steps/s", "bytes/step", "bytes/reset");
        for (EnvSpec<?, ?> spec : Box2dEnvs.all()) {
            Result r = measure(spec, seconds);
            System.out.printf(Locale.ROOT, "%-26s %12.0f %14.1f %14.0f%n", r.env(), r.stepsPerSecond(), r.bytesPerStep(),
                    r.bytesPerReset());
        }
    }

    /**
     * Warms up for a fifth of {@code seconds}, then steps the spec's raw env under its {@link TimeLimit} (without the
     * contract checks of {@code make}) for {@code seconds}.
     */
    @SuppressWarnings("unchecked")
    public static <A> Result measure(EnvSpec<?, A> spec, double seconds) {
        String name = spec.id();
        try (Env<float[], A> env = new TimeLimit<>((Env<float[], A>) spec.makeUnwrapped(0),
                spec.maxEpisodeSteps().orElse(Integer.MAX_VALUE))) {
            Rng rng = new Rng(7);
            Object[] actions = new Object[4096];
            for (int i = 0; i < actions.length; i++) {
                actions[i] = env.actionSpace().sample(rng);
            }
            env.reset(0);
            run(env, (A[]) actions, (long) (seconds * 0.2e9), new long[2]);
            com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long tid = Thread.currentThread().getId();
            long[] resets = new long[2];
            long bytes0 = mx.getThreadAllocatedBytes(tid);
            long t0 = System.nanoTime();
            long steps = run(env, (A[]) actions, (long) (seconds * 1e9), resets);
            double secs = (System.nanoTime() - t0) / 1e9;
            long bytes = mx.getThreadAllocatedBytes(tid) - bytes0;
            return new Result(name, steps, secs, (double) (bytes - resets[1]) / steps,
                    resets[0] == 0 ? Double.NaN : (double) resets[1] / resets[0]);
        }
    }

    /** Steps for {@code nanos}; {@code resets[0]} counts resets and {@code resets[1]} the bytes they allocated. */
    private static <A> long run(Env<float[], A> env, A[] actions, long nanos, long[] resets) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long end = System.nanoTime() + nanos;
        long steps = 0;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 256; i++) {
                Step<float[]> s = env.step(actions[(int) (steps & (actions.length - 1))]);
                steps++;
                if (s.done()) {
                    long b0 = mx.getThreadAllocatedBytes(tid);
                    env.reset();
                    resets[1] += mx.getThreadAllocatedBytes(tid) - b0;
                    resets[0]++;
                }
            }
        }
        return steps;
    }
}
