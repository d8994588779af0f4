package dev.proxima.bench;

import dev.proxima.core.nn.Activation;
import dev.proxima.core.nn.Network;
import dev.proxima.core.ppo.PpoConfig;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code name=value} settings from the command line ({@code --set learningRate=1e-3}), applied to a builder with the
 * builder's own method of that name, so they win over the preset like any explicit setting. Used to try a variant of
 * a preset without editing it; the quality table itself is always run with the presets as they are.
 */
final class Overrides {
    static final List<String> NAMES = List.of("numEnvs", "numSteps", "learningRate", "annealLr", "gamma", "gaeLambda",
            "numMinibatches", "updateEpochs", "normAdv", "clip", "clipVloss", "entCoef", "annealEnt", "vfCoef",
            "maxGradNorm", "targetKl", "adamEps", "bootstrapTruncated", "normalizeObservation", "normalizeReward",
            "clipAction", "logStdInit", "network");

    private Overrides() {}

    static void apply(PpoConfig.Builder b, List<String> settings) {
        for (String s : settings) {
            int eq = s.indexOf('=');
            if (eq < 1) {
                throw new BenchException("--set \"" + s + "\" must look like name=value, e.g. learningRate=1e-3.");
            }
            apply(b, s.substring(0, eq).trim(), s.substring(eq + 1).trim());
        }
    }

    private static void apply(PpoConfig.Builder b, String name, String v) {
        try {
            switch (name) {
                case "numEnvs" -> b.numEnvs(Integer.parseInt(v));
                case "numSteps" -> b.numSteps(Integer.parseInt(v));
                case "learningRate" -> b.learningRate(Double.parseDouble(v));
                case "annealLr" -> b.annealLr(bool(v));
                case "gamma" -> b.gamma(Double.parseDouble(v));
                case "gaeLambda" -> b.gaeLambda(Double.parseDouble(v));
                case "numMinibatches" -> b.numMinibatches(Integer.parseInt(v));
                case "updateEpochs" -> b.updateEpochs(Integer.parseInt(v));
                case "normAdv" -> b.normAdv(bool(v));
                case "clip" -> b.clip(Double.parseDouble(v));
                case "clipVloss" -> b.clipVloss(bool(v));
                case "entCoef" -> b.entCoef(Double.parseDouble(v));
                case "annealEnt" -> b.annealEnt(bool(v));
                case "vfCoef" -> b.vfCoef(Double.parseDouble(v));
                case "maxGradNorm" -> b.maxGradNorm(Double.parseDouble(v));
                case "targetKl" -> b.targetKl(v.equalsIgnoreCase("none") ? Double.NaN : Double.parseDouble(v));
                case "adamEps" -> b.adamEps(Double.parseDouble(v));
                case "bootstrapTruncated" -> b.bootstrapTruncated(bool(v));
                case "normalizeObservation" -> b.normalizeObservation(bool(v));
                case "normalizeReward" -> b.normalizeReward(bool(v));
                case "clipAction" -> b.clipAction(bool(v));
                case "logStdInit" -> b.logStdInit(Double.parseDouble(v));
                case "network" -> b.network(network(v));
                default -> throw new BenchException("--set " + name + ": unknown setting. Known: "
                        + String.join(", ", NAMES) + ".");
            }
        } catch (NumberFormatException e) {
            throw new BenchException("--set " + name + "=" + v + ": \"" + v + "\" is not a number.");
        }
    }

    private static boolean bool(String v) {
        if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
            throw new NumberFormatException(v);
        }
        return Boolean.parseBoolean(v);
    }

    /** {@code 64x64} (separate, both), {@code 64x64/256x256} (actor/critic), {@code shared:64x64}, {@code ...:relu}. */
    static Network network(String v) {
        String s = v.toLowerCase(Locale.ROOT);
        Activation act = Activation.TANH;
        if (s.endsWith(":relu")) {
            act = Activation.RELU;
            s = s.substring(0, s.length() - 5);
        } else if (s.endsWith(":tanh")) {
            s = s.substring(0, s.length() - 5);
        }
        Network n;
        if (s.startsWith("shared:")) {
            n = Network.shared(sizes(s.substring(7)));
        } else {
            String[] ac = s.split("/");
            n = Network.separate(sizes(ac[0]), sizes(ac.length > 1 ? ac[1] : ac[0]));
        }
        return n.activation(act);
    }

    private static int[] sizes(String s) {
        if (s.isEmpty()) {
            return new int[0];
        }
        return Arrays.stream(s.split("x")).mapToInt(Integer::parseInt).toArray();
    }
}
