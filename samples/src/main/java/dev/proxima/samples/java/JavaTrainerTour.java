package dev.proxima.samples.java;

import dev.proxima.core.ppo.Agent;
import dev.proxima.core.ppo.EvalResult;
import dev.proxima.core.ppo.PpoConfig;
import dev.proxima.core.ppo.Preset;
import dev.proxima.core.train.Checkpoint;
import dev.proxima.core.train.EarlyStop;
import dev.proxima.core.train.Evaluate;
import dev.proxima.core.train.Trainer;
import dev.proxima.core.train.TrainingResult;
import dev.proxima.core.train.TrainingRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Every feature of the trainer from plain Java, with only {@code proxima-core} and {@code proxima-envs} on the class
 * path (the tests run it so): two parallel sampling workers on an {@link ExecutorService}, evaluation with best-model
 * saving, early stop at the env's reward threshold, a checkpoint every 5 updates, {@code trainAsync} cancelled half
 * way, a checkpoint of the paused run, and resuming it to the end, as a new process would.
 *
 * <p>Run: {@code ./mvnw -q -B -pl samples -am package -DskipTests -Dsample=java.JavaTrainerTour} (optionally
 * {@code -Dsteps=N}); the run directory is printed.
 */
public final class JavaTrainerTour {
    private JavaTrainerTour() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        Path dir = args.length >= 1 ? Path.of(args[0]) : Files.createTempDirectory("proxima-tour");
        long steps = args.length >= 2 ? Long.parseLong(args[1]) : Long.getLong("steps", 100_000L);
        PpoConfig config = PpoConfig.builder()
                .env("CartPole-v1")                 // through ServiceLoader: the envs jar's provider
                .preset(Preset.TUNED)               // rl-zoo3's values for CartPole
                .seed(1)
                .build();

        CountDownLatch eightUpdates = new CountDownLatch(8);
        ExecutorService pool = Executors.newFixedThreadPool(1); // worker 0 runs on the training thread
        Trainer trainer = Trainer.builder(config)
                .workers(2).executor(pool)          // same results for any number of workers
                .callback(Evaluate.every(10).episodes(10).saveBest(dir.resolve("best.safetensors"))
                        .listener(e -> System.out.printf(Locale.ROOT, "update %3d  evaluation %6.1f%s%n", e.update(),
                                e.meanReturn(), e.best() ? "  (best so far, saved)" : "")))
                .callback(EarlyStop.onEvaluation()) // at CartPole-v1's reward threshold, 475
                .callback(Checkpoint.every(5).to(dir.resolve("checkpoints")).keepLast(3))
                .onUpdate(stats -> eightUpdates.countDown())
                .build();

        // 1. Train asynchronously; cancel after 8 updates: training stops between updates, the agent stays usable.
        Path paused = dir.resolve("paused.safetensors");
        try (TrainingRun run = trainer.start(steps)) {
            CompletableFuture<TrainingResult> future = run.trainAsync();
            eightUpdates.await();
            future.cancel(true);
            TrainingResult partial = run.whenStopped().join();
            System.out.printf(Locale.ROOT, "cancelled after %d updates; the agent scores %.1f%n",
                    partial.updates().size(), run.agent().evaluate(5, true, 7).meanReturn());
            run.save(paused);                   // a full training checkpoint of the paused run
        }

        // 2. Resume the run from its checkpoint (a new process could do this too) and train to its end.
        TrainingResult result;
        try (TrainingRun resumed = trainer.resume(paused)) {
            result = resumed.train();
        }
        System.out.printf(Locale.ROOT, "resumed and trained %d more updates, to %,d steps%s%n",
                result.updates().size(), result.steps(), result.stoppedEarly() ? " (" + result.earlyStop() + ")" : "");

        // 3. The best agent, as saved by the evaluation callback, evaluated on its own seed.
        Agent best = Agent.load(dir.resolve("best.safetensors"));
        long evalSeed = Long.parseLong(best.metadata().get(Evaluate.EVAL_SEED));
        EvalResult eval = best.evaluate(20, true, evalSeed);
        System.out.printf(Locale.ROOT, "best agent: %.1f over 20 episodes; run directory %s%n", eval.meanReturn(),
                dir);
        pool.shutdown();
    }
}
