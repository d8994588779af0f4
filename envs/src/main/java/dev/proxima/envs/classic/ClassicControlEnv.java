package dev.proxima.envs.classic;

import dev.proxima.core.env.Env;
import dev.proxima.core.env.EnvContractException;
import dev.proxima.core.env.FlatStepped;
import dev.proxima.core.env.Reset;
import dev.proxima.core.env.Step;
import dev.proxima.core.space.Discrete;
import dev.proxima.envs.render.Renderable;
import java.util.Arrays;
import java.util.List;
import dev.proxima.core.env.Snapshottable;
import dev.proxima.core.run.Rng;
import java.util.random.RandomGenerator;

/**
 * What the five classic-control envs share: the seeded random stream, Gymnasium's reset/step order, the checks on
 * the raw env and access to the physical state. The physics lives in the subclasses, one file each, as in
 * {@code gymnasium/envs/classic_control}.
 *
 * <p><b>Randomness.</b> {@link #reset(long)} seeds a {@link Rng}; {@link #reset()} continues it (or, if
 * the env was never seeded, starts from an unpredictable seed, as Gymnasium does). Only the reset draws are random;
 * the dynamics are deterministic. The draws follow Gymnasium's distributions, not NumPy's bit stream.
 *
 * <p><b>Contract.</b> The raw env rejects what Gymnasium's raw env asserts against: stepping before the first reset
 * (Gymnasium: "Call reset before using ..."), a {@code null} action, a discrete action outside the space, a
 * continuous action of the wrong length or {@code NaN}. It also refuses to step after an episode terminated, where
 * Gymnasium only logs a warning and returns a meaningless reward. Continuous actions outside the box are accepted and
 * clipped, exactly as Gymnasium's Pendulum and MountainCarContinuous do; {@link dev.proxima.core.env.EnvChecks}, which
 * {@code EnvSpec.make} applies, rejects them. The env never truncates: the time limit is the spec's
 * {@link dev.proxima.core.env.TimeLimit}.
 *
 * <p><b>State access.</b> {@link #state()} and {@link #setState(double...)} read and overwrite the physical state in
 * the order of {@link #stateLayout()}, as assigning {@code env.unwrapped.state} does in Gymnasium. Tests replay
 * Gymnasium's recorded trajectories this way.
 *
 * <p><b>Flat stepping.</b> Besides {@link #step}, which returns a {@link Step} holding a fresh observation array, the
 * envs are {@link FlatStepped}: {@link #stepInto} and {@link #resetInto} run the same dynamics
 * ({@link #advance}) and write the observation into the caller's array, allocating nothing, so a
 * {@link dev.proxima.core.env.SyncVectorEnv} steps them without garbage per step.
 *
 * @param <A> action type: {@code Integer} for discrete envs, {@code float[]} of length 1 for continuous ones
 */
public abstract class ClassicControlEnv<A> implements Env<float[], A>, Renderable, Snapshottable, FlatStepped {
    private Rng rng;
    private boolean hasState;
    private boolean terminated;
    /** Set by {@link #advance} through {@link #terminates}: whether the step being taken terminates. */
    private boolean stepTerminates;

    /** Subclasses are the five envs of this package. */
    ClassicControlEnv() {}

    @Override
    public final Reset<float[]> reset(long seed) {
        rng = new Rng(seed);
        return start();
    }

    @Override
    public final Reset<float[]> reset() {
        return start();
    }

    private Reset<float[]> start() {
        begin();
        return new Reset<>(observation());
    }

    private void begin() {
        if (rng == null) {
            rng = new Rng(System.nanoTime() ^ System.identityHashCode(this));
        }
        drawInitialState(rng);
        hasState = true;
        terminated = false;
    }

    @Override
    public final boolean flatSteppable() {
        return true;
    }

    /** {@link #step} with the action in the flat layout, the observation written to {@code obsOut}; never truncates. */
    @Override
    public final int stepInto(float[] actions, int actionOffset, float[] obsOut, int obsOffset, double[] rewardOut,
            int rewardIndex) {
        float a = flatAction(actions[actionOffset]);
        checkCanStep();
        double reward = advance(a);
        terminated = stepTerminates;
        writeObservation(obsOut, obsOffset);
        rewardOut[rewardIndex] = reward;
        return terminated ? TERMINATED : 0;
    }

    /** {@link #reset()} with the first observation written to {@code obsOut}. */
    @Override
    public final void resetInto(float[] obsOut, int obsOffset) {
        begin();
        writeObservation(obsOut, obsOffset);
    }

    /** A flat action checked as {@link #discreteAction} or {@link #continuousAction} check the boxed one. */
    private float flatAction(float a) {
        if (actionSpace() instanceof Discrete d) {
            if (!(a == (int) a && a >= 0 && a < d.n())) {
                throw new EnvContractException(name() + ": action index " + a + " is outside the action space "
                        + d + ".");
            }
        } else if (Float.isNaN(a)) {
            throw new EnvContractException(name() + ": action [NaN] is not a number; the action space is "
                    + actionSpace() + ". Check the policy's output for a NaN (e.g. an exploded log-std).");
        }
        return a;
    }

    /**
     * One step of the dynamics with an action already checked (a discrete index as a float, or the continuous
     * value): updates the state, reports termination with {@link #terminates} and returns the reward. Both
     * {@link #step} and {@link #stepInto} run it.
     */
    abstract double advance(float action);

    /** Called by {@link #advance} with the step's termination flag. */
    final void terminates(boolean t) {
        stepTerminates = t;
    }

