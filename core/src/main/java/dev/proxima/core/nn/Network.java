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
        return Objects.hash(shared, Arrays.hashCode(actor), Arrays.hashCode(critic), Arrays.hashCode(trunk),
                activation);
    }

    /** In builder syntax: {@code separate(actor=[64, 64], critic=[64, 64], tanh)} or {@code shared([64, 64], relu)}. */
    @Override
    public String toString() {
        return shared
                ? "shared(" + Arrays.toString(trunk) + ", " + activation + ")"
                : "separate(actor=" + Arrays.toString(actor) + ", critic=" + Arrays.toString(critic) + ", "
                        + activation + ")";
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
