package dev.proxima.envs.classic;

import dev.proxima.core.env.EnvProvider;
import dev.proxima.core.env.EnvSpec;
import java.util.Collection;

/**
 * Registers the five classic-control envs of {@link ClassicControl} with {@link dev.proxima.core.env.EnvRegistry}
 * through {@code META-INF/services/dev.proxima.core.env.EnvProvider}, so {@code EnvRegistry.global().make("CartPole-v1",
 * seed)} works once {@code proxima-envs} is on the class path.
 */
public final class ClassicControlProvider implements EnvProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public ClassicControlProvider() {}

    @Override
    public Collection<EnvSpec<?, ?>> specs() {
        return ClassicControl.all();
    }
}
