package dev.proxima.core.run;

import java.util.random.RandomGenerator;

/**
 * A splittable random generator whose whole state is one {@code long}, so checkpoints can save and restore it
 * exactly (the JDK's {@code SplittableRandom} hides its state). The algorithm is SplitMix64 (Steele, Lea and Flood,
 * "Fast splittable pseudorandom number generators", OOPSLA 2014) with the golden-gamma increment; {@link #split()}
 * derives an independent stream from the next output, as {@code SplittableRandom.split} does.
 */
public final class Rng implements RandomGenerator {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    private long state;

    public Rng(long seed) {
        this.state = mix64(seed);
    }

    private Rng(long state, boolean raw) {
        this.state = state;
    }

    /** A generator continuing from a state returned by {@link #state()}. */
    public static Rng fromState(long state) {
        return new Rng(state, true);
    }

    /** The whole state; {@link #fromState(long)} resumes the stream exactly. */
    public long state() {
        return state;
    }

    /** Sets the state returned by {@link #state()}. */
    public void setState(long state) {
        this.state = state;
    }

    /** An independent generator seeded from this one's next output. */
    public Rng split() {
        return new Rng(nextLong());
    }

    @Override
    public long nextLong() {
        state += GOLDEN_GAMMA;
        return mix64(state);
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
