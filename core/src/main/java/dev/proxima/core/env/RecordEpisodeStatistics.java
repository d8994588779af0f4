package dev.proxima.core.env;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tracks the return and length of each episode, as Gymnasium 1.x's {@code RecordEpisodeStatistics}
 * ({@code gymnasium/wrappers/common.py}): on the step that ends an episode (terminated or truncated) the info map gets
 * {@code "episode"} &rarr; {@link EpisodeStats}{@code (r, l, t)}, the return, the length and the wall-clock seconds
 * since the reset (rounded to microseconds, as Gymnasium does). The last {@code bufferLength} episodes are kept for
 * {@link #recentEpisodes()}.
 *
 * <p>Wrap it outside any reward-changing wrapper to record the env's own rewards. The vector env keeps its own,
 * allocation-free statistics ({@link SyncVectorEnv#drainEpisodes}); this wrapper allocates one info map per finished
 * episode.
 */
public final class RecordEpisodeStatistics<O, A> extends Wrapper<O, A> {
    /** The info key, Gymnasium's default {@code stats_key}. */
    public static final String KEY = "episode";

    /**
     * What the info map holds under {@link #KEY}, named as Gymnasium's dict.
     *
     * @param r the episode's return (sum of its rewards)
     * @param l the episode's length in steps
     * @param t seconds from the reset to the last step, rounded to 6 decimals
     */
    public record EpisodeStats(double r, int l, double t) {}

    private final int bufferLength;
    private final ArrayDeque<EpisodeStats> recent;
    private double episodeReturn;
    private int episodeLength;
    private long episodeStartNanos = System.nanoTime();
    private long episodeCount;

    /** Keeps the last 100 episodes (Gymnasium's {@code buffer_length}). */
    public RecordEpisodeStatistics(Env<O, A> env) {
        this(env, 100);
    }

    public RecordEpisodeStatistics(Env<O, A> env, int bufferLength) {
        super(env);
        if (bufferLength < 1) {
            throw new IllegalArgumentException("RecordEpisodeStatistics: bufferLength = " + bufferLength
                    + " must be at least 1");
        }
        this.bufferLength = bufferLength;
        this.recent = new ArrayDeque<>(bufferLength);
    }

    @Override
    public Reset<O> reset(long seed) {
        Reset<O> r = env.reset(seed);
        startEpisode();
        return r;
    }

    @Override
    public Reset<O> reset() {
        Reset<O> r = env.reset();
        startEpisode();
        return r;
    }

    private void startEpisode() {
        episodeReturn = 0.0;
        episodeLength = 0;
        episodeStartNanos = System.nanoTime();
    }

    @Override
    public Step<O> step(A action) {
        Step<O> s = env.step(action);
        episodeReturn += s.reward();
        episodeLength++;
        if (!s.done()) {
            return s;
        }
        if (s.info().containsKey(KEY)) {
            throw new EnvContractException(name() + ": the info of step " + episodeLength + " already has the key \""
                    + KEY + "\"; RecordEpisodeStatistics would overwrite it. Is the env wrapped twice?");
        }
        double seconds = Math.round((System.nanoTime() - episodeStartNanos) / 1e3) / 1e6;
        EpisodeStats stats = new EpisodeStats(episodeReturn, episodeLength, seconds);
        if (recent.size() == bufferLength) {
            recent.removeFirst();
        }
        recent.addLast(stats);
        episodeCount++;
        Map<String, Object> info = new LinkedHashMap<>(s.info()); // env infos may be immutable (Map.of())
        info.put(KEY, stats);
        return new Step<>(s.observation(), s.reward(), s.terminated(), s.truncated(), info);
    }

    /** Episodes finished since construction. */
    public long episodeCount() {
        return episodeCount;
    }

    /** Return of the episode in progress so far. */
    public double episodeReturn() {
        return episodeReturn;
    }

    /** Steps of the episode in progress so far. */
    public int episodeLength() {
        return episodeLength;
    }

    /** The last finished episodes, oldest first (at most {@code bufferLength}). */
    public List<EpisodeStats> recentEpisodes() {
        return List.copyOf(recent);
    }
}
