package dev.proxima.core.dist;

import java.util.Arrays;

/**
 * Independent categorical distributions, one per component of a {@code MultiDiscrete(nvec)} action space, as CleanRL's
 * {@code ppo_multidiscrete.py}: the policy output of a row is {@code Σ nvec} logits split into consecutive blocks of
 * {@code nvec[0], nvec[1], ...}; the log-probability of an action is the sum of its components' log-probabilities and
 * the entropy is the sum of the components' entropies (the joint entropy of independent parts).
 *
 * <p>Each component is {@link CategoricalHead}'s math on its block, including action masks: the mask of a row has
 * {@link #maskDim()} {@code = Σ nvec} entries laid out like the logits, and every component needs at least one valid
 * value (a component with none is an error naming the row and component). The masks of different components are
 * independent: masks that depend on another component's choice cannot be expressed by a product distribution.
 *
 * <p>Actions are stored as {@code nvec.length} floats, the 0-based index of each component
 * ({@code MultiDiscrete.unflatten} adds the space's {@code start}). Sampling draws one {@code nextDouble()} per
 * component from {@code rngs[i]}, in component order. Stateless and thread-safe; allocates nothing per call.
 */
public final class MultiDiscreteHead extends CategoricalBlocksHead {

    private final int[] nvec;

    /** @param nvec choices per component, each at least 1; at least one component */
    public MultiDiscreteHead(int... nvec) {
        super("MultiDiscreteHead", checked(nvec), total(nvec));
        this.nvec = nvec.clone();
    }

    private static int[] checked(int[] nvec) {
        if (nvec == null || nvec.length == 0) {
            throw new IllegalArgumentException("MultiDiscreteHead: nvec = " + Arrays.toString(nvec)
                    + " has no components; use the nvec of the MultiDiscrete action space");
        }
        for (int i = 0; i < nvec.length; i++) {
            if (nvec[i] < 1) {
                throw new IllegalArgumentException("MultiDiscreteHead: nvec[" + i + "] = " + nvec[i] + " in "
                        + Arrays.toString(nvec) + "; every component needs at least 1 choice");
            }
        }
        return nvec.clone();
    }

    private static int total(int[] nvec) {
        long t = 0;
        for (int v : nvec) {
            t += v;
        }
        if (t > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("MultiDiscreteHead: Σ nvec = " + t + " logits per row is too many");
        }
        return (int) t;
    }

    /** Choices per component, a copy. */
    public int[] nvec() {
        return nvec.clone();
    }

    @Override
    public String toString() {
        return "MultiDiscreteHead(nvec = " + Arrays.toString(nvec) + ")";
    }
}
