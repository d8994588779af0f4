package dev.proxima.bench;

import dev.proxima.core.ppo.Preset;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark runner's entry point, {@code java -cp ... dev.proxima.bench.Bench <subcommand> [options]}:
 * <ul>
 *   <li>{@code quality}: trains every classic env with its {@link Preset#TUNED} preset on seeds 1-5, evaluates each
 *       run over 100 episodes and writes the table ({@code quality.md}, {@code quality.csv}) and learning-curve PNGs
 *       ({@link Quality});</li>
 *   <li>{@code speed}: end-to-end CartPole training throughput with 1 and all cores, time to solve CartPole, peak
 *       memory, and the training step's FLOP rate against a fused multiply-add peak ({@link Speed});</li>
 *   <li>{@code tune}: one env on tuning seeds with preset overrides ({@link Tune});</li>
 *   <li>{@code cluster}: distributed rollouts with worker JVMs on this machine ({@link ClusterBench}).</li>
 * </ul>
 * {@link #run(String...)} does the work and returns an exit code, so the CLI can call it without {@code System.exit}.
 */
public final class Bench {
    static final String USAGE = "usage: Bench <quality|speed|tune|cluster|help> [options]\n\n"
            + Quality.USAGE + "\n\n" + Speed.USAGE + "\n\n" + Tune.USAGE + "\n\n" + ClusterBench.USAGE;

    private Bench() {}

    public static void main(String[] args) {
        int code = run(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs one subcommand; 0 on success, 2 on a bad command line (the message goes to stderr). */
    public static int run(String... args) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        try {
            switch (args[0]) {
                case "quality" -> Quality.run(new Options("quality", rest));
                case "speed" -> Speed.run(new Options("speed", rest));
                case "tune" -> Tune.run(new Options("tune", rest));
                case "cluster" -> ClusterBench.run(new Options("cluster", rest));
                default -> throw new BenchException("unknown subcommand \"" + args[0] + "\".\n" + USAGE);
            }
            return 0;
        } catch (BenchException | dev.proxima.core.ppo.PpoConfigException e) {
            System.err.println(e.getMessage());
            return 2;
        }
    }

    static Preset preset(String name) {
        try {
            return Preset.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BenchException("--preset " + name + ": unknown preset; use one of "
                    + Arrays.toString(Preset.values()).toLowerCase(Locale.ROOT) + ".");
        }
    }
}
