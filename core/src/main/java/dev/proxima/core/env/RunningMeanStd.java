package dev.proxima.core.env;

import java.util.Arrays;

/**
 * Running mean and (population) variance of a stream of vectors, per coordinate, in double precision.
 *
 * <p>Batches are merged with the parallel algorithm of Chan, Golub and LeVeque (1979), "Updating formulae and a
 * pairwise algorithm for computing sample variances" (Wikipedia, <i>Algorithms for calculating variance</i>, parallel
 * algorithm), with the same arithmetic, in the same order, as Gymnasium 1.x's {@code RunningMeanStd} and
 * {@code update_mean_var_count_from_moments} ({@code gymnasium/wrappers/utils.py}) and SB3's
 * {@code common/running_mean_std.py}:
 * <pre>
 *   delta = batchMean - mean;  tot = count + batchCount
 *   mean' = mean + delta * batchCount / tot
 *   var'  = (var * count + batchVar * batchCount + delta^2 * count * batchCount / tot) / tot;  count' = tot
 * </pre>
 * The statistics start at mean 0, variance 1 and a pseudo-count {@code epsilon} (default 1e-4): the prior keeps the
 * first normalised values finite and is forgotten after a few samples. Gymnasium's observation normaliser keeps its
 * statistics in the observation dtype (float32); we keep double, so values can differ from Gymnasium's in the 7th
 * significant digit.
 *
 * <p>Not thread-safe. {@link #update} allocates nothing.
 */
public final class RunningMeanStd {
    /** Gymnasium's and SB3's initial pseudo-count. */
    public static final double DEFAULT_EPSILON = 1e-4;

    private final int dim;
    private final double[] mean;
    private final double[] var;
    private double count;
    // Scratch for the moments of one batch, so updates allocate nothing.
    private final double[] batchMean;
    private final double[] batchVar;
    /** Also receives every batch merged here, or {@code null}; see {@link #mirrorTo}. */
    private RunningMeanStd mirror;

    /** Statistics of {@code dim}-dimensional vectors with the default pseudo-count 1e-4. */
    public RunningMeanStd(int dim) {
        this(dim, DEFAULT_EPSILON);
    }

