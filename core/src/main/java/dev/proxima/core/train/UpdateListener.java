package dev.proxima.core.train;

import dev.proxima.core.ppo.UpdateStats;

/** Called after every update with its statistics; a SAM type, so Java and Kotlin lambdas both fit. */
@FunctionalInterface
public interface UpdateListener {
    void onUpdate(UpdateStats stats);

    /** A listener that does nothing. */
    static UpdateListener none() {
        return s -> {};
    }
}
