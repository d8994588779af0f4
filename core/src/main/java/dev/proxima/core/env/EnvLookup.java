package dev.proxima.core.env;

/**
 * Finds an env spec by id; what {@code PpoConfig.Builder.env(String)} asks. {@link EnvRegistry} is the standard
 * implementation, and {@code dev.proxima.core.plugin.Registry} (envs, networks and loss terms) forwards to one.
 */
@FunctionalInterface
public interface EnvLookup {

    /**
     * The spec registered under {@code id}.
     *
     * @throws EnvNotFoundException listing the known ids and the closest match
     */
    EnvSpec<?, ?> spec(String id);

    /** The process-wide lookup: {@link EnvRegistry#global()}. */
    static EnvLookup global() {
        return EnvRegistry.global();
    }
}
