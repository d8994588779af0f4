package dev.proxima.core.plugin;

import dev.proxima.core.nn.ActorCritic;
import dev.proxima.core.nn.NetworkFactory;
import java.util.SplittableRandom;

/**
 * A registered network factory under its id: its {@code toString()} is the id, so a checkpoint of an agent trained
 * with it names the id, and {@link Registry#loadAgent} finds the factory again.
 */
record NamedNetwork(String id, NetworkFactory factory) implements NetworkFactory {
    @Override
    public ActorCritic create(int obsDim, int policyDim, int logStdDim, SplittableRandom rng) {
        return factory.create(obsDim, policyDim, logStdDim, rng);
    }

    @Override
    public String toString() {
        return id;
    }
}
