package dev.proxima.bench;

import dev.proxima.core.nn.Activation;
import dev.proxima.core.nn.Network;
import dev.proxima.core.ppo.Params;
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
    private Overrides() {}

    /**
     * Applies {@code name=value} settings through core's table ({@code PpoConfig.Builder.set(String, String)}), so
     * every setting is known here by its one name; an unknown name or bad value is reported by {@code build()} with
     * the closest name. {@code network} also takes this tool's short form (see {@link #network}).
     */
    static void apply(PpoConfig.Builder b, List<String> settings) {
        for (String s : settings) {
            int eq = s.indexOf('=');
            if (eq < 1) {
                throw new BenchException("--set \"" + s + "\" must look like name=value, e.g. learningRate=1e-3.");
            }
            String name = s.substring(0, eq).trim();
            String value = s.substring(eq + 1).trim();
            if (name.equals(Params.NETWORK.name()) && SHORT_NETWORK.matcher(value).matches()) {
                b.network(network(value));
            } else {
                b.set(name, value);
            }
        }
    }

    private static final java.util.regex.Pattern SHORT_NETWORK =
            java.util.regex.Pattern.compile("(?i)(shared:)?[0-9x]*(/[0-9x]*)?(:(tanh|relu))?");

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
