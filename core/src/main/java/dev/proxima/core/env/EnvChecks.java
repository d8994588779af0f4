package dev.proxima.core.env;

import dev.proxima.core.space.Box;
import dev.proxima.core.space.Discrete;
import dev.proxima.core.space.Space;
import java.util.Arrays;

/**
 * Enforces the env contract at run time, as Gymnasium's {@code OrderEnforcing} and {@code PassiveEnvChecker} do:
 * reset before the first step, no step after the episode ended, actions inside the action space, observations of the
 * right shape and finite, rewards finite. {@link EnvSpec#make} applies it; violations throw
 * {@link EnvContractException} naming the env, the step and the value. The checks are a few comparisons per step.
 * Over an inner env that is {@link FlatStepped}, with a {@link Box} observation space and a {@link Discrete} or
 * {@link Box} action space, it is one too and makes the same checks on the flat arrays.
 */
public final class EnvChecks<O, A> extends Wrapper<O, A> implements Snapshottable, FlatStepped {
    private boolean needsReset = true;
    private boolean everReset;
    private long episodeStep;

    public EnvChecks(Env<O, A> env) {
        super(env);
    }

    @Override
    public Reset<O> reset(long seed) {
        return checkedReset(env.reset(seed));
    }

    @Override
    public Reset<O> reset() {
        return checkedReset(env.reset());
    }

    private Reset<O> checkedReset(Reset<O> r) {
        checkObservation(r.observation(), 0);
        needsReset = false;
        everReset = true;
        episodeStep = 0;
        return r;
    }

    @Override
    public Step<O> step(A action) {
        if (needsReset) {
            throw new EnvContractException(name() + ": step " + (episodeStep + 1) + " called "
                    + (everReset ? "after the episode ended (terminated or truncated) without reset()"
                            : "before the first reset()")
                    + ". Call reset() first; a vector env does this automatically.");
        }
        if (!env.actionSpace().contains(action)) {
            throw new EnvContractException(name() + ": action " + show(action) + " at step " + (episodeStep + 1)
                    + " is outside the action space " + env.actionSpace() + ".");
        }
        Step<O> s = env.step(action);
        episodeStep++;
        checkObservation(s.observation(), episodeStep);
        if (!Double.isFinite(s.reward())) {
            throw new EnvContractException(name() + ": step " + episodeStep + " returned reward " + s.reward()
                    + "; rewards must be finite. Check the reward formula for a division by zero or overflow.");
        }
        needsReset = s.done();
        return s;
    }

    @Override
    public boolean flatSteppable() {
        Space<A> actions = env.actionSpace();
        return FlatStepped.of(env) != null && env.observationSpace() instanceof Box
                && (actions instanceof Discrete || actions instanceof Box);
    }

    @Override
    public int stepInto(float[] actions, int actionOffset, float[] obsOut, int obsOffset, double[] rewardOut,
            int rewardIndex) {
        if (needsReset) {
            step(null); // throws the object path's message
        }
        if (!flatActionInSpace(actions, actionOffset)) {
            Space<A> space = env.actionSpace();
            float first = actions[actionOffset];
            String shown = space instanceof Discrete ? "index " + first
                    : Arrays.toString(Arrays.copyOfRange(actions, actionOffset, actionOffset + space.flatDim()));
            throw new EnvContractException(name() + ": action " + shown + " at step " + (episodeStep + 1)
                    + " is outside the action space " + space + ".");
        }
        int flags = ((FlatStepped) env).stepInto(actions, actionOffset, obsOut, obsOffset, rewardOut, rewardIndex);
        episodeStep++;
        checkFlatObservation(obsOut, obsOffset, episodeStep);
        double reward = rewardOut[rewardIndex];
        if (!Double.isFinite(reward)) {
            throw new EnvContractException(name() + ": step " + episodeStep + " returned reward " + reward
                    + "; rewards must be finite. Check the reward formula for a division by zero or overflow.");
        }
        needsReset = flags != 0;
        return flags;
    }

    @Override
    public void resetInto(float[] obsOut, int obsOffset) {
        ((FlatStepped) env).resetInto(obsOut, obsOffset);
        checkFlatObservation(obsOut, obsOffset, 0);
        needsReset = false;
        everReset = true;
        episodeStep = 0;
    }

    /** What {@code actionSpace().contains(unflatten(...))} says, without unflattening. */
    private boolean flatActionInSpace(float[] actions, int offset) {
        Space<A> space = env.actionSpace();
        if (space instanceof Discrete d) {
            float a = actions[offset];
            return a == (int) a && a >= 0 && a < d.n();
        }
        Box box = (Box) space;
        for (int i = 0; i < box.flatDim(); i++) {
            float x = actions[offset + i];
            if (!(x >= box.low(i) && x <= box.high(i))) { // also false for NaN
                return false;
            }
        }
        return true;
    }

    /** {@link #checkObservation} on a flat row: the length is the space's, so only finiteness is checked. */
    private void checkFlatObservation(float[] obs, int offset, long step) {
        int dim = env.observationSpace().flatDim();
        for (int i = 0; i < dim; i++) {
            if (!Float.isFinite(obs[offset + i])) {
                throw new EnvContractException(name() + ": " + where(step) + " returned observation "
                        + Arrays.toString(Arrays.copyOfRange(obs, offset, offset + dim)) + " whose entry " + i
                        + " is " + obs[offset + i] + "; observations must be finite.");
            }
        }
    }

    /** {@code step} 0 means the reset; the message text is built only on failure (this runs every step). */
    private void checkObservation(O obs, long step) {
        Space<O> space = env.observationSpace();
        if (space instanceof Box box) {
            if (!(obs instanceof float[] x) || x.length != box.flatDim()) {
                throw new EnvContractException(name() + ": " + where(step) + " returned observation " + show(obs)
                        + " but the observation space " + box + " expects a float[" + box.flatDim() + "].");
            }
            for (int i = 0; i < x.length; i++) {
                if (!Float.isFinite(x[i])) {
                    throw new EnvContractException(name() + ": " + where(step) + " returned observation " + show(obs)
                            + " whose entry " + i + " is " + x[i] + "; observations must be finite.");
                }
            }
        } else if (!space.contains(obs)) {
            throw new EnvContractException(name() + ": " + where(step) + " returned observation " + show(obs)
                    + " outside the observation space " + space + ".");
        }
    }

    @Override
    public long[] snapshot() {
        return new long[] {needsReset ? 1 : 0, everReset ? 1 : 0, episodeStep};
    }

    @Override
    public void restore(long[] snapshot) {
        Snapshottable.checkLength(snapshot, 3, EnvChecks.class);
        needsReset = snapshot[0] != 0;
        everReset = snapshot[1] != 0;
        episodeStep = snapshot[2];
    }

    private static String where(long step) {
        return step == 0 ? "reset" : "step " + step;
    }

    static String show(Object v) {
        if (v instanceof float[] f) {
            return Arrays.toString(f);
        }
        if (v instanceof double[] d) {
            return Arrays.toString(d);
        }
        if (v instanceof int[] i) {
            return Arrays.toString(i);
        }
        return String.valueOf(v);
    }
}