    /** Names of the state variables, in the order {@link #state()} and {@link #setState} use. */
    public abstract List<String> stateLayout();

    /** A copy of the physical state, in the order of {@link #stateLayout()}. */
    public abstract double[] state();

    /**
     * Overwrites the physical state (Gymnasium's {@code env.unwrapped.state = ...}) and lets stepping continue from
     * it, even after a terminated step. The values are taken as float64, as a NumPy array of Python floats would be.
     *
     * @param state one value per entry of {@link #stateLayout()}
     */
    public final void setState(double... state) {
        List<String> layout = stateLayout();
        if (state == null || state.length != layout.size()) {
            throw new IllegalArgumentException(name() + ".setState: expected " + layout.size() + " values ("
                    + String.join(", ", layout) + ") but got "
                    + (state == null ? "null" : state.length + ": " + Arrays.toString(state)) + ".");
        }
        assignState(state);
        hasState = true;
        terminated = false;
    }

    /** Draws the start state of an episode from Gymnasium's reset distribution. */
    abstract void drawInitialState(RandomGenerator rng);

    /** Stores {@code state}, already checked for length. */
    abstract void assignState(double[] state);

    /** A fresh observation of the current state, as Gymnasium's {@code _get_obs}. */
    final float[] observation() {
        float[] o = new float[observationSpace().flatDim()];
        writeObservation(o, 0);
        return o;
    }

    /** Writes the observation of the current state ({@code _get_obs}) to {@code dst[offset..]}. */
    abstract void writeObservation(float[] dst, int offset);

    /** Throws unless a state exists and the last step did not terminate. */
    final void checkCanStep() {
        if (!hasState) {
            throw new EnvContractException(name() + ": step() called before reset(). Call reset(seed) first.");
        }
        if (terminated) {
            throw new EnvContractException(name() + ": step() called after the episode terminated. Call reset() to"
                    + " start a new episode (a vector env does this automatically).");
        }
    }

    /** Records the termination flag {@link #advance} reported and packs the result; the raw env never truncates. */
    final Step<float[]> finishStep(double reward) {
        this.terminated = stepTerminates;
        return new Step<>(observation(), reward, terminated, false);
    }

    /** Throws unless a state exists (for rendering). */
    final void checkHasState() {
        if (!hasState) {
            throw new IllegalStateException(name() + ": there is nothing to render before reset(). Call reset(seed) first.");
        }
    }

    /** {@code action} as an index of {@code Discrete(n)}, or a clear exception naming the choices. */
    final int discreteAction(Integer action, int n, String choices) {
        if (action == null || action < 0 || action >= n) {
            throw new EnvContractException(name() + ": action " + action + " is outside the action space Discrete("
                    + n + "). Use " + choices + ".");
        }
        return action;
    }

    /**
     * The single entry of a continuous action. Wrong length and NaN are rejected; values outside the box are
     * returned as they are, because Gymnasium clips them inside {@code step} (and uses the unclipped value where its
     * reward does).
     */
    final float continuousAction(float[] action) {
        if (action == null || action.length != 1) {
            throw new EnvContractException(name() + ": action "
                    + (action == null ? "null" : Arrays.toString(action)) + " must be a float[1] (the action space is "
                    + actionSpace() + ").");
        }
        float a = action[0];
        if (Float.isNaN(a)) {
            throw new EnvContractException(name() + ": action [NaN] is not a number; the action space is "
                    + actionSpace() + ". Check the policy's output for a NaN (e.g. an exploded log-std).");
        }
        return a;
    }

    /**
     * Everything that evolves: the random stream, the episode flags, the physical state and
     * {@link #extraState()}; {@link #restore} continues the env bit for bit (trainer checkpoints).
     */
    @Override
    public final long[] snapshot() {
        double[] st = state();
        long[] s = new long[5 + st.length];
        s[0] = rng == null ? 0 : 1;
        s[1] = rng == null ? 0 : rng.state();
        s[2] = (hasState ? 1 : 0) | (terminated ? 2 : 0);
        s[3] = extraState();
        s[4] = st.length;
        for (int i = 0; i < st.length; i++) {
            s[5 + i] = Double.doubleToRawLongBits(st[i]);
        }
        return s;
    }

    @Override
    public final void restore(long[] snapshot) {
        int n = stateLayout().size();
        Snapshottable.checkLength(snapshot, 5 + n, getClass());
        double[] st = new double[n];
        for (int i = 0; i < n; i++) {
            st[i] = Double.longBitsToDouble(snapshot[5 + i]);
        }
        assignState(st);
        rng = snapshot[0] == 0 ? null : Rng.fromState(snapshot[1]);
        hasState = (snapshot[2] & 1) != 0;
        terminated = (snapshot[2] & 2) != 0;
        restoreExtraState(snapshot[3]);
    }

    /** State beyond {@link #state()} that affects stepping or drawing, packed in one long (default none). */
    long extraState() {
        return 0;
    }

    /** Restores what {@link #extraState()} returned; called after {@link #assignState}. */
    void restoreExtraState(long extra) {}

    /** NumPy's {@code uniform(low, high)}: {@code low + (high - low) * U[0, 1)}. */
    static double uniform(RandomGenerator rng, double low, double high) {
        return low + (high - low) * rng.nextDouble();
    }

    /** NumPy's {@code clip} of a float64 scalar. */
    static double clip(double x, double low, double high) {
        return Math.min(Math.max(x, low), high);
    }
}
