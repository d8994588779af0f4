package dev.proxima.core.env;

import dev.proxima.core.space.Box;
import java.util.Arrays;

/**
 * Clips continuous actions into the inner env's {@link Box} bounds, as Gymnasium 1.x's {@code ClipAction}
 * ({@code gymnasium/wrappers/transform_action.py}). The inner env gets a clipped copy; the caller's array is left as
 * it was, so a rollout buffer keeps the raw Gaussian sample whose log-probability PPO needs (CleanRL's
 * {@code ppo_continuous_action.py} relies on this: it stores the unclipped action).
 *
 * <p>As in Gymnasium since 1.0, this wrapper's action space is the unbounded box of the same shape: every float
 * vector of the right length is a valid action. Allocation-free: the copy is a reused array, which the env contract
 * allows ({@link Env} must not keep a reference to an action array).
 */
public final class ClipAction<O> extends Wrapper<O, float[]> implements Snapshottable {
    private final Box bounds;
    private final Box unbounded;
    private final float[] clipped;

    /** @throws IllegalArgumentException if the inner action space is not a {@link Box} */
    public ClipAction(Env<O, float[]> env) {
        super(env);
        if (!(env.actionSpace() instanceof Box box)) {
            throw new IllegalArgumentException("ClipAction needs a Box action space but " + env.name() + " has "
                    + env.actionSpace() + ". Clipping only applies to continuous actions.");
        }
        this.bounds = box;
        float[] lo = new float[box.flatDim()];
        float[] hi = new float[box.flatDim()];
        Arrays.fill(lo, Float.NEGATIVE_INFINITY);
        Arrays.fill(hi, Float.POSITIVE_INFINITY);
        this.unbounded = new Box(lo, hi, box.shape());
        this.clipped = new float[box.flatDim()];
    }

    /** The unbounded box of the inner action space's shape. */
    @Override
    public Box actionSpace() {
        return unbounded;
    }

    @Override
    public Step<O> step(float[] action) {
        if (action == null || action.length != clipped.length) {
            throw new EnvContractException(name() + ": action " + EnvChecks.show(action) + " is not a float["
                    + clipped.length + "] as the action space " + bounds + " needs.");
        }
        System.arraycopy(action, 0, clipped, 0, clipped.length);
        bounds.clip(clipped); // NaN stays NaN, so an inner EnvChecks still reports it
        return env.step(clipped);
    }

    /** Stateless: the clip buffer is scratch space. */
    @Override
    public long[] snapshot() {
        return new long[0];
    }

    @Override
    public void restore(long[] snapshot) {
        Snapshottable.checkLength(snapshot, 0, ClipAction.class);
    }
}
