package dev.proxima.core.dist;

import dev.proxima.core.space.Box;
import dev.proxima.core.space.Discrete;
import dev.proxima.core.space.MultiDiscrete;
import dev.proxima.core.space.Space;
import java.util.Objects;

/** Picks the built-in {@link PolicyHead} for an action space. */
public final class Heads {

    private Heads() {}

    /**
     * {@link CategoricalHead} for a {@link Discrete} space, {@link MultiDiscreteHead} for a {@link MultiDiscrete},
     * {@link DiagGaussianHead} over {@link Box#flatDim()} dimensions for a {@link Box}: the head for
     * {@link HeadOptions#DEFAULTS}.
     *
     * <p>For {@code Discrete(n, start)} the head works with indices {@code 0..n-1}: the trainer adds {@code start}
     * to a sampled index before stepping the environment (and stores the index); likewise per component for a
     * {@code MultiDiscrete} (its {@code unflatten} adds the starts). For a bounded {@code Box} the head samples on all
     * of {@code R^d}; clipping to the bounds happens on the way to the environment, as CleanRL's {@code ClipAction}
     * wrapper does, and the unclipped sample is what is stored.
     *
     * @throws IllegalArgumentException for any other space, naming it
     */
    public static PolicyHead forActionSpace(Space<?> space) {
        return forActionSpace(space, HeadOptions.DEFAULTS);
    }

    /**
     * As {@link #forActionSpace(Space)}, with the {@code Box} handled as {@code options} say: {@code clip} gives a
     * {@link DiagGaussianHead}, {@code tanh} a {@link TanhGaussianHead} (which needs a bounded box), both with
     * {@code options.logStdBound()}. The options do not affect discrete spaces.
     *
     * @throws IllegalArgumentException for an unsupported space, or {@code tanh} with an unbounded box
     */
    public static PolicyHead forActionSpace(Space<?> space, HeadOptions options) {
        if (space == null) {
            throw new NullPointerException("Heads.forActionSpace: the action space is null; pass env.actionSpace()");
        }
        Objects.requireNonNull(options, "Heads.forActionSpace: options");
        if (space instanceof Discrete discrete) {
            return new CategoricalHead(discrete.n());
        }
        if (space instanceof MultiDiscrete multi) {
            return new MultiDiscreteHead(multi.nvec());
        }
        if (space instanceof Box box) {
            return switch (options.continuous()) {
                case CLIP -> new DiagGaussianHead(box.flatDim(), options.logStdBound());
                case TANH -> new TanhGaussianHead(box, options.logStdBound());
            };
        }
        throw new IllegalArgumentException("Heads.forActionSpace: no built-in policy head for the action space "
                + space + " (" + space.getClass().getName() + "). Built in: Discrete -> CategoricalHead,"
                + " MultiDiscrete -> MultiDiscreteHead, Box -> DiagGaussianHead (clip) or TanhGaussianHead (tanh)."
                + " Expose one of those as the env's action space (e.g. with a wrapper), or implement PolicyHead for"
                + " this space.");
    }
}
