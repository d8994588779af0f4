package dev.proxima.bench;

import dev.proxima.core.ppo.PpoConfig;
import dev.proxima.core.ppo.Preset;
import java.util.List;
import java.util.Locale;

/**
 * {@code tune}: trains one env on tuning seeds (default 101-103 of the tuning set 101-140; never a reported set, see
 * {@link #reportedSet}) with a preset plus {@code --set} overrides and prints each seed's evaluation, so a preset
 * change can be tried before it is made. Its evaluation env seeds ({@code 30_000 + seed}) are disjoint from the table's ({@code 10_000 + seed}).
 */
final class Tune {
    static final String USAGE = """
            tune --env ID [--steps N] [--seeds 101-103] [--preset tuned|cleanrl] [--set name=value]...
                 [--episodes 20] [--points 10] [--sampled] [--jobs 1]""";

    private Tune() {}

    /**
     * The seed sets whose runs BENCHMARKS.md reports (issue 16: never tune on them), or null: the table's 1-5, the
     * first fresh check 2001-2020 and the fresh report 3001-3020.
     */
    static String reportedSet(long seed) {
        if (seed >= 1 && seed <= 5) {
            return "the table's training seeds (1-5)";
        }
        if (seed >= 2001 && seed <= 2020) {
            return "the first fresh-seed check (2001-2020)";
        }
        if (seed >= 3001 && seed <= 3020) {
            return "the fresh-seed report (3001-3020)";
        }
        return null;
    }

    static void run(Options o) {
        String env = o.string("env", null);
        if (env == null) {
            throw new BenchException("tune: --env is required.\n" + USAGE);
        }
        long steps = o.longValue("steps", Quality.budget(env));
        long[] seeds = o.seeds("seeds", "101-103");
        Preset preset = Bench.preset(o.string("preset", "tuned"));
        List<String> sets = o.all("set");
        int episodes = o.intValue("episodes", 20);
        int points = o.intValue("points", 10);
        boolean sampled = o.flag("sampled");
        int jobs = o.intValue("jobs", 1);
        o.checkAllRead(USAGE);
        for (long s : seeds) {
            String reported = reportedSet(s);
            if (reported != null) {
                System.err.println("warning: seed " + s + " is one of " + reported + "; tuning on it would tune on"
                        + " reported runs. Tune on 101-140 (BENCHMARKS.md, \"Seeds nobody tuned on\").");
            }
        }
        PpoConfig shown = Runs.config(env, seeds[0], preset, sets);
        System.out.println(shown);
        Runs.Eval eval = new Runs.Eval(episodes, Math.max(1, episodes / 2), points, !sampled, 30_000);
        List<Runs.Result> rs = Runs.forSeeds(seeds, jobs, seed -> {
            Runs.Result r = Runs.run(Runs.config(env, seed, preset, sets), steps, eval);
            StringBuilder c = new StringBuilder();
            for (int i = 0; i < r.curve().length; i++) {
                c.append(String.format(Locale.ROOT, " %.0f", r.curve()[i]));
            }
            System.out.printf(Locale.ROOT,
                    "seed %d: eval %.1f ± %.1f  other %.1f  train %.1f  (%.1f s, %.0f steps/s)  curve%s%n",
                    seed, r.mean(), r.eval().stdReturn(), r.other().meanReturn(), r.trainReturn(), r.trainSeconds(),
                    r.steps() / r.trainSeconds(), c);
            return r;
        });
        double mean = rs.stream().mapToDouble(Runs.Result::mean).average().orElse(Double.NaN);
        double min = rs.stream().mapToDouble(Runs.Result::mean).min().orElse(Double.NaN);
        System.out.printf(Locale.ROOT, "%s %s: mean over seeds %.1f, worst seed %.1f%n", env, String.join(" ", sets),
                mean, min);
    }
}
