package dev.proxima.bench;

import dev.proxima.core.plugin.Registry;
import dev.proxima.core.ppo.Agent;
import dev.proxima.core.ppo.PpoConfig;
import dev.proxima.core.ppo.Preset;
import dev.proxima.core.train.SamplingExecutor;
import dev.proxima.core.train.Trainer;
import dev.proxima.core.train.TrainingRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code speed}: how fast training runs, end to end (sampling and learning together), in one JVM:
 * <ol>
 *   <li>throughput in env steps/s on CartPole-v1 with CleanRL's {@code ppo.py} shape (4 envs × 128 steps, 4 epochs ×
 *       4 minibatches, separate 64-64 tanh networks: the builder's defaults), with 1 sampling worker and with one per
 *       core; after warm-up updates, so the JIT has compiled the loop;</li>
 *   <li>time to solve CartPole-v1 with {@link Preset#TUNED}: training wall seconds until the deterministic evaluation
 *       return (over {@code --solve-episodes} episodes, every {@code --eval-every} updates) reaches 475; evaluation
 *       time is excluded;</li>
 *   <li>peak heap and resident memory, and bytes allocated per env step in the timed updates;</li>
 *   <li>a fused multiply-add kernel as the machine's practical peak ({@link FmaPeak}) and the training step's FLOP
 *       rate ({@link Flops}) as a fraction of it.</li>
 * </ol>
 * Every run goes through core's {@link Trainer}; with more than one worker, each rollout step's sampling workers run
 * on a fixed thread pool (worker 0 on the training thread), timed by {@link TimedSampling} for the sampling share.
 */
final class Speed {
    static final String USAGE = """
            speed [--warmup 100] [--updates 300] [--repeats 3] [--workers N (default: all cores, at most 4)]
                  [--optimiser-threads N (default 1; N > 1 adds rows with N threads)] [--no-baseline (only N)]
                  [--solve-seeds 1-5] [--solve-max-steps 100k] [--eval-every 4] [--solve-episodes 10]
                  [--fma-millis 1000] [--parts throughput,solve,peak] [--set name=value]... [--out docs/bench]
              --set changes the TUNED preset of the time-to-solve runs (to try a variant); --parts runs a subset.""";

    private Speed() {}

    /** Throughput of one configuration: env steps/s over the timed updates and where the time went. */
    record Throughput(int workers, int optimiserThreads, double stepsPerSecond, double sampleShare, double bytesPerStep, double seconds,
            double liveHeapBytes) {}

    /** One time-to-solve run: seconds and steps until solved, or NaN/-1 if the step cap came first. */
    record Solve(long seed, int workers, double seconds, long steps, double evalReturn) {}

    static void run(Options o) {
        int warmup = o.intValue("warmup", 100);
        int updates = o.intValue("updates", 300);
        int repeats = o.intValue("repeats", 3);
        int cores = Runtime.getRuntime().availableProcessors();
        int workers = o.intValue("workers", Math.min(cores, 4));
        int optimiserThreads = o.intValue("optimiser-threads", 1);
        // A fresh JVM's figure with N threads needs the N-thread rows first, not after the 1-thread rows warmed it.
        boolean noBaseline = o.flag("no-baseline");
        long[] solveSeeds = o.seeds("solve-seeds", "1-5");
        long solveMax = o.longValue("solve-max-steps", 100_000);
        int evalEvery = o.intValue("eval-every", 4);
        int solveEpisodes = o.intValue("solve-episodes", 10);
        long fmaMillis = o.longValue("fma-millis", 1000);
        List<String> parts = List.of(o.string("parts", "throughput,solve,peak").split(","));
        List<String> sets = o.all("set");
        Path out = Path.of(o.string("out", "docs/bench"));
        o.checkAllRead(USAGE);
        for (String p : parts) {
            if (!List.of("throughput", "solve", "peak").contains(p)) {
                throw new BenchException("speed: --parts " + p + ": unknown part; use throughput, solve and/or peak.");
            }
        }
        Runs.config("CartPole-v1", 1, Preset.TUNED, sets); // fails early on a bad --set
        if (warmup < 0 || updates < 1 || repeats < 1 || workers < 1 || optimiserThreads < 1 || evalEvery < 1 || solveEpisodes < 1
                || fmaMillis < 1) {
            throw new BenchException("speed: --updates, --repeats, --workers, --optimiser-threads, --eval-every, --solve-episodes and"
                    + " --fma-millis must be at least 1 (--warmup at least 0).");
        }

        resetPeaks();
        PpoConfig shape = cleanRlCartPole(1);
        double[] load = loadAverage();
        List<Throughput> tps = new ArrayList<>();
        List<Integer> workerCounts = workers == 1 ? List.of(1) : List.of(1, workers);
        List<Integer> threadCounts = optimiserThreads == 1 || noBaseline ? List.of(optimiserThreads)
                : List.of(1, optimiserThreads);
        for (int ot : parts.contains("throughput") ? threadCounts : List.<Integer>of()) {
            for (int w : workerCounts) {
                Throughput best = null;
                for (int r = 0; r < repeats; r++) {
                    Throughput t = throughput(shape, w, ot, warmup, updates);
                    // The 1-thread line keeps its old shape: ../shared/peers/summarize.py reads it.
                    System.out.printf(Locale.ROOT, "throughput, %d worker(s), %srepeat %d: %.0f steps/s"
                            + " (sampling %.0f%%)%n", w, ot == 1 ? "" : ot + " optimiser threads, ", r + 1,
                            t.stepsPerSecond(), 100 * t.sampleShare());
                    if (best == null || t.stepsPerSecond() > best.stepsPerSecond()) {
                        best = t;
                    }
                }
                tps.add(best);
            }
        }

        List<Solve> solves = new ArrayList<>();
        for (int w : parts.contains("solve") ? workerCounts : List.<Integer>of()) {
            for (long seed : solveSeeds) {
                Solve s = timeToSolve(Runs.config("CartPole-v1", seed, Preset.TUNED, sets), w, optimiserThreads,
                        solveMax, evalEvery, solveEpisodes);
                System.out.printf(Locale.ROOT, "time to solve, seed %d, %d worker(s): %s%n", seed, w,
                        Double.isNaN(s.seconds()) ? "not solved in " + solveMax + " steps"
                                : String.format(Locale.ROOT, "%.2f s, %d steps", s.seconds(), s.steps()));
                solves.add(s);
            }
        }

        double peakHeap = peakHeapBytes();
        long[] rss = rssKb();

        boolean peak = parts.contains("peak");
        double peak1 = peak ? FmaPeak.measure(1, 3, fmaMillis) : Double.NaN;
        double peakAll = peak && cores > 1 ? FmaPeak.measure(cores, 3, fmaMillis) : peak1;
        double flopsPerUpdate = Flops.perUpdate(shape, 4, 2); // CartPole: 4 observations in, 2 logits out
        double stepsPerUpdate = shape.batchSize();

        Map<String, String> kv = new LinkedHashMap<>();
        kv.put("cores", Integer.toString(cores));
        kv.put("cpu", cpuModel());
        kv.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        kv.put("load_average_1min_at_start", num(load[0]));
        kv.put("kernels", dev.proxima.core.nn.Network.kernels());
        for (Throughput t : tps) {
            String k = "throughput_" + t.workers() + "w" + (t.optimiserThreads() == 1 ? "" : "_"
                    + t.optimiserThreads() + "ot");
            kv.put(k + "_steps_per_s", num(t.stepsPerSecond()));
            kv.put(k + "_sample_share", num(t.sampleShare()));
            kv.put(k + "_bytes_per_step", num(t.bytesPerStep()));
            kv.put(k + "_gflops", num(t.stepsPerSecond() / stepsPerUpdate * flopsPerUpdate / 1e9));
        }
        for (int w : parts.contains("solve") ? workerCounts : List.<Integer>of()) {
            double[] secs = solves.stream().filter(s -> s.workers() == w).mapToDouble(Solve::seconds).toArray();
            kv.put("solve_" + w + "w_median_s", num(median(secs)));
            kv.put("solve_" + w + "w_max_s", num(Arrays.stream(secs).max().orElse(Double.NaN)));
        }
        kv.put("peak_heap_mb", num(peakHeap / 1e6));
        if (!tps.isEmpty()) {
            kv.put("live_heap_mb", num(tps.get(0).liveHeapBytes() / 1e6));
        }
        kv.put("peak_rss_mb", rss[1] < 0 ? "NaN" : num(rss[1] / 1024.0));
        kv.put("fma_peak_1t_gflops", num(peak1 / 1e9));
        kv.put("fma_peak_all_gflops", num(peakAll / 1e9));
        kv.put("flops_per_update", num(flopsPerUpdate));
        kv.put("flops_per_step", num(flopsPerUpdate / stepsPerUpdate));
        if (!tps.isEmpty()) {
            kv.put("train_fraction_of_peak_1t",
                    num(tps.get(0).stepsPerSecond() / stepsPerUpdate * flopsPerUpdate / peak1));
        }

        try {
            Files.createDirectories(out);
            StringBuilder csv = new StringBuilder("key,value\n");
            kv.forEach((k, v) -> csv.append(k).append(',').append(v.replace(',', ' ')).append('\n'));
            Files.writeString(out.resolve("speed.csv"), csv.toString(), StandardCharsets.UTF_8);
            String md = markdown(tps, solves, parts.contains("solve") ? workerCounts : List.of(), solveMax,
                    solveEpisodes, evalEvery, peakHeap, rss, peak1, peakAll, flopsPerUpdate, stepsPerUpdate, cores,
                    warmup, updates, repeats, load, sets);
            Files.writeString(out.resolve("speed.md"), md, StandardCharsets.UTF_8);
            System.out.println(md);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** CleanRL's {@code ppo.py} on CartPole-v1: the builder's defaults. */
    static PpoConfig cleanRlCartPole(long seed) {
        return PpoConfig.builder().env(Registry.global().spec("CartPole-v1")).seed(seed).build();
    }

    static Throughput throughput(PpoConfig config, int workers, int optimiserThreads, int warmup, int updates) {
        long total = (long) (warmup + updates) * config.batchSize();
        com.sun.management.ThreadMXBean threads = threadBean();
        try (TimedSampling sampling = new TimedSampling(workers);
                TrainingRun run = Trainer.builder(config).workers(workers).optimiserThreads(optimiserThreads)
                        .samplingExecutor(sampling).build().start(total)) {
            run.trainUpdates(warmup);
            long allocBefore = allocated(threads);
            sampling.nanos = 0;
            long t0 = System.nanoTime();
            run.trainUpdates(updates);
            long t1 = System.nanoTime();
            long alloc = allocated(threads) - allocBefore;
            double seconds = (t1 - t0) / 1e9;
            double steps = (double) updates * config.batchSize();
            return new Throughput(workers, optimiserThreads, steps / seconds, sampling.nanos / 1e9 / seconds,
                    alloc < 0 ? Double.NaN : alloc / steps, seconds, liveHeapBytes());
        }
    }

    static Solve timeToSolve(PpoConfig config, int workers, int optimiserThreads, long maxSteps, int evalEvery,
            int episodes) {
        long seed = config.seed();
        long nanos = 0;
        int w = Math.min(workers, config.numEnvs());
        try (TimedSampling sampling = new TimedSampling(w);
                TrainingRun run = Trainer.builder(config).workers(w).optimiserThreads(optimiserThreads)
                        .samplingExecutor(sampling).build().start(maxSteps)) {
            while (!run.isFinished()) {
                long t0 = System.nanoTime();
                run.trainUpdates(1);
                nanos += System.nanoTime() - t0;
                if (run.updatesDone() % evalEvery == 0 || run.isFinished()) {
                    Agent a = run.agent();
                    double ret = a.evaluate(episodes, true, 40_000 + seed * 1_000 + run.updatesDone()).meanReturn();
                    if (ret >= 475) {
                        return new Solve(seed, workers, nanos / 1e9, run.globalStep(), ret);
                    }
                }
            }
            return new Solve(seed, workers, Double.NaN, -1, Double.NaN);
        }
    }

    /**
     * The trainer's sampling workers on a fixed thread pool (worker 0 on the training thread), timing the part of each
     * rollout step they run (batched inference and env steps) to report the share of a run spent sampling.
     */
    static final class TimedSampling implements SamplingExecutor, AutoCloseable {
        private final ExecutorService pool;
        private final SamplingExecutor inner;
        long nanos;

        TimedSampling(int workers) {
            this.pool = workers > 1 ? Executors.newFixedThreadPool(workers - 1, r -> {
                Thread t = new Thread(r, "sampler");
                t.setDaemon(true);
                return t;
            }) : null;
            this.inner = pool == null ? SamplingExecutor.direct() : SamplingExecutor.of(pool);
        }

        @Override
        public void run(int n, java.util.function.IntConsumer task) {
            long t0 = System.nanoTime();
            inner.run(n, task);
            nanos += System.nanoTime() - t0;
        }

        @Override
        public void close() {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    // --- memory -------------------------------------------------------------------------------------------------

    private static void resetPeaks() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            p.resetPeakUsage();
        }
    }

    /** Heap in use right after a full collection: what the run keeps alive (the caller holds the run). */
    private static double liveHeapBytes() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    /** Sum of the heap pools' peaks: an upper bound of the peak heap in use (pools peak at different times). */
    private static double peakHeapBytes() {
        double sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    /** {VmRSS, VmHWM} in kB from /proc/self/status, or {-1, -1} where there is no procfs. */
    static long[] rssKb() {
        long[] r = {-1, -1};
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmRSS:")) {
                    r[0] = Long.parseLong(l.replaceAll("[^0-9]", ""));
                } else if (l.startsWith("VmHWM:")) {
                    r[1] = Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: memory is reported from the heap alone
        }
        return r;
    }

    private static com.sun.management.ThreadMXBean threadBean() {
        var b = ManagementFactory.getThreadMXBean();
        return b instanceof com.sun.management.ThreadMXBean t && t.isThreadAllocatedMemorySupported() ? t : null;
    }

    /** Bytes allocated so far by every live thread (the pool's included), or -1 when the JVM cannot tell. */
    private static long allocated(com.sun.management.ThreadMXBean b) {
        if (b == null) {
            return -1;
        }
        long[] ids = b.getAllThreadIds();
        long sum = 0;
        for (long a : b.getThreadAllocatedBytes(ids)) {
            if (a > 0) {
                sum += a;
            }
        }
        return sum;
    }

    /** The 1- and 5-minute load averages (NaN where there is no procfs): how busy the machine was. */
    static double[] loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1])};
        } catch (IOException | RuntimeException e) {
            return new double[] {Double.NaN, Double.NaN};
        }
    }

    static String cpuModel() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) {
                    return l.substring(l.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return System.getProperty("os.arch");
    }

    // --- report -------------------------------------------------------------------------------------------------

    private static String markdown(List<Throughput> tps, List<Solve> solves, List<Integer> workerCounts, long solveMax,
            int solveEpisodes, int evalEvery, double peakHeap, long[] rss, double peak1, double peakAll,
            double flopsPerUpdate, double stepsPerUpdate, int cores, int warmup, int updates, int repeats,
            double[] load, List<String> sets) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "Machine: %s, %d cores available to the JVM; %s %s. Load average when the"
                + " run started: %.2f (1 min), %.2f (5 min).%n", cpuModel(), cores,
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"), load[0], load[1]));
        s.append("Layer kernels: ").append(dev.proxima.core.nn.Network.kernels()).append(".\n");
        if (!tps.isEmpty()) {
            throughputTable(s, tps, flopsPerUpdate / stepsPerUpdate, warmup, updates, repeats);
        }
        if (!solves.isEmpty()) {
            solveTable(s, solves, workerCounts, solveMax, solveEpisodes, evalEvery, sets);
        }
        s.append(String.format(Locale.ROOT, "%nMemory: peak heap in use ≤ %.1f MB over the whole run (sum of the"
                + " heap pools' peaks, garbage included)%s; peak resident set of the JVM %s.%n", peakHeap / 1e6,
                tps.isEmpty() ? "" : String.format(Locale.ROOT, ", %.1f MB live after a full GC during training",
                        tps.get(0).liveHeapBytes() / 1e6),
                rss[1] < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f MB", rss[1] / 1024.0)));
        s.append(String.format(Locale.ROOT, "%nFLOPs: %.3g per update (%.0f per env step, counted analytically:"
                + " dense forward/backward and Adam).", flopsPerUpdate, flopsPerUpdate / stepsPerUpdate));
        if (!Double.isNaN(peak1)) {
            s.append(String.format(Locale.ROOT, " FMA kernel peak: %.1f GFLOP/s on 1 thread, %.1f GFLOP/s on %d.",
                    peak1 / 1e9, peakAll / 1e9, cores));
            if (!tps.isEmpty()) {
                double achieved = tps.get(0).stepsPerSecond() * flopsPerUpdate / stepsPerUpdate;
                s.append(String.format(Locale.ROOT, " Training with 1 worker reaches %.2f GFLOP/s = %.1f%% of the"
                        + " 1-thread peak.", achieved / 1e9, 100 * achieved / peak1));
            }
        }
        return s.append('\n').toString();
    }

    private static void throughputTable(StringBuilder s, List<Throughput> tps, double flopsPerStep, int warmup,
            int updates, int repeats) {
        s.append("\nEnd-to-end training throughput, CartPole-v1, CleanRL ppo.py shape (4 envs × 128 steps, 4 epochs ×"
                + " 4 minibatches, separate 64-64 tanh); ").append(updates).append(" timed updates after ")
                .append(warmup).append(" warm-up updates, best of ").append(repeats).append(":\n\n");
        s.append("| sampling workers | optimiser threads | env steps/s | time sampling | time optimising |"
                + " allocated per env step | training FLOP rate |\n|---|---|---|---|---|---|---|\n");
        for (Throughput t : tps) {
            s.append(String.format(Locale.ROOT, "| %d | %d | %,.0f | %.0f%% | %.0f%% | %.1f B | %.2f GFLOP/s |%n",
                    t.workers(), t.optimiserThreads(), t.stepsPerSecond(), 100 * t.sampleShare(), 100 * (1 - t.sampleShare()),
                    t.bytesPerStep(), t.stepsPerSecond() * flopsPerStep / 1e9));
        }
    }

    private static void solveTable(StringBuilder s, List<Solve> solves, List<Integer> workerCounts, long solveMax,
            int solveEpisodes, int evalEvery, List<String> sets) {
        s.append(String.format(Locale.ROOT, "%nTime to solve CartPole-v1 with preset TUNED (training wall seconds"
                + " until the deterministic evaluation over %d episodes, run every %d updates, reaches 475;"
                + " evaluation time excluded; cap %,d steps)%s:%n%n", solveEpisodes, evalEvery, solveMax,
                sets.isEmpty() ? "" : ", with " + String.join(", ", sets)));
        s.append("| sampling workers | seed | seconds | env steps |\n|---|---|---|---|\n");
        for (Solve v : solves) {
            s.append(String.format(Locale.ROOT, "| %d | %d | %s | %s |%n", v.workers(), v.seed(),
                    Double.isNaN(v.seconds()) ? "not solved" : String.format(Locale.ROOT, "%.2f", v.seconds()),
                    v.steps() < 0 ? "-" : String.format(Locale.ROOT, "%,d", v.steps())));
        }
        s.append('\n');
        for (int w : workerCounts) {
            double[] secs = solves.stream().filter(v -> v.workers() == w).mapToDouble(Solve::seconds).toArray();
            s.append(String.format(Locale.ROOT, "Median with %d worker(s): %.2f s.%n", w, median(secs)));
        }
    }

    static double median(double[] x) {
        double[] v = Arrays.stream(x).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (v.length == 0 || v.length < x.length) {
            return Double.NaN; // an unsolved seed makes the median undefined at this cap
        }
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%.6g", v);
    }
}
