package dev.proxima.envs.box2d;

import dev.proxima.core.env.EnvProvider;
import dev.proxima.core.env.EnvSpec;
import java.util.Collection;

/**
 * Registers the four Box2D envs of {@link Box2dEnvs} with {@link dev.proxima.core.env.EnvRegistry} through
 * {@code META-INF/services/dev.proxima.core.env.EnvProvider}, so {@code EnvRegistry.global().make("LunarLander-v3",
 * seed)} works once {@code proxima-envs-box2d} is on the class path. Listing the ids does not load the natives; making
 * an env does.
 */
public final class Box2dProvider implements EnvProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public Box2dProvider() {}

    @Override
    public Collection<EnvSpec<?, ?>> specs() {
        return Box2dEnvs.all();
    }
}
