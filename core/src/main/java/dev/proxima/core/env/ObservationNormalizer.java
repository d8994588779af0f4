package dev.proxima.core.env;

/**
 * Normalises float observation rows to zero mean and unit variance with running statistics, as Gymnasium 1.x's
 * {@code NormalizeObservation} ({@code gymnasium/wrappers/stateful_observation.py}, its vector twin in
 * {@code wrappers/vector/}) and SB3's {@code VecNormalize}: first the statistics are updated with the batch (unless
 * frozen), then each value becomes {@code (x - mean) / sqrt(var + epsilon)}, computed in double, optionally clipped to
 * {@code [-clip, clip]}, and stored as float.
 *
 * <p>Gymnasium's wrapper does not clip; CleanRL's {@code ppo_continuous_action.py} follows it with
 * {@code TransformObservation(lambda obs: np.clip(obs, -10, 10))} and SB3 clips at 10 ({@code clip_obs}).
 * {@link #gymnasium(int)} gives the unclipped form, {@link #cleanRl(int)} the clipped one.
 *
 * <p>All rows share one {@link RunningMeanStd}, so a vector env's copies are normalised alike. Not thread-safe;
 * nothing is allocated per call.
 */
public final class ObservationNormalizer {
    private final RunningMeanStd stats;
    private final double epsilon;
    private final double clip;
    private final double[] std;
    private boolean updateRunningMean = true;

    /**
     * @param dim     values per observation row
     * @param epsilon added to the variance under the square root, finite and &gt; 0 (Gymnasium: 1e-8)
     * @param clip    bound of the normalised values, &gt; 0; {@code Double.POSITIVE_INFINITY} for none
     */
    public ObservationNormalizer(int dim, double epsilon, double clip) {
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("ObservationNormalizer: epsilon = " + epsilon
                    + " must be finite and > 0 (Gymnasium uses 1e-8)");
        }
        if (!(clip > 0)) {
            throw new IllegalArgumentException("ObservationNormalizer: clip = " + clip
                    + " must be > 0; use Double.POSITIVE_INFINITY for no clipping");
        }
        this.stats = new RunningMeanStd(dim);
        this.epsilon = epsilon;
        this.clip = clip;
        this.std = new double[dim];
    }

    /** Gymnasium's {@code NormalizeObservation(env, epsilon=1e-8)}: no clipping. */
    public static ObservationNormalizer gymnasium(int dim) {
        return new ObservationNormalizer(dim, 1e-8, Double.POSITIVE_INFINITY);
    }

    /** CleanRL's continuous-action pipeline: Gymnasium's normaliser, then a clip to [-10, 10]. */
    public static ObservationNormalizer cleanRl(int dim) {
        return new ObservationNormalizer(dim, 1e-8, 10.0);
    }

    public int dim() {
        return stats.dim();
    }

    public double epsilon() {
        return epsilon;
    }

    public double clip() {
        return clip;
    }

    /** The live statistics; {@code stats().state()} and {@code stats().restore(...)} export and import them. */
    public RunningMeanStd stats() {
        return stats;
    }

    /** Whether {@link #normalize} updates the statistics (Gymnasium's {@code update_running_mean}). */
    public boolean updateRunningMean() {
        return updateRunningMean;
    }

    /** {@code false} freezes the statistics, e.g. for evaluation; {@code true} resumes updating them. */
    public void updateRunningMean(boolean update) {
        this.updateRunningMean = update;
    }

    /** Updates the statistics with rows {@code 0..n-1} (unless frozen), then normalises those rows in place. */
    public void normalize(float[] rows, int n) {
        if (updateRunningMean) {
            stats.update(rows, n, stats.dim());
        }
        apply(rows, 0, n);
    }

    /** Normalises {@code n} rows starting at row {@code firstRow} in place, without updating the statistics. */
    public void apply(float[] rows, int firstRow, int n) {
        int dim = stats.dim();
        if (firstRow < 0 || n < 0 || (long) (firstRow + n) * dim > rows.length) {
            throw new IllegalArgumentException("ObservationNormalizer.apply: rows " + firstRow + ".." + (firstRow + n)
                    + " of " + dim + " values do not fit in an array of " + rows.length);
        }
        for (int j = 0; j < dim; j++) {
            std[j] = Math.sqrt(stats.variance(j) + epsilon);
        }
        for (int r = firstRow; r < firstRow + n; r++) {
            for (int j = 0, o = r * dim; j < dim; j++) {
                // Divide, not multiply by a reciprocal: this is Gymnasium's expression, so the float results agree.
                double z = (rows[o + j] - stats.mean(j)) / std[j];
                rows[o + j] = (float) Math.max(-clip, Math.min(clip, z));
            }
        }
    }
}
