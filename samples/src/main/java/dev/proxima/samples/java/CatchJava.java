package dev.proxima.samples.java;

import dev.proxima.core.ppo.EvalResult;
import dev.proxima.core.ppo.PpoConfig;
import dev.proxima.core.train.PpoLoop;
import dev.proxima.core.train.TrainingResult;
import java.util.Locale;

/**
 * A custom env written in Java ({@link Catch}) and found by id through {@link java.util.ServiceLoader}
 * ({@link CatchProvider}), trained with core's blocking {@link PpoLoop} alone: Java users need neither Kotlin nor the
 * DSL module for this.
 *
 * <p>Run: {@code ./mvnw -q -B -pl samples -am package -DskipTests -Dsample=java.CatchJava} (add {@code -Dsteps=N} for
 * another budget; the default is 20 000 steps).
 */
public final class CatchJava {
    private CatchJava() {}

    /**
     * The configuration: CleanRL's defaults with shorter rollouts (an episode lasts 6 steps), a higher learning rate
     * and more epochs, which catch every ball after 10 000 to 20 000 steps.
     */
    public static PpoConfig config(long seed) {
        return PpoConfig.builder().env(Catch.ID).seed(seed).rollout(8, 32).learningRate(1e-3).updateEpochs(10).build();
    }

    public static TrainingResult train(long steps, long seed, boolean quiet) {
        return PpoLoop.train(config(seed), steps, stats -> {
            if (!quiet && stats.update() % 10 == 0) {
                System.out.printf(Locale.ROOT, "update %3d  step %6d  episodic return %5.2f%n", stats.update(),
                        stats.globalStep(), stats.episodicReturn());
            }
        });
    }

    public static void main(String[] args) {
        long steps = args.length >= 2 && args[0].equals("--steps") ? Long.parseLong(args[1])
                : Long.getLong("steps", 20_000L);
        TrainingResult result = train(steps, 1, false);
        EvalResult eval = result.agent().evaluate(100, true, 7);
        System.out.printf(Locale.ROOT, "Catch-v0 after %d steps: %.2f per episode over 100 (1.0 catches every ball)%n",
                result.steps(), eval.meanReturn());
    }
}
