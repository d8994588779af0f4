package dev.proxima.samples.java;

import dev.proxima.core.env.EnvProvider;
import dev.proxima.core.env.EnvSpec;
import java.util.Collection;
import java.util.List;

/**
 * Registers {@link MaskedMaze} ({@code MaskedMaze-v0}, time limit {@value MaskedMaze#TIME_LIMIT}) and {@link Dials}
 * ({@code Dials-v0}) through {@code META-INF/services/dev.proxima.core.env.EnvProvider}.
 */
public final class MaskedMazeProvider implements EnvProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public MaskedMazeProvider() {}

    @Override
    public Collection<EnvSpec<?, ?>> specs() {
        return List.of(
                new EnvSpec<>(MaskedMaze.ID, seed -> new MaskedMaze(), MaskedMaze.TIME_LIMIT,
                        MaskedMaze.OPTIMAL_MEAN_RETURN - 0.5),
                new EnvSpec<>(Dials.ID, seed -> new Dials(), 0, 0.95 * Dials.OPTIMAL_RETURN));
    }
}
