package dev.proxima.core.nn;

import java.util.SplittableRandom;

/** Builds an {@link ActorCritic} for given input and head sizes; a plugin point (Koin, ServiceLoader, instances). */
@FunctionalInterface
public interface NetworkFactory {

    /**
     * @param obsDim    flattened observation size
     * @param policyDim logits or means per row
     * @param logStdDim Gaussian log-std parameter count, or 0
     * @param rng       the only source of randomness for initialisation
     */
    ActorCritic create(int obsDim, int policyDim, int logStdDim, SplittableRandom rng);
}
