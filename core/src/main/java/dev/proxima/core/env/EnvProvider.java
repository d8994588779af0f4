package dev.proxima.core.env;

import java.util.Collection;
import java.util.Optional;

/**
 * Service-provider interface through which {@link EnvRegistry} finds envs (DJL's {@code EngineProvider} pattern).
 * List the implementation in {@code META-INF/services/dev.proxima.core.env.EnvProvider}.
 */
public interface EnvProvider {

    /** The specs this provider contributes. Ids must be unique across all providers. */
    Collection<EnvSpec<?, ?>> specs();

    /**
     * A spec for an id that no provider lists in {@link #specs()}, for providers that serve an open-ended family of
     * ids (e.g. {@code gym:<any Gymnasium id>} from {@code proxima-envs}); empty when the id is not this provider's.
     * {@link EnvRegistry#spec} asks every provider, in the order they were loaded, and keeps the first answer. By
     * default, no id.
     */
    default Optional<EnvSpec<?, ?>> resolve(String id) {
        return Optional.empty();
    }
}
