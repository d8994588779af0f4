package dev.proxima.envs.gym;

import dev.proxima.core.env.BatchStepped;
import dev.proxima.core.env.Env;
import dev.proxima.core.env.EnvContractException;
import dev.proxima.core.env.Reset;
import dev.proxima.core.env.Step;
import dev.proxima.core.env.StepBatch;
import dev.proxima.core.space.Space;
import java.util.Arrays;

/**
 * One copy of a Python env (Gymnasium, or any object with Gymnasium's API) running in a Python child process, for
 * training and evaluating on envs that exist only in Python.
 *
 * <pre>{@code
 * PpoConfig.builder().env("gym:LunarLander-v3")                          // by id: gymnasium.make("LunarLander-v3")
 * PpoConfig.builder().env(GymEnv.python("CartPole-v1").interpreter("/opt/venv/bin/python"))
 * GymEnv.python("my_envs.grid:GridEnv").pythonPath(Path.of("py"))         // module:Callable, no gymnasium needed
 * try (GymEnv env = GymEnv.python("CartPole-v1").makeUnwrapped(0)) {
 *     float[] obs = (float[]) env.reset(42).observation();
 *     Step<Object> s = env.step(1);
 * }
 * }</pre>
 *
 * <p><b>Ids.</b> {@code module:Callable} (a dotted attribute path after the colon) imports the module and calls the
 * attribute with the keyword arguments: a class or function returning an env with Gymnasium's API
 * ({@code observation_space}, {@code action_space}, {@code reset(seed=)}, {@code step}, {@code close}). Any other id
 * goes to {@code gymnasium.make(id, **kwargs)}, including Gymnasium's own {@code module:Env-v0} form.
 *
 * <p><b>Spaces and types.</b> {@code Box} (any shape and dtype; carried as float32, row-major) and {@code Discrete}
 * (with its {@code start}) in both directions: observations are {@code float[]} or {@code Integer}, actions
 * {@code float[]} or {@code Integer}. Other spaces are refused when the env is made, with a hint to wrap the env
 * (e.g. {@code FlattenObservation}). The {@code info} dicts are not carried: {@link Step#info()} is empty.
 *
 * <p><b>Seeds.</b> {@link #reset(long)} calls {@code reset(seed=...)} with the seed as an unsigned 64-bit integer
 * (a negative {@code long} {@code s} becomes {@code s + 2^64}; NumPy seeds must be non-negative); {@link #reset()}
 * calls {@code reset()}, continuing the env's random stream.
 *
 * <p><b>Batched stepping.</b> Copies made from one {@link GymSpec} share a Python process, which is their
 * {@link StepBatch}: {@link dev.proxima.core.env.SyncVectorEnv} (and so the trainer) steps all of them with one
 * message, resetting the copies whose episode ended in the same message, as Gymnasium's same-step auto-reset.
 * Stepped alone, a copy costs one message per step.
 *
 * <p><b>Failures.</b> An exception in Python becomes a {@link PythonEnvException} with the env id and the traceback's
 * last lines; a process that dies, or does not answer within {@link GymSpec#timeout}, is killed and reported the same
 * way, with the end of its stderr. What the Python side prints goes to {@code System.err} with the id as prefix
 * ({@link GymSpec#forwardStderr}), never into the protocol. Processes end when their last copy is closed and when the
 * JVM exits. The protocol is documented in {@code docs/gym-bridge.md}.
 */
public final class GymEnv implements Env<Object, Object>, BatchStepped {

    /** A step's result as it came from Python; {@code next} is the first observation after an auto-reset. */
    record Result(Object observation, double reward, boolean terminated, boolean truncated, Object next) {}

    private final GymSpec spec;
    private final PythonProcess process;
    private final int slot;
    private final Space<?> observationSpace;
    private final Space<?> actionSpace;
    private final int maxEpisodeSteps;
    private final double rewardThreshold;
    private final String description;

    private Result prefetched;
    private Object prefetchedAction;
    private float[] prefetchedActionCopy;
    private Object pendingReset;
    private boolean closed;

    GymEnv(GymSpec spec, PythonProcess process, int slot, Space<?> observationSpace, Space<?> actionSpace,
            int maxEpisodeSteps, double rewardThreshold, String description) {
        this.spec = spec;
        this.process = process;
        this.slot = slot;
        this.observationSpace = observationSpace;
        this.actionSpace = actionSpace;
        this.maxEpisodeSteps = maxEpisodeSteps;
        this.rewardThreshold = rewardThreshold;
        this.description = description;
    }

