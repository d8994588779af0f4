package dev.proxima.core.env;

import java.util.Map;

/** What {@link Env#reset} returns: the first observation of an episode and free-form info. */
public record Reset<O>(O observation, Map<String, Object> info) {
    public Reset {
        info = info == null ? Map.of() : info;
    }

    public Reset(O observation) {
        this(observation, Map.of());
    }
}
