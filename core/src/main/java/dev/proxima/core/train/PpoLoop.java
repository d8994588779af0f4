package dev.proxima.core.train;

import dev.proxima.core.ppo.PpoConfig;

/**
 * The shortest way to train from Java: PPO as in {@code cleanrl/ppo.py}, one update after another, blocking. It is
 * {@link Trainer} with one listener; use the trainer for parallel sampling, evaluation, early stop, checkpoints,
 * asynchronous training and resuming.
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
        return Trainer.builder(config).onUpdate(listener).build().train(totalSteps);
    }

    /** {@link #train(PpoConfig, long, UpdateListener)} without a listener. */
    public static TrainingResult train(PpoConfig config, long totalSteps) {
        return Trainer.of(config).train(totalSteps);
    }
}
