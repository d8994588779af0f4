package dev.proxima.core.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The network architecture of a run: an immutable value that is also the {@link NetworkFactory} building it.
 *
 * <pre>{@code
 * Network.DEFAULT                                                   // separate(actor=[64, 64], critic=[64, 64], tanh)
 * Network.separate(new int[] {64, 64}, new int[] {256, 256})        // separate actor and critic MLPs
 * Network.shared(64, 64).activation(Activation.RELU)                // one trunk, a policy head and a value head
 * }</pre>
 *
 * <p>Both architectures are initialised like CleanRL's {@code layer_init}: orthogonal weights with gain √2 on hidden
 * layers, 0.01 on the policy output and 1.0 on the value output, zero biases, and {@code log_std} = 0 for Gaussian
 * heads. See {@link ActorCritic} for the parameter vector; within it each layer stores torch's {@code weight}
 * ({@code [out][in]}, row-major) then its bias. Separate: actor layers, critic layers, {@code log_std}. Shared: trunk
 * layers, policy head, value head, {@code log_std}.
 */
public final class Network implements NetworkFactory {

    /** CleanRL's {@code ppo.py} agent: separate actor and critic, two hidden layers of 64 units each, tanh. */
    public static final Network DEFAULT = separate(new int[] {64, 64}, new int[] {64, 64});

    private final boolean shared;
    private final int[] actor;
    private final int[] critic;
    private final int[] trunk;
    private final Activation activation;

    private Network(boolean shared, int[] actor, int[] critic, int[] trunk, Activation activation) {
        this.shared = shared;
        this.actor = actor;
        this.critic = critic;
        this.trunk = trunk;
        this.activation = activation;
    }

    /**
     * Separate actor and critic MLPs with the given hidden sizes (either may be empty: a linear model), tanh.
     *
     * @throws IllegalArgumentException listing every hidden size below 1
     */
    public static Network separate(int[] actor, int[] critic) {
        Objects.requireNonNull(actor, "Network.separate: actor hidden sizes are null; pass e.g. new int[] {64, 64}.");
        Objects.requireNonNull(critic, "Network.separate: critic hidden sizes are null; pass e.g. new int[] {64, 64}.");
        List<String> problems = new ArrayList<>();
        checkSizes("actor", actor, problems);
        checkSizes("critic", critic, problems);
        fail("Network.separate(actor=" + Arrays.toString(actor) + ", critic=" + Arrays.toString(critic) + ")",
                problems);
        return new Network(false, actor.clone(), critic.clone(), new int[0], Activation.TANH);
    }

    /**
     * One trunk of the given hidden sizes (at least one layer), activated after every layer, with a linear policy
     * head and a linear value head on top; tanh.
     *
     * @throws IllegalArgumentException if there is no hidden size or one is below 1
     */
    public static Network shared(int... hidden) {
        Objects.requireNonNull(hidden, "Network.shared: hidden sizes are null; pass e.g. shared(64, 64).");
        List<String> problems = new ArrayList<>();
        if (hidden.length == 0) {
            problems.add("no hidden size: a shared network needs at least one trunk layer, e.g. shared(64, 64). "
                    + "For linear heads on the raw observation use separate(new int[0], new int[0]).");
        }
        checkSizes("hidden", hidden, problems);
        fail("Network.shared" + Arrays.toString(hidden).replace('[', '(').replace(']', ')'), problems);
        return new Network(true, new int[0], new int[0], hidden.clone(), Activation.TANH);
    }

    /**
     * What runs the layers' inner loops in this JVM: {@code "Vector API, 16 float lanes (512 bit)"} when it has
     * {@code jdk.incubator.vector}, else the scalar loops; the results are the same bits either way.
     */
    public static String kernels() {
        return Kernels.implementation();
    }

    /** This architecture with another activation for the hidden layers. */
    public Network activation(Activation activation) {
        Objects.requireNonNull(activation, "Network.activation: activation is null; use Activation.TANH or RELU.");
        return new Network(shared, actor, critic, trunk, activation);
    }

    /** Whether the actor and critic share a trunk. */
    public boolean isShared() {
        return shared;
    }

    /** Hidden sizes of the actor; empty for a shared network. */
    public int[] actor() {
        return actor.clone();
    }

    /** Hidden sizes of the critic; empty for a shared network. */
    public int[] critic() {
        return critic.clone();
    }

    /** Hidden sizes of the shared trunk; empty for separate networks. */
    public int[] trunk() {
        return trunk.clone();
    }

    public Activation activation() {
        return activation;
    }

    /**
     * The length of the parameter vector this architecture has for the given sizes, computed without allocating it
     * (used to refuse networks that cannot fit in memory, and to check a checkpoint's declared shapes before loading).
     */
    public long parameterCount(int obsDim, int policyDim, int logStdDim) {
        if (shared) {
            long n = mlpCount(obsDim, trunk, -1);
            int last = trunk.length == 0 ? obsDim : trunk[trunk.length - 1];
            return n + ((long) last + 1) * policyDim + ((long) last + 1) + logStdDim;
        }
        return mlpCount(obsDim, actor, policyDim) + mlpCount(obsDim, critic, 1) + logStdDim;
    }

