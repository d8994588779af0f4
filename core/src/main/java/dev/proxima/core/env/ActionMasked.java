package dev.proxima.core.env;

import dev.proxima.core.space.Discrete;
import dev.proxima.core.space.MultiDiscrete;
import dev.proxima.core.space.Space;

/**
 * An env that reports which actions are valid in its current state (sb3-contrib's {@code action_masks()}, Gymnasium's
 * {@code info["action_mask"]}), so the policy samples only among them. Implement it on the env class next to
 * {@link Env}; wrappers need not forward it: {@link #find} looks through the wrapper chain.
 *
 * <p>The mask of a {@link Discrete}{@code (n)} action space has {@code n} entries, entry {@code k} for the action
 * {@code start + k}; that of a {@link MultiDiscrete} has {@code Σ nvec} entries, component after component, entry
 * {@code k} of component {@code i} for the value {@code start[i] + k}. It is the layout of the policy head's logits
 * ({@link #maskSize}). Every state must allow at least one action (per component): a state with none is an error.
 *
 * <pre>{@code
 * public final class Connect4 implements Env<float[], Integer>, ActionMasked {
 *     public void actionMask(boolean[] mask, int offset) {
 *         for (int col = 0; col < 7; col++) {
 *             mask[offset + col] = height[col] < 6;      // a full column is not a legal move
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>The vector env gathers the masks of its copies after each step (so after an auto-reset, the mask of the new
 * episode's first state) with {@link SyncVectorEnv#actionMasks(boolean[])}; the trainer stores them with the
 * observations and passes them to the policy head when sampling and again in the update.
 */
public interface ActionMasked {

    /**
     * Writes the validity of every action in the current state: {@code mask[offset + k]} for each of the
     * {@link #maskSize} entries, {@code true} for a valid action. Write every entry (the array is reused, so an entry
     * left alone holds another state's value) and nothing outside the range; allocate nothing (called every step).
     * Called after {@code reset} and after each {@code step}, before the next action is chosen.
     */
    void actionMask(boolean[] mask, int offset);

    /**
     * Whether {@code step} throws (an {@link IllegalArgumentException} or {@link EnvContractException} naming the
     * action) when given an action the mask marks invalid. The default, {@code true}, is the recommended contract:
     * an invalid action is a bug in the caller. Return {@code false} if the env accepts it (as a no-op or a penalty)
     * instead. The env checker verifies that the env does what this says.
     */
    default boolean rejectsInvalidActions() {
        return true;
    }

    /** Mask entries for {@code actionSpace}: {@code n} for a {@link Discrete}, {@code Σ nvec} for a {@link MultiDiscrete}. */
    static int maskSize(Space<?> actionSpace) {
        if (actionSpace instanceof Discrete d) {
            return d.n();
        }
        if (actionSpace instanceof MultiDiscrete m) {
            return m.oneHotDim();
        }
        throw new IllegalArgumentException("ActionMasked: action masks apply to Discrete and MultiDiscrete action spaces,"
                + " not " + actionSpace + ". For a continuous action, bound the Box instead.");
    }

    /** The outermost {@code ActionMasked} layer of {@code env} (the env itself or a wrapper in it), or {@code null}. */
    static ActionMasked find(Env<?, ?> env) {
        return Wrapper.find(env, ActionMasked.class);
    }
}
