package dev.proxima.core.plugin;

import dev.proxima.core.checkpoint.AgentRecord;
import dev.proxima.core.checkpoint.Checkpoints;
import dev.proxima.core.env.EnvFactory;
import dev.proxima.core.env.EnvLookup;
import dev.proxima.core.env.EnvProvider;
import dev.proxima.core.env.EnvRegistry;
import dev.proxima.core.env.EnvSpec;
import dev.proxima.core.nn.Activation;
import dev.proxima.core.nn.Network;
import dev.proxima.core.nn.NetworkFactory;
import dev.proxima.core.ppo.Agent;
import dev.proxima.core.ppo.ClippedSurrogate;
import dev.proxima.core.ppo.EntropyBonus;
import dev.proxima.core.ppo.KlPenalty;
import dev.proxima.core.ppo.LossTerm;
import dev.proxima.core.ppo.ValueLoss;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The one registry of plugins by id: envs (through an {@link EnvRegistry}), network factories and loss terms. The
 * {@link #global()} registry holds what every provider on the class path contributes ({@link EnvProvider},
 * {@link NetworkProvider}, {@link LossTermProvider} in {@code META-INF/services}), the built-ins, and what was added
 * with {@code register...}. An unknown id fails with the known ids and the closest one ("did you mean").
 *
 * <pre>{@code
 * Registry.global().register(new EnvSpec<>("Warehouse-v0", seed -> new Warehouse(), 56, Double.NaN));
 * Registry.global().registerNetwork("wide", Network.shared(256, 256));
 * PpoConfig config = PpoConfig.builder().env("Warehouse-v0").network(Registry.global().network("wide")).build();
 * }</pre>
 *
 * <p>Built-in networks: {@value #SEPARATE_64_TANH} (CleanRL's, the default), {@value #SEPARATE_64_RELU},
 * {@value #SHARED_64_TANH}, {@value #SHARED_64_RELU}, {@value #SEPARATE_256_RELU}. Built-in loss terms:
 * {@value #CLIPPED_SURROGATE} (the run's {@code clip}), {@value #UNCLIPPED_SURROGATE}, {@value #VALUE_LOSS}
 * (CleanRL's clipped 0.5·MSE, coefficient 0.5), {@value #VALUE_LOSS_UNCLIPPED}, {@value #ENTROPY_BONUS} (0.01) and
 * {@value #KL_PENALTY} (adaptive, β = 1, d_targ = 0.01). Thread-safe.
 */
public final class Registry implements EnvLookup {
    public static final String SEPARATE_64_TANH = "separate-64-64-tanh";
    public static final String SEPARATE_64_RELU = "separate-64-64-relu";
    public static final String SHARED_64_TANH = "shared-64-64-tanh";
    public static final String SHARED_64_RELU = "shared-64-64-relu";
    /** SB3's / rl-zoo3's larger continuous-control net ({@code net_arch=[dict(pi=[256, 256], vf=[256, 256])]}). */
    public static final String SEPARATE_256_RELU = "separate-256-256-relu";
    public static final String CLIPPED_SURROGATE = "clipped-surrogate";
    public static final String UNCLIPPED_SURROGATE = "unclipped-surrogate";
    public static final String VALUE_LOSS = "value-loss";
    public static final String VALUE_LOSS_UNCLIPPED = "value-loss-unclipped";
    public static final String ENTROPY_BONUS = "entropy-bonus";
    public static final String KL_PENALTY = "kl-penalty";

    private static final String NETWORK_SOURCES = "Networks come from Registry.registerNetwork(...),"
            + " META-INF/services/dev.proxima.core.plugin.NetworkProvider, Koin modules, or the built-ins.";
    private static final String LOSS_SOURCES = "Loss terms come from Registry.registerLossTerm(...),"
            + " META-INF/services/dev.proxima.core.plugin.LossTermProvider, Koin modules, or the built-ins.";
    private static volatile Registry global;

    private final EnvRegistry envs;
    private final Map<String, NetworkFactory> networks = new TreeMap<>();
    private final Map<String, Supplier<? extends LossTerm>> lossTerms = new TreeMap<>();

    /** A registry with the built-in networks and loss terms, and the envs of {@code envs}. */
    public Registry(EnvRegistry envs) {
        this.envs = Objects.requireNonNull(envs, "envs");
        registerNetwork(SEPARATE_64_TANH, Network.DEFAULT);
        registerNetwork(SEPARATE_64_RELU, Network.DEFAULT.activation(Activation.RELU));
        registerNetwork(SHARED_64_TANH, Network.shared(64, 64));
        registerNetwork(SHARED_64_RELU, Network.shared(64, 64).activation(Activation.RELU));
        registerNetwork(SEPARATE_256_RELU,
                Network.separate(new int[] {256, 256}, new int[] {256, 256}).activation(Activation.RELU));
        registerLossTerm(CLIPPED_SURROGATE, ClippedSurrogate::new);
        registerLossTerm(UNCLIPPED_SURROGATE, ClippedSurrogate::unclipped);
        registerLossTerm(VALUE_LOSS, ValueLoss::new);
        registerLossTerm(VALUE_LOSS_UNCLIPPED, () -> new ValueLoss(0.5, false));
        registerLossTerm(ENTROPY_BONUS, EntropyBonus::new);
        registerLossTerm(KL_PENALTY, KlPenalty::new);
    }

    /** An empty env registry with the built-in networks and loss terms. */
    public Registry() {
        this(new EnvRegistry());
    }

    /**
     * The process-wide registry: {@link EnvRegistry#global()}'s envs, the built-ins, and every provider found by
     * {@link ServiceLoader} on the context class loader when first used.
     */
    public static Registry global() {
        Registry g = global;
        if (g == null) {
            synchronized (Registry.class) {
                g = global;
                if (g == null) {
                    g = new Registry(EnvRegistry.global());
                    g.loadPluginProviders(Thread.currentThread().getContextClassLoader());
                    global = g;
                }
            }
        }
        return g;
    }

    /** Adds what every {@link EnvProvider}, {@link NetworkProvider} and {@link LossTermProvider} of {@code loader} gives. */
    public Registry loadProviders(ClassLoader loader) {
        envs.loadProviders(loader);
        return loadPluginProviders(loader);
    }

    private synchronized Registry loadPluginProviders(ClassLoader loader) {
        for (NetworkProvider p : ServiceLoader.load(NetworkProvider.class, loader)) {
            p.networks().forEach(this::registerNetwork);
        }
        for (LossTermProvider p : ServiceLoader.load(LossTermProvider.class, loader)) {
            p.lossTerms().forEach(this::registerLossTerm);
        }
        return this;
    }

    /** The env part of this registry. */
    public EnvRegistry envs() {
        return envs;
    }

    // ------------------------------------------------------------------------------------------------------ envs

    /** Registers (or replaces) an env spec under its id. */
    public Registry register(EnvSpec<?, ?> spec) {
        envs.register(spec);
        return this;
    }

    /** Registers a factory under {@code id} with no time limit and no reward threshold. */
    public <O, A> Registry register(String id, EnvFactory<O, A> factory) {
        envs.register(id, factory);
        return this;
    }

    /** @throws dev.proxima.core.env.EnvNotFoundException listing the known ids and the closest one */
    @Override
    public EnvSpec<?, ?> spec(String id) {
        return envs.spec(id);
    }

    /** Env ids in alphabetical order. */
    public List<String> envIds() {
        return envs.ids();
    }

    /** Every env spec, in id order. */
    public Collection<EnvSpec<?, ?>> specs() {
        return envs.specs();
    }

    // ------------------------------------------------------------------------------------------------------ networks

    /**
     * Registers (or replaces) a network factory under {@code id}. A custom factory is wrapped so that its name in
     * checkpoints is {@code id}, and {@link #loadAgent} finds it again.
     */
    public synchronized Registry registerNetwork(String id, NetworkFactory factory) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(factory, "factory");
        networks.put(id, factory instanceof Network || factory instanceof NamedNetwork ? factory
                : new NamedNetwork(id, factory));
        return this;
    }

    /** @throws PluginNotFoundException listing the known ids and the closest one */
    public synchronized NetworkFactory network(String id) {
        NetworkFactory f = networks.get(id);
        if (f == null) {
            throw new PluginNotFoundException("network", id, networks.keySet(), NETWORK_SOURCES);
        }
        return f;
    }

    /** Network ids, sorted. */
    public synchronized List<String> networkIds() {
        return List.copyOf(networks.keySet());
    }

    // ------------------------------------------------------------------------------------------------------ losses

    /** Registers (or replaces) a maker of a loss term under {@code id}; it runs once per configuration. */
    public synchronized Registry registerLossTerm(String id, Supplier<? extends LossTerm> maker) {
        lossTerms.put(Objects.requireNonNull(id, "id"), Objects.requireNonNull(maker, "maker"));
        return this;
    }

    /** A fresh instance of the loss term registered under {@code id}. */
    public LossTerm lossTerm(String id) {
        Supplier<? extends LossTerm> maker;
        synchronized (this) {
            maker = lossTerms.get(id);
            if (maker == null) {
                throw new PluginNotFoundException("loss term", id, lossTerms.keySet(), LOSS_SOURCES);
            }
        }
        return maker.get();
    }

    /** Loss term ids, sorted. */
    public synchronized List<String> lossTermIds() {
        return List.copyOf(lossTerms.keySet());
    }

    // ------------------------------------------------------------------------------------------------------ agents

    /**
     * Loads an agent, looking its env and (for a custom network) its network factory up in this registry: a custom
     * factory is found under the name the checkpoint records, which is its registered id.
     */
    public Agent loadAgent(Path file) throws IOException {
        AgentRecord r = Checkpoints.readAgent(file);
        NetworkFactory factory = null;
        if (r.network() == null) {
            synchronized (this) {
                factory = networks.get(r.networkName());
            }
        }
        return Agent.fromRecord(r, file, this, factory);
    }

    /** A registry with this one's plugins, to which {@code other}'s are added (they win on equal ids). */
    public synchronized Registry with(Registry other) {
        Registry r = new Registry(envs.copy());
        other.envs.specs().forEach(r::register);
        r.networks.putAll(networks);
        r.lossTerms.putAll(lossTerms);
        synchronized (other) {
            r.networks.putAll(other.networks);
            r.lossTerms.putAll(other.lossTerms);
        }
        return r;
    }
}
