package dev.proxima.core.env;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Finds envs by id. {@link #global()} holds every {@link EnvProvider} found by {@link ServiceLoader} on the class
 * path plus what was added with {@link #register}; an unknown id fails with {@link EnvNotFoundException} listing the
 * known ids and the closest match.
 */
public final class EnvRegistry {
    private static volatile EnvRegistry global;

    private final Map<String, EnvSpec<?, ?>> specs = new TreeMap<>();

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

    /** Registers (or replaces) a spec under its id. */
    public synchronized EnvRegistry register(EnvSpec<?, ?> spec) {
        specs.put(spec.id(), spec);
        return this;
    }

    /** Registers a factory under {@code id} with no time limit and no threshold. */
    public <O, A> EnvRegistry register(String id, EnvFactory<O, A> factory) {
        return register(new EnvSpec<>(id, factory, 0, Double.NaN));
    }

    /** The spec registered under {@code id}. */
    public synchronized EnvSpec<?, ?> spec(String id) {
        EnvSpec<?, ?> s = specs.get(id);
        if (s == null) {
            throw new EnvNotFoundException(id, specs.keySet());
        }
        return s;
    }

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
