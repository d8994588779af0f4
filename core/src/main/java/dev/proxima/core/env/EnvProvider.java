package dev.proxima.core.env;

import java.util.Collection;

/**
 * Service-provider interface through which {@link EnvRegistry} finds envs (DJL's {@code EngineProvider} pattern).
 * List the implementation in {@code META-INF/services/dev.proxima.core.env.EnvProvider}.
 */
public interface EnvProvider {

    /** The specs this provider contributes. Ids must be unique across all providers. */
    Collection<EnvSpec<?, ?>> specs();
}
