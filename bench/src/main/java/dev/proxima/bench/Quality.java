package dev.proxima.bench;

import dev.proxima.core.ppo.EvalResult;
import dev.proxima.core.ppo.PpoConfig;
import dev.proxima.core.ppo.Preset;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code quality}: the learning-quality table. Each env trains with {@link Preset#TUNED} on training seeds 1-5 for its
 * step budget; each run is then evaluated over 100 episodes on env seed {@code 10_000 + training seed} (no seed used
 * while tuning the presets, which used training seeds 101-140 and evaluation seeds {@code 30_000 + seed}).
 *
 * <p>Evaluation is deterministic (the categorical argmax, the Gaussian mean), as rl-baselines3-zoo evaluates these
 * envs; the sampled-policy return is reported beside it. The learning curve evaluates the current policy every
 * {@code budget / points} steps over a few episodes on yet other seeds; its evaluation time is not training time.
 *
 * <p>Outputs in {@code --out}: {@code runs.csv} (one row per run, appended as runs finish, read back by
 * {@code --resume}), {@code quality.md} (the table, ready for {@code BENCHMARKS.md}) and one PNG per env.
 */
final class Quality {
    static final String USAGE = """
            quality [--envs all|box2d|ID,ID...] [--seeds 1-5] [--steps N (default: each env's budget)] [--episodes 100]
                    [--points 20] [--curve-episodes 10] [--out docs/bench] [--jobs 1] [--resume]""";

    /** An env of the table: its step budget, target, how the target is checked, and the published anchors. */
    record Row(String env, long budget, double target, boolean everySeed, String anchors) {}

    static final List<Row> ROWS = List.of(
            new Row("CartPole-v1", 100_000, 475, true,
                    "SB3 zoo 500.0 ± 0.0 @100k [1]; CleanRL ppo.py 490.0 ± 6.1 @500k [2]"),
            new Row("Acrobot-v1", 500_000, -85, true,
                    "CleanRL ppo.py -86.4 ± 1.3 @500k [2]; SB3 zoo -73.5 ± 18.2 @1M [1]"),
            new Row("MountainCar-v0", 1_000_000, -110, true,
                    "SB3 zoo -110.4 ± 19.5 @1M [1]; CleanRL ppo.py -200.0 ± 0.0 @500k (does not learn) [2]"),
            new Row("Pendulum-v1", 200_000, -200, true,
                    "SB3 zoo -172.2 ± 104.2 @100k, with gSDE [1]; RLlib tuned example passes at -300 @400k [3]"),
            new Row("MountainCarContinuous-v0", 100_000, 90, true,
                    "SB3 zoo 88.3 ± 2.6 @20k, with gSDE [1]; Gymnasium's reward threshold 90"));

    /** Box2D rows (module envs-box2d, issue 11): {@code --envs box2d} or by id; not part of {@code all}. */
    static final List<Row> BOX2D_ROWS = List.of(
            new Row("LunarLander-v3", 1_000_000, 250, false, "SB3 zoo PPO 242.1 ± 31.8 @1M [1]"),
            new Row("LunarLanderContinuous-v3", 1_000_000, 275, false, "SB3 zoo PPO 270.9 ± 32.1 @1M [1]"),
            new Row("BipedalWalker-v3", 5_000_000, 290, false, "SB3 zoo PPO 287.9 ± 2.4 @5M [1]"));

    /** The sources of the anchors, and what their ± means (it differs between them). */
    static final String SOURCES = String.join("\n",
            "[1] rl-baselines3-zoo `benchmark.md`"
                    + " (https://github.com/DLR-RM/rl-baselines3-zoo/blob/master/benchmark.md): one trained agent per"
                    + " env, deterministic policy; ± is the std over its evaluation episodes.",
            "[2] CleanRL docs, ppo.py (https://docs.cleanrl.dev/rl-algorithms/ppo/#ppopy): mean training episodic"
                    + " return (sampled policy) of 3 seeds; ± over the seeds.",
            "[3] RLlib `tuned_examples/ppo/pendulum_ppo.py` (https://github.com/ray-project/ray): the example's"
                    + " default pass criterion, return -300 within 400k steps.",
            "");

    /** What the Proxima column means, naming the seeds of this table (1-5, or a fresh set such as 3001-3020). */
    static String proximaNote(long[] seeds, int episodes) {
        return "Proxima: mean over training seeds " + Options.seedList(seeds) + " of each run's mean return over "
                + episodes + " deterministic episodes; ± is the std over the seeds, the worst seed in parentheses;"
                + " \"seeds\" counts the seeds whose run meets the target. The step count is a whole number of updates"
                + " (rollouts) within the budget.\n";
    }

    static final Map<String, Long> BUDGETS;

    static {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Row r : ROWS) {
            m.put(r.env(), r.budget());
        }
        for (Row r : BOX2D_ROWS) {
            m.put(r.env(), r.budget());
        }
        BUDGETS = m;
    }

    static final String HEADER = "env,seed,steps,train_seconds,eval_mean,eval_std,sampled_mean,sampled_std,"
            + "train_return,curve_steps,curve_returns";

    private Quality() {}

    static long budget(String env) {
        Long b = BUDGETS.get(env);
        if (b == null) {
            throw new BenchException("no step budget for env " + env + " (known: " + String.join(", ", BUDGETS.keySet())
                    + "); give --steps.");
        }
        return b;
    }

    static Row row(String env) {
        return java.util.stream.Stream.concat(ROWS.stream(), BOX2D_ROWS.stream())
                .filter(r -> r.env().equals(env)).findFirst()
                .orElseThrow(() -> new BenchException("--envs " + env + ": not in the quality table; use "
                        + String.join(", ", BUDGETS.keySet()) + "."));
    }

    /** One run as stored in {@code runs.csv}. */
    record RunRow(String env, long seed, long steps, double trainSeconds, double evalMean, double evalStd,
            double sampledMean, double sampledStd, double trainReturn, long[] curveSteps, double[] curve) {

        String csv() {
            return String.join(",", env, Long.toString(seed), Long.toString(steps), num(trainSeconds), num(evalMean),
                    num(evalStd), num(sampledMean), num(sampledStd), num(trainReturn), join(curveSteps),
                    join(curve));
        }

        static RunRow parse(String line) {
            String[] f = line.split(",", -1);
            if (f.length != 11) {
                throw new IllegalArgumentException("runs.csv row has " + f.length + " fields, not 11: " + line);
            }
            long[] cs = f[9].isEmpty() ? new long[0] : Arrays.stream(f[9].split(";")).mapToLong(Long::parseLong)
                    .toArray();
            double[] cr = f[10].isEmpty() ? new double[0] : Arrays.stream(f[10].split(";"))
                    .mapToDouble(Double::parseDouble).toArray();
            return new RunRow(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]), Double.parseDouble(f[3]),
                    Double.parseDouble(f[4]), Double.parseDouble(f[5]), Double.parseDouble(f[6]),
                    Double.parseDouble(f[7]), Double.parseDouble(f[8]), cs, cr);
        }
    }

    static void run(Options o) {
        String envList = o.string("envs", "all");
        long[] seeds = o.seeds("seeds", "1-5");
        long stepsOverride = o.longValue("steps", -1);
        int episodes = o.intValue("episodes", 100);
        int points = o.intValue("points", 20);
        int curveEpisodes = o.intValue("curve-episodes", 10);
        Path out = Path.of(o.string("out", "docs/bench"));
        int jobs = o.intValue("jobs", 1);
        boolean resume = o.flag("resume");
        o.checkAllRead(USAGE);
        if (episodes < 1 || points < 1 || curveEpisodes < 1 || jobs < 1) {
            throw new BenchException("quality: --episodes, --points, --curve-episodes and --jobs must be at least 1.");
        }
        List<Row> rows = new ArrayList<>();
        if (envList.equals("all")) {
            rows.addAll(ROWS);
        } else if (envList.equals("box2d")) {
            rows.addAll(BOX2D_ROWS);
        } else {
            for (String e : envList.split(",")) {
                rows.add(row(e.trim()));
            }
        }
        try {
            Files.createDirectories(out);
            Path csv = out.resolve("runs.csv");
            Map<String, RunRow> done = new LinkedHashMap<>();
            if (resume && Files.exists(csv)) {
                for (RunRow r : read(csv)) {
                    done.put(r.env() + "/" + r.seed() + "/" + r.steps(), r);
                }
            } else {
                Files.writeString(csv, HEADER + "\n", StandardCharsets.UTF_8);
            }
            Map<String, List<RunRow>> byEnv = new LinkedHashMap<>();
            for (Row row : rows) {
                long steps = stepsOverride > 0 ? stepsOverride : row.budget();
                Runs.Eval eval = new Runs.Eval(episodes, curveEpisodes, points, true, 10_000);
                List<RunRow> results = Runs.forSeeds(seeds, jobs, seed -> {
                    PpoConfig probe = Runs.config(row.env(), seed, Preset.TUNED, List.of());
                    long actual = (long) probe.numUpdates(steps) * probe.batchSize();
                    RunRow cached = done.get(row.env() + "/" + seed + "/" + actual);
                    if (cached != null) {
                        return cached;
                    }
                    Runs.Result r = Runs.run(probe, steps, eval);
                    EvalResult sampled = r.other();
                    RunRow rr = new RunRow(row.env(), seed, r.steps(), r.trainSeconds(), r.mean(),
                            r.eval().stdReturn(), sampled.meanReturn(), sampled.stdReturn(), r.trainReturn(),
                            r.curveSteps(), r.curve());
                    append(csv, rr);
                    System.out.printf(Locale.ROOT, "%s seed %d: %.1f ± %.1f (sampled %.1f) after %d steps, %.1f s%n",
                            rr.env(), seed, rr.evalMean(), rr.evalStd(), rr.sampledMean(), rr.steps(),
                            rr.trainSeconds());
                    return rr;
                });
                byEnv.put(row.env(), results);
                String label = "evaluation return (deterministic, " + curveEpisodes + " episodes)";
                List<double[]> curves = new ArrayList<>();
                for (RunRow r : results) {
                    curves.add(r.curve());
                }
                Charts.learningCurve(out.resolve(pngName(row.env())), row.env() + ", Proxima PPO preset TUNED",
                        results.get(0).curveSteps(), curves, row.target(), label);
            }
            Files.writeString(out.resolve("quality.md"), table(byEnv, seeds, episodes, stepsOverride),
                    StandardCharsets.UTF_8);
            System.out.println(Files.readString(out.resolve("quality.md")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String pngName(String env) {
        return env.toLowerCase(Locale.ROOT) + ".png";
    }

    static List<RunRow> read(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new BenchException(csv + " does not start with the header \"" + HEADER + "\"; remove it or run"
                    + " without --resume.");
        }
        List<RunRow> rows = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) {
            if (!l.isBlank()) {
                rows.add(RunRow.parse(l));
            }
        }
        return rows;
    }

    private static synchronized void append(Path csv, RunRow r) {
        try {
            Files.writeString(csv, r.csv() + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Markdown table: ours beside the target and the anchors, then each seed's figure. */
    static String table(Map<String, List<RunRow>> byEnv, long[] seeds, int episodes, long stepsOverride) {
        StringBuilder s = new StringBuilder();
        s.append("| env | steps | target | Proxima TUNED: mean ± std over seeds (worst seed) | met | seeds |"
                + " sampled policy | anchors |\n|---|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, List<RunRow>> e : byEnv.entrySet()) {
            Row row = row(e.getKey());
            List<RunRow> rs = e.getValue();
            double[] m = rs.stream().mapToDouble(RunRow::evalMean).toArray();
            double mean = Arrays.stream(m).average().orElse(Double.NaN);
            double worst = Arrays.stream(m).min().orElse(Double.NaN);
            double sd = std(m);
            double sampled = rs.stream().mapToDouble(RunRow::sampledMean).average().orElse(Double.NaN);
            boolean met = row.everySeed() ? worst >= row.target() : mean >= row.target();
            long meeting = Arrays.stream(m).filter(x -> x >= row.target()).count();
            String target = "≥ " + fmt0(row.target()) + (row.everySeed() ? " every seed" : " mean");
            long budget = stepsOverride > 0 ? stepsOverride : row.budget();
            String steps = rs.get(0).steps() == budget ? steps(budget)
                    : String.format(Locale.ROOT, "%,d of %s", rs.get(0).steps(), steps(budget));
            s.append(String.format(Locale.ROOT, "| %s | %s | %s | %.1f ± %.1f (%.1f) | %s | %d/%d | %.1f | %s |%n",
                    row.env(), steps, target, mean, sd, worst, met ? "yes" : "**no**", meeting, m.length, sampled,
                    row.anchors()));
        }
        s.append("\nPer seed (mean return over ").append(episodes).append(" deterministic episodes; training wall"
                + " seconds, evaluation excluded):\n\n| env |");
        for (long seed : seeds) {
            s.append(" seed ").append(seed).append(" |");
        }
        s.append("\n|---|");
        s.append("---|".repeat(seeds.length)).append('\n');
        for (Map.Entry<String, List<RunRow>> e : byEnv.entrySet()) {
            s.append("| ").append(e.getKey()).append(" |");
            Map<Long, RunRow> bySeed = new TreeMap<>();
            for (RunRow r : e.getValue()) {
                bySeed.put(r.seed(), r);
            }
            for (long seed : seeds) {
                RunRow r = bySeed.get(seed);
                s.append(r == null ? " - |" : String.format(Locale.ROOT, " %.1f (%.0f s) |", r.evalMean(),
                        r.trainSeconds()));
            }
            s.append('\n');
        }
        s.append('\n').append(SOURCES.replace("\n", "\n\n")).append(proximaNote(seeds, episodes));
        if (stepsOverride > 0) {
            s.append("\nReduced run: every env trained for ").append(stepsOverride)
                    .append(" steps instead of its budget, so the targets do not apply.\n");
        }
        return s.toString();
    }

    private static String steps(long n) {
        if (n % 1_000_000 == 0) {
            return n / 1_000_000 + "M";
        }
        if (n % 1_000 == 0) {
            return n / 1_000 + "k";
        }
        return Long.toString(n);
    }

    private static double std(double[] x) {
        double m = Arrays.stream(x).average().orElse(Double.NaN);
        return Math.sqrt(Arrays.stream(x).map(v -> (v - m) * (v - m)).average().orElse(Double.NaN));
    }

    private static String fmt0(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    static String num(double v) {
        return Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%.4f", v);
    }

    static String join(long[] a) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < a.length; i++) {
            s.append(i == 0 ? "" : ";").append(a[i]);
        }
        return s.toString();
    }

    static String join(double[] a) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < a.length; i++) {
            s.append(i == 0 ? "" : ";").append(num(a[i]));
        }
        return s.toString();
    }
}
