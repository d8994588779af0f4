package dev.proxima.bench;

import dev.proxima.core.plugin.Registry;
import dev.proxima.core.env.EnvSpec;
import dev.proxima.core.ppo.Agent;
import dev.proxima.core.ppo.EvalResult;
import dev.proxima.core.ppo.PpoConfig;
import dev.proxima.core.ppo.Preset;
import dev.proxima.core.ppo.UpdateStats;
import dev.proxima.core.train.Trainer;
import dev.proxima.core.train.TrainingRun;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/** Training runs with a learning curve and a final evaluation; shared by {@code quality} and {@code tune}. */
final class Runs {
    private Runs() {}

    /**
     * How a run is evaluated.
     *
     * @param episodes      episodes of the final evaluation (the table uses 100)
     * @param curveEpisodes episodes at each point of the learning curve
     * @param curvePoints   points of the learning curve (evenly spaced in env steps, the last at the budget)
     * @param deterministic act with the distribution's mode (SB3 zoo's default) instead of sampling
     * @param seedBase      the final evaluation's env seed is {@code seedBase + training seed}; curve point {@code k}'s
     *                      is {@code seedBase + 1_000_000 + 1_000 · training seed + k}
     */
    record Eval(int episodes, int curveEpisodes, int curvePoints, boolean deterministic, long seedBase) {}

    /**
     * One finished run.
     *
     * @param curveSteps env steps at each curve point
     * @param curve      mean deterministic-or-sampled evaluation return at each point ({@code Eval.curveEpisodes})
     * @param other       the final evaluation in the other mode (sampled when {@code eval} is deterministic), same
     *                    episodes and env seed
     * @param trainReturn mean training episodic return of the last updates (CleanRL's {@code charts/episodic_return})
     */
    record Result(String env, long seed, long steps, double trainSeconds, EvalResult eval, EvalResult other,
            long[] curveSteps, double[] curve, double trainReturn) {
        double mean() {
            return eval.meanReturn();
        }
    }

    static PpoConfig config(String envId, long seed, Preset preset, List<String> overrides) {
        EnvSpec<?, ?> spec = Registry.global().spec(envId);
        PpoConfig.Builder b = PpoConfig.builder().env(spec).seed(seed).preset(preset);
        Overrides.apply(b, overrides);
        return b.build();
    }

    /** Trains {@code config} for {@code steps} env steps; evaluation time is not counted in {@code trainSeconds}. */
    static Result run(PpoConfig config, long steps, Eval eval) {
        int points = Math.max(1, eval.curvePoints());
        long[] curveSteps = new long[points];
        double[] curve = new double[points];
        long seed = config.seed();
        double trainNanos = 0;
        List<Double> recentReturns = new ArrayList<>();
        try (TrainingRun run = Trainer.of(config).start(steps)) {
            int next = 0;
            long total = (long) run.numUpdates() * config.batchSize();
            while (!run.isFinished()) {
                long t0 = System.nanoTime();
                UpdateStats u = run.trainUpdates(1).get(0);
                trainNanos += System.nanoTime() - t0;
                if (!Double.isNaN(u.episodicReturn())) {
                    recentReturns.add(u.episodicReturn());
                    if (recentReturns.size() > 10) {
                        recentReturns.remove(0);
                    }
                }
                // Curve point k sits at (k+1)/points of the budget; evaluate at the first update that reaches it.
                while (next < points && (run.isFinished() || u.globalStep() >= total * (next + 1) / points)) {
                    curveSteps[next] = u.globalStep();
                    Agent a = run.agent();
                    curve[next] = a.evaluate(eval.curveEpisodes(), eval.deterministic(),
                            eval.seedBase() + 1_000_000 + seed * 1_000 + next).meanReturn();
                    next++;
                }
            }
            Agent a = run.agent();
            EvalResult fin = a.evaluate(eval.episodes(), eval.deterministic(), eval.seedBase() + seed);
            EvalResult other = a.evaluate(eval.episodes(), !eval.deterministic(), eval.seedBase() + seed);
            double train = recentReturns.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            return new Result(config.env().id(), seed, run.globalStep(), trainNanos / 1e9, fin, other, curveSteps,
                    curve, train);
        }
    }

    /** Runs {@code task} for every seed on {@code jobs} threads, results in seed order. */
    static <T> List<T> forSeeds(long[] seeds, int jobs, Function<Long, T> task) {
        if (jobs <= 1 || seeds.length == 1) {
            List<T> out = new ArrayList<>();
            for (long s : seeds) {
                out.add(task.apply(s));
            }
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(jobs, seeds.length), r -> {
            Thread t = new Thread(r, "bench-run");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<T>> fs = new ArrayList<>();
            for (long s : seeds) {
                fs.add(pool.submit(() -> task.apply(s)));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : fs) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
