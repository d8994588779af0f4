package dev.proxima.core.env;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Finds envs by id. {@link #global()} holds every {@link EnvProvider} found by {@link ServiceLoader} on the class
 * path plus what was added with {@link #register}; an id that is not registered is offered to the providers'
 * {@link EnvProvider#resolve} (open-ended families such as {@code gym:<id>}); an unknown id fails with
 * {@link EnvNotFoundException} listing the known ids and the closest match.
 */
public final class EnvRegistry implements EnvLookup {
    private static volatile EnvRegistry global;

    private final Map<String, EnvSpec<?, ?>> specs = new TreeMap<>();
    private final List<EnvProvider> providers = new ArrayList<>();
    /** Specs answered by {@link EnvProvider#resolve}, kept so one id gives one spec; not listed by {@link #ids()}. */
    private final Map<String, EnvSpec<?, ?>> resolved = new HashMap<>();

    /** An empty registry. */
    public EnvRegistry() {}

    /** The process-wide registry, filled from {@code META-INF/services} on first use. */
    public static EnvRegistry global() {
        EnvRegistry g = global;
        if (g == null) {
            synchronized (EnvRegistry.class) {
                g = global;
                if (g == null) {
                    g = new EnvRegistry();
                    g.loadProviders(Thread.currentThread().getContextClassLoader());
                    global = g;
                }
            }
        }
        return g;
    }

    /** Adds the specs of every {@link EnvProvider} visible to {@code loader}. */
    public synchronized EnvRegistry loadProviders(ClassLoader loader) {
        for (EnvProvider p : ServiceLoader.load(EnvProvider.class, loader)) {
            providers.add(p);
            for (EnvSpec<?, ?> s : p.specs()) {
                EnvSpec<?, ?> old = specs.get(s.id());
                if (old != null && old.factory().getClass() != s.factory().getClass()) {
                    throw new IllegalStateException("env id " + s.id() + " is provided twice (by "
                            + old.factory().getClass().getName() + " and " + p.getClass().getName()
                            + "). Rename one of them.");
                }
                specs.put(s.id(), s);
            }
        }
        return this;
    }

    /** An independent registry with the same specs and providers; registering in it leaves this one as it is. */
    public synchronized EnvRegistry copy() {
        EnvRegistry c = new EnvRegistry();
        c.specs.putAll(specs);
        c.providers.addAll(providers);
        c.resolved.putAll(resolved);
        return c;
    }

    /** Registers (or replaces) a spec under its id. */
    public synchronized EnvRegistry register(EnvSpec<?, ?> spec) {
        specs.put(spec.id(), spec);
        return this;
    }

    /** Registers a factory under {@code id} with no time limit and no threshold. */
    public <O, A> EnvRegistry register(String id, EnvFactory<O, A> factory) {
        return register(new EnvSpec<>(id, factory, 0, Double.NaN));
    }

    /**
     * Also offers ids that are not registered to {@code provider}'s {@link EnvProvider#resolve} (after the providers
     * already known), without registering its {@link EnvProvider#specs()}: for a registry assembled by hand that should
     * resolve the same open-ended ids as another, e.g. {@code other.providers().forEach(union::resolveWith)}.
     */
    public synchronized EnvRegistry resolveWith(EnvProvider provider) {
        providers.add(java.util.Objects.requireNonNull(provider, "provider"));
        return this;
    }

    /** The providers asked to {@link EnvProvider#resolve} unregistered ids, in the order they are asked. */
    public synchronized List<EnvProvider> providers() {
        return List.copyOf(providers);
    }

    /**
     * The spec registered under {@code id}, else the first answer of the providers' {@link EnvProvider#resolve}
     * (remembered, so the same id gives the same spec).
     *
     * @throws EnvNotFoundException listing the registered ids and the closest match
     */
    @Override
    public synchronized EnvSpec<?, ?> spec(String id) {
        EnvSpec<?, ?> s = specs.get(id);
        if (s == null) {
            s = resolved.get(id);
        }
        if (s == null && id != null) {
            for (EnvProvider p : providers) {
                Optional<EnvSpec<?, ?>> r = p.resolve(id);
                if (r.isPresent()) {
                    s = r.get();
                    resolved.put(id, s);
                    break;
                }
            }
        }
        if (s == null) {
            throw new EnvNotFoundException(id, specs.keySet());
        }
        return s;
    }

    /** Whether a spec is registered under {@code id} (ids that only a provider's {@code resolve} knows do not count). */
    public synchronized boolean contains(String id) {
        return specs.containsKey(id);
    }

    /** An env made as Gymnasium's {@code make(id)} does: checked and time-limited per its spec. */
    public Env<?, ?> make(String id, long seed) {
        return spec(id).make(seed);
    }

    /** Known ids in alphabetical order. */
    public synchronized List<String> ids() {
        return List.copyOf(specs.keySet());
    }

    /** All specs in id order. */
    public synchronized Collection<EnvSpec<?, ?>> specs() {
        return List.copyOf(new LinkedHashMap<>(specs).values());
    }
}
