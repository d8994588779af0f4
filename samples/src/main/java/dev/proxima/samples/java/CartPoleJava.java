package dev.proxima.samples.java;

import dev.proxima.core.ppo.EvalResult;
import dev.proxima.core.ppo.PpoConfig;
import dev.proxima.core.train.EarlyStop;
import dev.proxima.core.train.Evaluate;
import dev.proxima.core.train.Trainer;
import dev.proxima.core.train.TrainingResult;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * CartPole through the Java API: {@link PpoConfig#builder()} for the hyperparameters, {@link Trainer#builder} for
 * evaluation and early stop, and {@link Trainer#trainAsync} for a {@link CompletableFuture}. Only core and envs are
 * needed: listeners are lambdas of SAM interfaces. {@link JavaTrainerTour} shows every feature of the trainer.
 *
 * <p>Run: {@code ./mvnw -q -B -pl samples -am package -DskipTests -Dsample=java.CartPoleJava} (add {@code -Dsteps=N}
 * for another budget). The hyperparameters are those of the Kotlin sample ({@code CartPole.kt}, rl-baselines3-zoo's
 * tuned CartPole-v1), and with the same seed both print the same numbers.
 */
public final class CartPoleJava {
    private CartPoleJava() {}

    /** The same trainer as the Kotlin sample's {@code cartPoleTrainer}. */
    public static Trainer trainer(long steps, long seed, boolean quiet) {
        PpoConfig config = PpoConfig.builder()
                .env("CartPole-v1")        // found through ServiceLoader (envs' ClassicControlProvider)
                .seed(seed)
                .rollout(8, 32)
                .gae(0.98, 0.8)
                .updateEpochs(20)
                .numMinibatches(1)
                .learningRate(1e-3)
                .annealLr(true)
                .entCoef(0.0)
                .clipVloss(false)
                .build();                  // throws PpoConfigException listing every problem
        return Trainer.builder(config)
                .totalSteps(steps)
                .callback(Evaluate.every(10).episodes(10).listener(eval -> {
                    if (!quiet) {
                        System.out.printf(Locale.ROOT, "update %4d  step %7d  eval return %6.1f ± %5.1f%n",
                                eval.update(), eval.globalStep(), eval.meanReturn(), eval.result().stdReturn());
                    }
                }))
                .callback(EarlyStop.onEvaluation()) // at CartPole-v1's reward threshold (475)
                .build();
    }

    /** Trains asynchronously and waits; returns the result for the tests. */
    public static TrainingResult train(long steps, long seed, boolean quiet) {
        CompletableFuture<TrainingResult> future = trainer(steps, seed, quiet).trainAsync();
        // The future could be combined, given a timeout, or cancelled (training then stops after the current update).
        return future.join();
    }

    public static void main(String[] args) {
        long steps = args.length >= 2 && args[0].equals("--steps") ? Long.parseLong(args[1])
                : Long.getLong("steps", 100_000L);
        TrainingResult result = train(steps, 1, false);
        EvalResult eval = result.agent().evaluate(20, true, 1000);
        System.out.printf(Locale.ROOT, "trained %d steps in %.1f s; final agent over 20 episodes: %.1f ± %.1f%n",
                result.steps(), result.seconds(), eval.meanReturn(), eval.stdReturn());
    }
}
