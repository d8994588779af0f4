package dev.proxima.core.env;

import dev.proxima.core.space.Box;
import dev.proxima.core.space.Space;
import java.util.Arrays;

/**
 * Normalises each observation with running statistics of all observations seen, as Gymnasium 1.x's
 * {@code NormalizeObservation} ({@code gymnasium/wrappers/stateful_observation.py}): on every reset and step the
 * statistics are updated with the new observation (unless frozen with {@link #updateRunningMean(boolean)}), which is
 * then returned as {@code (obs - mean) / sqrt(var + epsilon)}, optionally clipped; see {@link ObservationNormalizer}.
 * The observation space becomes the unbounded box of the same shape, as in Gymnasium since 1.0.
 *
 * <p>Each call returns a new array (a caller may keep observations); the vector env normalises whole batches in place
 * instead ({@link SyncVectorEnv#observationNormalizer(ObservationNormalizer)}).
 */
public final class NormalizeObservation<A> extends Wrapper<float[], A> {
    private final ObservationNormalizer normalizer;
    private final Box space;

    /** Gymnasium's defaults: epsilon 1e-8, no clipping. */
    public NormalizeObservation(Env<float[], A> env) {
        this(env, 1e-8, Double.POSITIVE_INFINITY);
    }

    /**
     * @param epsilon added to the variance under the square root (Gymnasium: 1e-8)
     * @param clip    bound of the normalised values; {@code Double.POSITIVE_INFINITY} for none (CleanRL clips at 10)
     */
    public NormalizeObservation(Env<float[], A> env, double epsilon, double clip) {
        super(env);
        Space<float[]> s = env.observationSpace();
        if (!(s instanceof Box box)) {
            throw new IllegalArgumentException("NormalizeObservation needs a Box observation space but " + env.name()
                    + " has " + s + ".");
        }
        float[] lo = new float[box.flatDim()];
        float[] hi = new float[box.flatDim()];
        Arrays.fill(lo, Float.NEGATIVE_INFINITY);
        Arrays.fill(hi, Float.POSITIVE_INFINITY);
        this.space = new Box(lo, hi, box.shape());
        this.normalizer = new ObservationNormalizer(box.flatDim(), epsilon, clip);
    }

    @Override
    public Box observationSpace() {
        return space;
    }

    /** The normaliser, with its statistics ({@code normalizer().stats()}) for export and import. */
    public ObservationNormalizer normalizer() {
        return normalizer;
    }

    /** Shorthand for {@code normalizer().stats()}. */
    public RunningMeanStd stats() {
        return normalizer.stats();
    }

    public boolean updateRunningMean() {
        return normalizer.updateRunningMean();
    }

    /** {@code false} freezes the statistics (Gymnasium's {@code update_running_mean}), e.g. for evaluation. */
    public void updateRunningMean(boolean update) {
        normalizer.updateRunningMean(update);
    }

    @Override
    public Reset<float[]> reset(long seed) {
        Reset<float[]> r = env.reset(seed);
        return new Reset<>(normalize(r.observation()), r.info());
    }

    @Override
    public Reset<float[]> reset() {
        Reset<float[]> r = env.reset();
        return new Reset<>(normalize(r.observation()), r.info());
    }

    @Override
    public Step<float[]> step(A action) {
        Step<float[]> s = env.step(action);
        return new Step<>(normalize(s.observation()), s.reward(), s.terminated(), s.truncated(), s.info());
    }

    private float[] normalize(float[] obs) {
        if (obs == null || obs.length != normalizer.dim()) {
            throw new EnvContractException(name() + ": observation " + EnvChecks.show(obs) + " is not a float["
                    + normalizer.dim() + "] as NormalizeObservation expects.");
        }
        float[] out = obs.clone();
        normalizer.normalize(out, 1);
        return out;
    }
}