    /**
     * The spec of the Python env {@code id}: a Gymnasium id ({@code "CartPole-v1"}, with or without {@code gym:}) or
     * {@code "module:Callable"}. Nothing starts until a copy is made. Its options (interpreter, kwargs, python path,
     * timeout, copies per process) are set on the returned spec.
     */
    public static GymSpec python(String id) {
        return GymSpec.of(id);
    }

    /** The spec this copy was made from. */
    public GymSpec spec() {
        return spec;
    }

    /** What the Python side made, e.g. {@code gymnasium 1.2.0 CartPole-v1} or {@code my_envs:GridEnv}. */
    public String description() {
        return description;
    }

    /** The version of the Python interpreter serving this copy, e.g. {@code 3.11.2}. */
    public String pythonVersion() {
        return process.pythonVersion();
    }

    int pythonMaxEpisodeSteps() {
        return maxEpisodeSteps;
    }

    double pythonRewardThreshold() {
        return rewardThreshold;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Space<Object> observationSpace() {
        return (Space<Object>) observationSpace;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Space<Object> actionSpace() {
        return (Space<Object>) actionSpace;
    }

    @Override
    public Reset<Object> reset(long seed) {
        checkOpen("reset");
        clearPending();
        return new Reset<>(process.reset(this, true, seed));
    }

    @Override
    public Reset<Object> reset() {
        checkOpen("reset");
        if (pendingReset != null) { // reset already done by the batched step that ended the episode
            Object obs = pendingReset;
            clearPending();
            return new Reset<>(obs);
        }
        clearPending();
        return new Reset<>(process.reset(this, false, 0));
    }

    @Override
    public Step<Object> step(Object action) {
        checkOpen("step");
        Result r = prefetched;
        if (r != null) {
            boolean same = prefetchedActionCopy != null ? action instanceof float[] a
                    && Arrays.equals(a, prefetchedActionCopy) : prefetchedAction.equals(action);
            clearPending();
            if (!same) {
                throw new IllegalStateException(name() + ": a batched step sent action " + show(prefetchedAction)
                        + " to Python but " + show(action) + " reached this copy: something between the vector env"
                        + " and the copy changed the action. Reset the vector env; see BatchStepped.find for the"
                        + " wrappers batched stepping looks through.");
            }
            pendingReset = r.next();
            return new Step<>(r.observation(), r.reward(), r.terminated(), r.truncated());
        }
        if (pendingReset != null) {
            throw new EnvContractException(name() + ": step called after the episode ended without reset(). Call"
                    + " reset() first; a vector env does this automatically.");
        }
        r = process.step(this, action);
        return new Step<>(r.observation(), r.reward(), r.terminated(), r.truncated());
    }

    /** Called by {@link PythonProcess#stepAll} with this copy's action and result. */
    void prefetched(Object action, Result result) {
        if (action instanceof float[] a) {
            if (prefetchedActionCopy == null || prefetchedActionCopy.length != a.length) {
                prefetchedActionCopy = new float[a.length];
            }
            System.arraycopy(a, 0, prefetchedActionCopy, 0, a.length);
        } else {
            prefetchedActionCopy = null;
        }
        prefetchedAction = action;
        prefetched = result;
        pendingReset = null;
    }

    private void clearPending() {
        prefetched = null;
        prefetchedAction = null;
        pendingReset = null;
    }

    @Override
    public StepBatch stepBatch() {
        return process;
    }

    @Override
    public int batchSlot() {
        return slot;
    }

    @Override
    public String name() {
        return spec.id();
    }

    /** Closes this copy in Python ({@code env.close()}); the process ends with its last copy. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        process.close(this);
    }

    private void checkOpen(String what) {
        if (closed) {
            throw new IllegalStateException(name() + ": " + what + " after close(); make a new copy.");
        }
    }

    @Override
    public String toString() {
        return "GymEnv(" + spec.id() + ", " + description + ", " + observationSpace + " -> " + actionSpace + ")";
    }

    static String show(Object o) {
        if (o instanceof float[] a) {
            return Arrays.toString(a);
        }
        return String.valueOf(o) + (o == null ? "" : " (" + o.getClass().getSimpleName() + ")");
    }
}
