package dev.proxima.cluster;

import java.time.Duration;
import java.util.Objects;

/**
 * What a cluster run does when a worker fails (its process dies, it leaves, it stops answering heartbeats, or it sends
 * no rollout within the rollout timeout), as in RLlib: the failed worker's partial rollout is always dropped, then
 * <ul>
 *   <li>{@link #fail()} (the default) stops the run;</li>
 *   <li>{@link #ignore(int)} trains on the surviving workers' rollouts (fewer rows per update) as long as at least
 *       {@code minWorkers} survive;</li>
 *   <li>{@link #restart(int, Duration)} trains this update on the survivors, then starts a replacement worker with
 *       the same index through the launcher, which continues the failed worker's env copies from their state after
 *       the last update it completed (or, for envs that cannot be snapshotted, from new episodes).</li>
 * </ul>
 * Below {@code minWorkers} the run stops with a {@link dev.proxima.core.train.RolloutException} saying why, after
 * saving a checkpoint of its last completed update.
 */
public final class FailurePolicy {
    /** The three behaviours. */
    public enum Kind { FAIL, IGNORE, RESTART }

    private final Kind kind;
    private final int minWorkers;
    private final int maxRestarts;
    private final Duration delay;

    private FailurePolicy(Kind kind, int minWorkers, int maxRestarts, Duration delay) {
        this.kind = kind;
        this.minWorkers = minWorkers;
        this.maxRestarts = maxRestarts;
        this.delay = delay;
    }

    /** Any failed worker stops the run (with a checkpoint). */
    public static FailurePolicy fail() {
        return new FailurePolicy(Kind.FAIL, 0, 0, Duration.ZERO);
    }

    /** Trains on the survivors while at least {@code minWorkers} (&ge; 1) are left. */
    public static FailurePolicy ignore(int minWorkers) {
        if (minWorkers < 1) {
            throw new IllegalArgumentException("ignore(minWorkers = " + minWorkers + "): at least 1 worker must"
                    + " survive to train on");
        }
        return new FailurePolicy(Kind.IGNORE, minWorkers, 0, Duration.ZERO);
    }

    /**
     * Replaces a failed worker after {@code delay}, at most {@code maxRestarts} times over the run; training goes on
     * while at least one worker is alive ({@link #minWorkers(int)} to ask for more).
     */
    public static FailurePolicy restart(int maxRestarts, Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (maxRestarts < 0) {
            throw new IllegalArgumentException("restart(maxRestarts = " + maxRestarts + "): must be >= 0");
        }
        if (delay.isNegative()) {
            throw new IllegalArgumentException("restart(delay = " + delay + "): must be >= 0");
        }
        return new FailurePolicy(Kind.RESTART, 1, maxRestarts, delay);
    }

    /** {@link #restart(int, Duration)} after one second. */
    public static FailurePolicy restart(int maxRestarts) {
        return restart(maxRestarts, Duration.ofSeconds(1));
    }

    /** This restart policy with at least {@code minWorkers} workers needed to go on training. */
    public FailurePolicy minWorkers(int minWorkers) {
        if (kind != Kind.RESTART) {
            throw new IllegalStateException("minWorkers(...) refines restart(...); use ignore(minWorkers) instead");
        }
        if (minWorkers < 1) {
            throw new IllegalArgumentException("minWorkers = " + minWorkers + " must be at least 1");
        }
        return new FailurePolicy(kind, minWorkers, maxRestarts, delay);
    }

    public Kind kind() { return kind; }

    /** The fewest workers the run trains with; for {@link #fail()} every worker ({@code workers}). */
    public int requiredWorkers(int workers) {
        return kind == Kind.FAIL ? workers : Math.min(minWorkers, workers);
    }

    public int maxRestarts() { return maxRestarts; }

    public Duration delay() { return delay; }

    @Override
    public String toString() {
        return switch (kind) {
            case FAIL -> "fail()";
            case IGNORE -> "ignore(minWorkers = " + minWorkers + ")";
            case RESTART -> "restart(maxRestarts = " + maxRestarts + ", delay = " + delay.toMillis() + " ms, minWorkers = "
                    + minWorkers + ")";
        };
    }
}