    /** Weights and biases of dense layers {@code in → hidden... → out} ({@code out < 0}: no output layer). */
    private static long mlpCount(int in, int[] hidden, int out) {
        long n = 0;
        int prev = in;
        for (int h : hidden) {
            n += ((long) prev + 1) * h;
            prev = h;
        }
        return out < 0 ? n : n + ((long) prev + 1) * out;
    }

    @Override
    public ActorCritic create(int obsDim, int policyDim, int logStdDim, SplittableRandom rng) {
        Objects.requireNonNull(rng, "Network.create: rng is null; pass the run's initialisation stream.");
        if (obsDim < 1 || policyDim < 1 || logStdDim < 0) {
            throw new IllegalArgumentException("Network.create: obsDim = " + obsDim + ", policyDim = " + policyDim
                    + ", logStdDim = " + logStdDim + " for " + this
                    + "; need obsDim >= 1, policyDim >= 1 and logStdDim >= 0.");
        }
        return shared
                ? SharedActorCritic.create(obsDim, policyDim, logStdDim, trunk, activation, rng)
                : SeparateActorCritic.create(obsDim, policyDim, logStdDim, actor, critic, activation, rng);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Network n && n.shared == shared && Arrays.equals(n.actor, actor)
                && Arrays.equals(n.critic, critic) && Arrays.equals(n.trunk, trunk) && n.activation == activation;
    }

    @Override
    public int hashCode() {
        // The activation's name, not the enum's identity hash: the same architecture hashes alike in every JVM (tests
        // seed from it).
        return Objects.hash(shared, Arrays.hashCode(actor), Arrays.hashCode(critic), Arrays.hashCode(trunk),
                activation.name());
    }

    /** In builder syntax: {@code separate(actor=[64, 64], critic=[64, 64], tanh)} or {@code shared([64, 64], relu)}. */
    @Override
    public String toString() {
        return shared
                ? "shared(" + Arrays.toString(trunk) + ", " + activation + ")"
                : "separate(actor=" + Arrays.toString(actor) + ", critic=" + Arrays.toString(critic) + ", "
                        + activation + ")";
    }

    /**
     * The architecture {@link #toString()} wrote: {@code separate(actor=[64, 64], critic=[64, 64], tanh)} or
     * {@code shared([64, 64], relu)} (spaces and case do not matter; the activation may be left out for tanh).
     *
     * @throws IllegalArgumentException naming the text and the expected form
     */
    public static Network parse(String text) {
        java.util.Objects.requireNonNull(text, "network text");
        String t = text.replaceAll("\\s+", "").toLowerCase(java.util.Locale.ROOT);
        java.util.regex.Matcher sep = java.util.regex.Pattern
                .compile("separate\\(actor=\\[([0-9,]*)\\],critic=\\[([0-9,]*)\\](?:,([a-z]+))?\\)").matcher(t);
        java.util.regex.Matcher sh = java.util.regex.Pattern
                .compile("shared\\(\\[([0-9,]*)\\](?:,([a-z]+))?\\)").matcher(t);
        if (sep.matches()) {
            return separate(sizes(sep.group(1)), sizes(sep.group(2))).activation(activation(sep.group(3), text));
        }
        if (sh.matches()) {
            return shared(sizes(sh.group(1))).activation(activation(sh.group(2), text));
        }
        throw new IllegalArgumentException("network \"" + text + "\" is not an architecture. Write"
                + " separate(actor=[64, 64], critic=[64, 64], tanh) or shared([64, 64], relu).");
    }

    private static int[] sizes(String csv) {
        if (csv.isEmpty()) {
            return new int[0];
        }
        String[] parts = csv.split(",");
        int[] a = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            a[i] = Integer.parseInt(parts[i]);
        }
        return a;
    }

    private static Activation activation(String name, String text) {
        if (name == null) {
            return Activation.TANH;
        }
        for (Activation a : Activation.values()) {
            if (a.toString().equals(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("network \"" + text + "\": unknown activation " + name + "; use "
                + java.util.Arrays.toString(Activation.values()) + ".");
    }

    private static void checkSizes(String name, int[] sizes, List<String> problems) {
        for (int k = 0; k < sizes.length; k++) {
            if (sizes[k] < 1) {
                problems.add(name + "[" + k + "] = " + sizes[k] + ": a hidden layer needs at least 1 unit "
                        + "(CleanRL uses 64).");
            }
        }
    }

    private static void fail(String call, List<String> problems) {
        if (problems.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder(call).append(": invalid network (").append(problems.size())
                .append(problems.size() == 1 ? " problem)" : " problems)");
        for (String p : problems) {
            sb.append("\n  - ").append(p);
        }
        throw new IllegalArgumentException(sb.toString());
    }
}
