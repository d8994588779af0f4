package dev.proxima.envs.gym;

import dev.proxima.core.env.EnvProvider;
import dev.proxima.core.env.EnvSpec;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Resolves ids {@code gym:<id>} to {@link GymEnv#python(String) GymEnv.python(id)} with the default options, so
 * {@code env("gym:LunarLander-v3")}, {@code PpoConfig.builder().env("gym:CartPole-v1")} and loading a checkpoint of
 * such an agent work once {@code proxima-envs} is on the class path. Lists no ids of its own.
 */
public final class GymProvider implements EnvProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public GymProvider() {}

    @Override
    public Collection<EnvSpec<?, ?>> specs() {
        return List.of();
    }

    @Override
    public Optional<EnvSpec<?, ?>> resolve(String id) {
        if (id == null || !id.startsWith(GymSpec.PREFIX) || id.length() == GymSpec.PREFIX.length()) {
            return Optional.empty();
        }
        return Optional.of(GymSpec.of(id));
    }
}
