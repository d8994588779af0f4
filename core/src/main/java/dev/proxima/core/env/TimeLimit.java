package dev.proxima.core.env;

/**
 * Truncates an episode after {@code maxEpisodeSteps} steps (Gymnasium's {@code TimeLimit}: truncated when
 * {@code elapsed >= max}). Termination on the same step is kept: both flags may be set. Over an inner env that is
 * {@link FlatStepped}, it is one too (the same count, the same flags).
 */
public final class TimeLimit<O, A> extends Wrapper<O, A> implements Snapshottable, FlatStepped {
    private final int maxEpisodeSteps;
    private int elapsed;

    public TimeLimit(Env<O, A> env, int maxEpisodeSteps) {
        super(env);
        if (maxEpisodeSteps < 1) {
            throw new IllegalArgumentException("TimeLimit: maxEpisodeSteps = " + maxEpisodeSteps + " must be >= 1");
        }
        this.maxEpisodeSteps = maxEpisodeSteps;
    }

    public int maxEpisodeSteps() {
        return maxEpisodeSteps;
    }

    /** Steps taken in the current episode. */
    public int elapsedSteps() {
        return elapsed;
    }

    @Override
    public Reset<O> reset(long seed) {
        elapsed = 0;
        return env.reset(seed);
    }

    @Override
    public Reset<O> reset() {
        elapsed = 0;
        return env.reset();
    }

    @Override
    public Step<O> step(A action) {
        Step<O> s = env.step(action);
        elapsed++;
        if (elapsed >= maxEpisodeSteps && !s.truncated()) {
            return new Step<>(s.observation(), s.reward(), s.terminated(), true, s.info());
        }
        return s;
    }

    @Override
    public boolean flatSteppable() {
        return FlatStepped.of(env) != null;
    }

    @Override
    public int stepInto(float[] actions, int actionOffset, float[] obsOut, int obsOffset, double[] rewardOut,
            int rewardIndex) {
        int flags = ((FlatStepped) env).stepInto(actions, actionOffset, obsOut, obsOffset, rewardOut, rewardIndex);
        elapsed++;
        if (elapsed >= maxEpisodeSteps) {
            flags |= TRUNCATED;
        }
        return flags;
    }

    @Override
    public void resetInto(float[] obsOut, int obsOffset) {
        elapsed = 0;
        ((FlatStepped) env).resetInto(obsOut, obsOffset);
    }

    @Override
    public long[] snapshot() {
        return new long[] {elapsed};
    }

    @Override
    public void restore(long[] snapshot) {
        Snapshottable.checkLength(snapshot, 1, TimeLimit.class);
        elapsed = (int) snapshot[0];
    }
}
