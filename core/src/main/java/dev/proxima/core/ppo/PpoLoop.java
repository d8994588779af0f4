package dev.proxima.core.ppo;

import java.util.ArrayList;
import java.util.List;

/**
 * The blocking Java entry point: PPO as in {@code cleanrl/ppo.py}, one update after another, each running the five
 * stages of {@link Stages} in order. Kotlin users get the same engine as a coroutine pipeline in the {@code dsl} module.
 *
 * <pre>{@code
 * PpoConfig config = PpoConfig.builder().env("CartPole-v1").seed(1).build();
 * TrainingResult result = PpoLoop.train(config, 100_000, stats ->
 *         System.out.printf("update %d  return %.1f%n", stats.update(), stats.episodicReturn()));
 * EvalResult eval = result.agent().evaluate(10, true, 42);
 * }</pre>
 */
public final class PpoLoop {
    private PpoLoop() {}

    /** Trains for {@code totalSteps} env steps ({@code totalSteps / batchSize} updates) and returns the agent. */
    public static TrainingResult train(PpoConfig config, long totalSteps, UpdateListener listener) {
        try (Stages s = new Stages(config, totalSteps, 1)) {
            return run(s, listener);
        }
    }

    public static TrainingResult train(PpoConfig config, long totalSteps) {
        return train(config, totalSteps, UpdateListener.none());
    }

    /** Runs the remaining updates of prepared (possibly restored) stages. */
    public static TrainingResult run(Stages s, UpdateListener listener) {
        long start = System.nanoTime();
        List<UpdateStats> history = new ArrayList<>();
        while (!s.finished()) {
            if (Thread.currentThread().isInterrupted()) {
                break; // stop between updates: the agent stays consistent
            }
            s.sample();          // 1. rollout with θ_old
            s.advantage();       // 2. GAE(γ, λ)
            UpdateStats stats = s.optimise(); // 3-4. clipped objective, updateEpochs × numMinibatches steps
            s.syncOldPolicy();   // 5. θ_old ← θ
            history.add(stats);
            listener.onUpdate(stats);
        }
        return new TrainingResult(s.agent(), history, (System.nanoTime() - start) / 1e9);
    }
}
