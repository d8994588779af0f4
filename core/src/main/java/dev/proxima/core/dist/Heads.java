package dev.proxima.core.dist;

import dev.proxima.core.space.Box;
import dev.proxima.core.space.Discrete;
import dev.proxima.core.space.Space;

/** Picks the built-in {@link PolicyHead} for an action space. */
public final class Heads {

    private Heads() {}

    /**
     * {@link CategoricalHead} for a {@link Discrete} space, {@link DiagGaussianHead} over {@link Box#flatDim()}
     * dimensions for a {@link Box}.
     *
     * <p>For {@code Discrete(n, start)} the head works with indices {@code 0..n-1}: the trainer adds {@code start}
     * to a sampled index before stepping the environment (and stores the index). For a bounded {@code Box} the head
     * samples on all of {@code R^d}; clipping to the bounds happens on the way to the environment, as CleanRL's
     * {@code ClipAction} wrapper does, and the unclipped sample is what is stored.
     *
     * @throws IllegalArgumentException for any other space, naming it
     */
    public static PolicyHead forActionSpace(Space<?> space) {
        if (space == null) {
            throw new NullPointerException("Heads.forActionSpace: the action space is null; pass env.actionSpace()");
        }
        if (space instanceof Discrete discrete) {
            return new CategoricalHead(discrete.n());
        }
        if (space instanceof Box box) {
            return new DiagGaussianHead(box.flatDim());
        }
        throw new IllegalArgumentException("Heads.forActionSpace: no built-in policy head for the action space "
                + space + " (" + space.getClass().getName() + "). Built in: Discrete -> CategoricalHead,"
                + " Box -> DiagGaussianHead. Expose one of those as the env's action space (e.g. with a wrapper),"
                + " or implement PolicyHead for this space.");
    }
}
