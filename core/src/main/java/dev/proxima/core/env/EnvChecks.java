package dev.proxima.core.env;

import dev.proxima.core.space.Box;
import dev.proxima.core.space.Space;
import java.util.Arrays;

/**
 * Enforces the env contract at run time, as Gymnasium's {@code OrderEnforcing} and {@code PassiveEnvChecker} do:
 * reset before the first step, no step after the episode ended, actions inside the action space, observations of the
 * right shape and finite, rewards finite. {@link EnvSpec#make} applies it; violations throw
 * {@link EnvContractException} naming the env, the step and the value. The checks are a few comparisons per step.
 */
public final class EnvChecks<O, A> extends Wrapper<O, A> implements Snapshottable {
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
