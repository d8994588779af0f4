package dev.proxima.samples.java;

import dev.proxima.core.env.EnvProvider;
import dev.proxima.core.env.EnvSpec;
import java.util.Collection;
import java.util.List;

/**
 * Registers {@link Catch} as {@code Catch-v0} with {@link dev.proxima.core.env.EnvRegistry}: the class is listed in
 * {@code META-INF/services/dev.proxima.core.env.EnvProvider}, so {@code PpoConfig.builder().env("Catch-v0")} (or
 * {@code env("Catch-v0")} in the DSL) finds it once this jar is on the class path. A solved episode returns +1.
 */
public final class CatchProvider implements EnvProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public CatchProvider() {}

    @Override
    public Collection<EnvSpec<?, ?>> specs() {
        return List.of(new EnvSpec<>(Catch.ID, seed -> new Catch(), 0, 0.9));
    }
}