    /**
     * @param dim     number of coordinates, at least 1
     * @param epsilon initial pseudo-count, finite and positive (Gymnasium's {@code epsilon}, default 1e-4)
     */
    public RunningMeanStd(int dim, double epsilon) {
        if (dim < 1) {
            throw new IllegalArgumentException("RunningMeanStd: dim = " + dim + " must be at least 1");
        }
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("RunningMeanStd: epsilon = " + epsilon
                    + " must be finite and > 0 (it is the initial count; Gymnasium uses 1e-4)");
        }
        this.dim = dim;
        this.mean = new double[dim];
        this.var = new double[dim];
        Arrays.fill(var, 1.0);
        this.count = epsilon;
        this.batchMean = new double[dim];
        this.batchVar = new double[dim];
    }

    public int dim() {
        return dim;
    }

    /** Number of samples seen, plus the initial pseudo-count. */
    public double count() {
        return count;
    }

    public double mean(int i) {
        return mean[i];
    }

    public double variance(int i) {
        return var[i];
    }

    /** A copy of the means. */
    public double[] mean() {
        return mean.clone();
    }

    /** A copy of the variances. */
    public double[] variance() {
        return var.clone();
    }

    /**
     * Merges a batch of {@code n} rows of {@code dim} values (row-major, from index 0). As NumPy's {@code np.mean}
     * and {@code np.var} along axis 0, the batch moments are computed in two passes: the mean, then the mean squared
     * deviation from it. {@code n = 0} changes nothing.
     */
    public void update(double[] batch, int n, int dim) {
        checkBatch(batch.length, n, dim);
        if (n == 0) {
            return;
        }
        Arrays.fill(batchMean, 0.0);
        Arrays.fill(batchVar, 0.0);
        for (int r = 0; r < n; r++) {
            for (int j = 0, o = r * dim; j < dim; j++) {
                batchMean[j] += batch[o + j];
            }
        }
        for (int j = 0; j < dim; j++) {
            batchMean[j] /= n;
        }
        for (int r = 0; r < n; r++) {
            for (int j = 0, o = r * dim; j < dim; j++) {
                double d = batch[o + j] - batchMean[j];
                batchVar[j] += d * d;
            }
        }
        for (int j = 0; j < dim; j++) {
            batchVar[j] /= n;
        }
        updateFromMoments(batchMean, batchVar, n);
    }

    /** As {@link #update(double[], int, int)} for float rows (each value widened to double first). */
    public void update(float[] batch, int n, int dim) {
        checkBatch(batch.length, n, dim);
        if (n == 0) {
            return;
        }
        Arrays.fill(batchMean, 0.0);
        Arrays.fill(batchVar, 0.0);
        for (int r = 0; r < n; r++) {
            for (int j = 0, o = r * dim; j < dim; j++) {
                batchMean[j] += batch[o + j];
            }
        }
        for (int j = 0; j < dim; j++) {
            batchMean[j] /= n;
        }
        for (int r = 0; r < n; r++) {
            for (int j = 0, o = r * dim; j < dim; j++) {
                double d = batch[o + j] - batchMean[j];
                batchVar[j] += d * d;
            }
        }
        for (int j = 0; j < dim; j++) {
            batchVar[j] /= n;
        }
        updateFromMoments(batchMean, batchVar, n);
    }

    /** Merges one sample of {@code dim} values: a batch of one, whose variance is 0. */
    public void update(double[] sample) {
        if (sample.length != dim) {
            throw new IllegalArgumentException("RunningMeanStd.update: sample has " + sample.length
                    + " values but the statistics have dim = " + dim);
        }
        System.arraycopy(sample, 0, batchMean, 0, dim);
        Arrays.fill(batchVar, 0.0);
        updateFromMoments(batchMean, batchVar, 1);
    }

    /** Merges one scalar sample; only for {@code dim = 1}. */
    public void update(double sample) {
        if (dim != 1) {
            throw new IllegalArgumentException("RunningMeanStd.update(double): the statistics have dim = " + dim
                    + "; pass a double[" + dim + "] sample instead");
        }
        batchMean[0] = sample;
        batchVar[0] = 0.0;
        updateFromMoments(batchMean, batchVar, 1);
    }

    /**
     * Merges a batch given by its moments (Gymnasium's {@code update_from_moments}).
     *
     * @param batchMean  per-coordinate mean of the batch
     * @param batchVar   per-coordinate population variance of the batch
     * @param batchCount number of samples in the batch, &gt; 0
     */
    public void updateFromMoments(double[] batchMean, double[] batchVar, double batchCount) {
        if (batchMean.length != dim || batchVar.length != dim) {
            throw new IllegalArgumentException("RunningMeanStd.updateFromMoments: got " + batchMean.length
                    + " means and " + batchVar.length + " variances for dim = " + dim);
        }
        if (!(batchCount > 0)) {
            throw new IllegalArgumentException("RunningMeanStd.updateFromMoments: batchCount = " + batchCount
                    + " must be > 0");
        }
        double totCount = count + batchCount;
        for (int j = 0; j < dim; j++) {
            // Same operation order as gymnasium/wrappers/utils.py so results agree to the last bit in float64.
            double delta = batchMean[j] - mean[j];
            double newMean = mean[j] + delta * batchCount / totCount;
            double mA = var[j] * count;
            double mB = batchVar[j] * batchCount;
            double m2 = mA + mB + delta * delta * count * batchCount / totCount;
            mean[j] = newMean;
            var[j] = m2 / totCount;
        }
        count = totCount;
        if (mirror != null) {
            mirror.updateFromMoments(batchMean, batchVar, batchCount);
        }
    }

    /**
     * From now on merges every batch merged into these statistics into {@code other} too, with the same moments
     * ({@code null} stops). A distributed sampler uses it to gather the moments its env copies saw since the
     * statistics were published, so the learner can merge every worker's batches in a fixed order.
     *
     * @throws IllegalArgumentException if {@code other} has another dim, or is these statistics
     */
    public void mirrorTo(RunningMeanStd other) {
        if (other == this || (other != null && other.dim != dim)) {
            throw new IllegalArgumentException("RunningMeanStd.mirrorTo: " + (other == this ? "statistics cannot"
                    + " mirror to themselves" : "dim " + other.dim + " differs from these statistics' dim " + dim));
        }
        this.mirror = other;
    }

    private void checkBatch(int length, int n, int dim) {
        if (dim != this.dim) {
            throw new IllegalArgumentException("RunningMeanStd.update: rows of dim = " + dim
                    + " given to statistics of dim = " + this.dim);
        }
        if (n < 0 || (long) n * dim > length) {
            throw new IllegalArgumentException("RunningMeanStd.update: n = " + n + " rows of " + dim
                    + " values need " + ((long) n * dim) + " entries but the batch array has " + length);
        }
    }

    /** A snapshot of the statistics, for checkpoints; {@link #restore} brings them back bit for bit. */
    public State state() {
        return new State(mean, var, count);
    }

    /** Replaces the statistics with a snapshot taken by {@link #state()} from statistics of the same dim. */
    public void restore(State state) {
        if (state.dim() != dim) {
            throw new IllegalArgumentException("RunningMeanStd.restore: the state has dim = " + state.dim()
                    + " but these statistics have dim = " + dim + ". Was it saved for another observation space?");
        }
        System.arraycopy(state.mean, 0, mean, 0, dim);
        System.arraycopy(state.variance, 0, var, 0, dim);
        count = state.count;
    }

    /** Copies the statistics of {@code other}, which must have the same dim. */
    public void copyFrom(RunningMeanStd other) {
        restore(other.state());
    }

    @Override
    public String toString() {
        return "RunningMeanStd(count=" + count + ", mean=" + Arrays.toString(mean) + ", var=" + Arrays.toString(var)
                + ")";
    }

    /**
     * An immutable snapshot of {@link RunningMeanStd}: per-coordinate mean and variance and the count.
     *
     * @param mean  per-coordinate means
     * @param variance per-coordinate population variances, each finite and &ge; 0
     * @param count samples seen plus the initial pseudo-count, &gt; 0
     */
    public record State(double[] mean, double[] variance, double count) {
        public State {
            if (mean.length == 0 || mean.length != variance.length) {
                throw new IllegalArgumentException("RunningMeanStd.State: " + mean.length + " means and "
                        + variance.length + " variances; need the same positive number of each");
            }
            if (!(count > 0) || Double.isInfinite(count)) {
                throw new IllegalArgumentException("RunningMeanStd.State: count = " + count
                        + " must be finite and > 0");
            }
            for (int j = 0; j < variance.length; j++) {
                if (!(variance[j] >= 0) || Double.isInfinite(variance[j]) || !Double.isFinite(mean[j])) {
                    throw new IllegalArgumentException("RunningMeanStd.State: coordinate " + j + " has mean = "
                            + mean[j] + " and var = " + variance[j]
                            + "; need a finite mean and a finite variance >= 0");
                }
            }
            mean = mean.clone();
            variance = variance.clone();
        }

        public int dim() {
            return mean.length;
        }

        @Override
        public double[] mean() {
            return mean.clone();
        }

        @Override
        public double[] variance() {
            return variance.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof State s && Arrays.equals(mean, s.mean) && Arrays.equals(variance, s.variance)
                    && Double.compare(count, s.count) == 0;
        }

        @Override
        public int hashCode() {
            return 31 * (31 * Arrays.hashCode(mean) + Arrays.hashCode(variance)) + Double.hashCode(count);
        }

        @Override
        public String toString() {
            return "State(count=" + count + ", mean=" + Arrays.toString(mean) + ", var="
                    + Arrays.toString(variance) + ")";
        }
    }
}
