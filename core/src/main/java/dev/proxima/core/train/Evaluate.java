package dev.proxima.core.train;

import dev.proxima.core.ppo.Agent;
import dev.proxima.core.ppo.EvalResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Evaluates the agent every N updates and after the last one (Stable-Baselines3's {@code EvalCallback}): a number of
 * episodes on a fresh env copy with the spec's time limit, deterministic by default (the distribution's mode), every
 * evaluation from the same seed so that they are comparable across updates. Optionally saves the best agent so far
 * ({@link #saveBest}), passes each result to a listener, and makes it visible to the callbacks after it (an
 * {@link EarlyStop} on evaluations).
 *
 * <pre>{@code
 * Evaluate.every(10).episodes(10).saveBest(dir.resolve("best.safetensors")).listener(e -> log(e.meanReturn()))
 * }</pre>
 *
 * <p>The seed defaults to the run's seed + {@link #SEED_OFFSET}, so evaluation episodes never replay training
 * episodes; the best agent's file records it ({@code eval_seed}), and {@code proxima eval} uses it by default. The best
 * mean so far is part of training checkpoints, so a resumed run does not overwrite a better agent.
 */
public final class Evaluate implements Callback {
    /** Added to the run's seed for the default evaluation seed. */
    public static final long SEED_OFFSET = 1_000_000L;
    /** Metadata key under which a saved best agent records its evaluation seed. */
    public static final String EVAL_SEED = "eval_seed";

    private final int every;
    private final int episodes;
    private final boolean deterministic;
    private final Long seed;
    private final Path saveBest;
    private final EvalListener listener;
    private final String key;
    private double best = Double.NEGATIVE_INFINITY;
    private int bestUpdate;

    private Evaluate(int every, int episodes, boolean deterministic, Long seed, Path saveBest, EvalListener listener,
            String key) {
        this.every = every;
        this.episodes = episodes;
        this.deterministic = deterministic;
        this.seed = seed;
        this.saveBest = saveBest;
        this.listener = listener;
        this.key = key;
    }

    /** Evaluates every {@code updates} updates (and after the last), 10 deterministic episodes. */
    public static Evaluate every(int updates) {
        if (updates < 1) {
            throw new IllegalArgumentException("Evaluate.every(" + updates + "): evaluate every 1 or more updates.");
        }
        return new Evaluate(updates, 10, true, null, null, EvalListener.NONE, "evaluate");
    }

    /** Episodes per evaluation (default 10). */
    public Evaluate episodes(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("Evaluate.episodes(" + n + "): evaluate on 1 or more episodes.");
        }
        return new Evaluate(every, n, deterministic, seed, saveBest, listener, key);
    }

    /** Act by the distribution's mode (default) or sample. */
    public Evaluate deterministic(boolean on) {
        return new Evaluate(every, episodes, on, seed, saveBest, listener, key);
    }

    /** The seed every evaluation starts from (default: the run's seed + {@link #SEED_OFFSET}). */
    public Evaluate seed(long seed) {
        return new Evaluate(every, episodes, deterministic, seed, saveBest, listener, key);
    }

    /** Saves the agent (atomically) whenever an evaluation beats every earlier one of the run. */
    public Evaluate saveBest(Path file) {
        return new Evaluate(every, episodes, deterministic, seed, Objects.requireNonNull(file, "file"), listener,
                key);
    }

    /** Receives every evaluation. */
    public Evaluate listener(EvalListener listener) {
        return new Evaluate(every, episodes, deterministic, seed, saveBest, Objects.requireNonNull(listener), key);
    }

    /** The key of this callback's state in checkpoints (default {@code evaluate}; give each Evaluate its own). */
    public Evaluate key(String key) {
        return new Evaluate(every, episodes, deterministic, seed, saveBest, listener, Objects.requireNonNull(key));
    }

    public int every() { return every; }
    public int episodes() { return episodes; }
    public boolean isDeterministic() { return deterministic; }

    /** The evaluation seed for a run with seed {@code runSeed}. */
    public long seedFor(long runSeed) {
        return seed != null ? seed : runSeed + SEED_OFFSET;
    }

    /** The best mean return so far in this run (−∞ before the first evaluation). */
    public double best() {
        return best;
    }

    @Override
    public void onUpdate(UpdateEvent event) {
        if (event.update() % every != 0 && !event.isLast()) {
            return;
        }
        Agent agent = event.agent();
        long s = seedFor(event.config().seed());
        EvalResult result = agent.evaluate(episodes, deterministic, s);
        boolean improved = result.meanReturn() > best;
        if (improved) {
            best = result.meanReturn();
            bestUpdate = event.update();
            if (saveBest != null) {
                try {
                    agent.save(saveBest, Map.of(EVAL_SEED, Long.toString(s), "eval_update",
                            Integer.toString(event.update()), "eval_mean", Double.toString(best)));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot save the best agent to " + saveBest + ": "
                            + e.getMessage(), e);
                }
            }
        }
        Evaluation evaluation = new Evaluation(event.update(), event.globalStep(), result, improved);
        event.publish(evaluation);
        listener.onEvaluation(evaluation);
    }

    @Override
    public String stateKey() {
        return key;
    }

    @Override
    public Map<String, Double> state() {
        return Map.of("best", best, "best_update", (double) bestUpdate);
    }

    @Override
    public void restoreState(Map<String, Double> state) {
        Double b = state.get("best");
        Double u = state.get("best_update");
        if (b != null) {
            best = b;
        }
        if (u != null) {
            bestUpdate = u.intValue();
        }
    }

    @Override
    public Callback copy() {
        return new Evaluate(every, episodes, deterministic, seed, saveBest, listener, key);
    }

    @Override
    public String toString() {
        return "Evaluate(every=" + every + ", episodes=" + episodes + ", deterministic=" + deterministic
                + (seed != null ? ", seed=" + seed : "") + (saveBest != null ? ", saveBest=" + saveBest : "") + ")";
    }
}
