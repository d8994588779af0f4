package dev.proxima.core.nn;

import java.util.Arrays;

/**
 * What the two {@link ActorCritic} architectures share: the float64 master parameters and gradients, argument
 * checks, and moving rows between the flat arrays of the interface and the jagged float32 rows of the layers.
 * Inference and training keep separate buffers, so {@code infer} between {@code forward} and {@code backward}
 * is harmless.
 */
abstract class DenseActorCritic implements ActorCritic {

    private final int obsDim;
    private final int policyDim;
    private final int logStdDim;
    private final double[] params;
    private final double[] grads;

    private float[][] inferObs = new float[0][];
    private float[][] trainObs = new float[0][];
    private float[][] dPolicyRows = new float[0][];
    private float[][] dValueRows = new float[0][];
    /** Rows of the last {@link #forward}, -1 before the first; which outputs it computed. */
    private int forwardRows = -1;
    private boolean forwardPolicy;
    private boolean forwardValues;
    /** {@link #architecture()}, built once (it reads only final fields): {@link #copyParamsFrom} runs every update. */
    private String architectureText;

    DenseActorCritic(int obsDim, int policyDim, int logStdDim, int networkParams) {
        if (obsDim < 1 || policyDim < 1 || logStdDim < 0) {
            throw new IllegalArgumentException("ActorCritic: obsDim = " + obsDim + ", policyDim = " + policyDim
                    + ", logStdDim = " + logStdDim + "; need obsDim >= 1, policyDim >= 1 and logStdDim >= 0.");
        }
        if ((long) networkParams + logStdDim > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("ActorCritic: " + networkParams + " + " + logStdDim
                    + " parameters do not fit in one array; use smaller layers.");
        }
        this.obsDim = obsDim;
        this.policyDim = policyDim;
        this.logStdDim = logStdDim;
        this.params = new double[networkParams + logStdDim];
        this.grads = new double[params.length];
    }

    /** Runs the networks on {@code n} rows; {@code training} selects the buffers kept for backward. */
    abstract void run(float[][] obs, int n, double[] policyOut, double[] values, boolean training);

    /** Back-propagates the given output gradients ({@code null}: zero) into {@link #grads()}. */
    abstract void backprop(float[][] dPolicy, float[][] dValue, int n);

    /** Copies the master parameters into the layers' float32 weights. */
    abstract void load(double[] params);

    /** A fresh network of the same architecture (parameters not set). */
    abstract DenseActorCritic newSameArchitecture();

    /** Architecture in configuration syntax, e.g. {@code separate(actor=[4, 64, 64, 2], critic=[...], tanh)}. */
    abstract String architecture();

    @Override
    public final int obsDim() {
        return obsDim;
    }

    @Override
    public final int policyDim() {
        return policyDim;
    }

    @Override
    public final int logStdDim() {
        return logStdDim;
    }

    @Override
    public final int logStdOffset() {
        return logStdDim == 0 ? -1 : params.length - logStdDim;
    }

    @Override
    public final int numParams() {
        return params.length;
    }

    @Override
    public final double[] params() {
        return params;
    }

    @Override
    public final double[] grads() {
        return grads;
    }

    @Override
    public final void zeroGrads() {
        clearGrads(grads);
    }

    /** Sets {@code grads} to zero; a subclass running its networks on several threads clears each one's range there. */
    void clearGrads(double[] grads) {
        Arrays.fill(grads, 0.0);
    }

    @Override
    public final void syncParams() {
        load(params);
    }

    @Override
    public final void infer(float[] obs, int n, double[] policyOut, double[] values) {
        checkForward("infer", obs, n, policyOut, values);
        inferObs = toRows(obs, n, inferObs);
        run(inferObs, n, policyOut, values, false);
    }

    @Override
    public final void forward(float[] obs, int n, double[] policyOut, double[] values) {
        checkForward("forward", obs, n, policyOut, values);
        forwardRows = -1; // if run fails half-way, no backward on stale activations
        trainObs = toRows(obs, n, trainObs);
        run(trainObs, n, policyOut, values, true);
        forwardRows = n;
        forwardPolicy = policyOut != null;
        forwardValues = values != null;
    }

    @Override
    public final void backward(double[] dPolicyOut, double[] dValues, int n) {
        if (forwardRows < 0) {
            throw new IllegalStateException("backward: no forward to back-propagate; call forward(obs, n, ...) first.");
        }
        if (n < 0 || n > forwardRows) {
            throw new IllegalArgumentException("backward: n = " + n + " but the last forward had " + forwardRows
                    + " rows; back-propagate at most the rows that were forwarded.");
        }
        if (dPolicyOut != null && !forwardPolicy) {
            throw new IllegalStateException("backward: dPolicyOut given but the last forward skipped the policy "
                    + "(policyOut was null); pass policyOut to forward.");
        }
        if (dValues != null && !forwardValues) {
            throw new IllegalStateException("backward: dValues given but the last forward skipped the values "
                    + "(values was null); pass values to forward.");
        }
        if (dPolicyOut != null) {
            checkLength("backward", "dPolicyOut", dPolicyOut.length, n, policyDim);
            dPolicyRows = ensureRows(dPolicyRows, n, policyDim);
            toRows(dPolicyOut, n, policyDim, dPolicyRows);
        }
        if (dValues != null) {
            checkLength("backward", "dValues", dValues.length, n, 1);
            dValueRows = ensureRows(dValueRows, n, 1);
            toRows(dValues, n, 1, dValueRows);
        }
        if (n > 0 && (dPolicyOut != null || dValues != null)) {
            backprop(dPolicyOut != null ? dPolicyRows : null, dValues != null ? dValueRows : null, n);
        }
    }

    @Override
    public final ActorCritic copy() {
        DenseActorCritic copy = newSameArchitecture();
        copy.copyParamsFrom(this);
        return copy;
    }

    @Override
    public final void copyParamsFrom(ActorCritic other) {
        if (!(other instanceof DenseActorCritic o) || o.logStdDim != logStdDim
                || !o.architectureText().equals(architectureText())) {
            throw new IllegalArgumentException("copyParamsFrom: architectures differ: this is " + this + ", other is "
                    + other + ". Copy only between networks made by the same Network with the same sizes.");
        }
        System.arraycopy(o.params, 0, params, 0, params.length);
        syncParams();
    }

    /** {@link #architecture()}, cached: a race only builds an equal string twice. */
    private String architectureText() {
        String a = architectureText;
        if (a == null) {
            a = architecture();
            architectureText = a;
        }
        return a;
    }

    @Override
    public final String toString() {
        return architecture() + (logStdDim > 0 ? " + log_std[" + logStdDim + "]" : "") + ", " + params.length
                + " parameters";
    }

    /** Writes the first {@code dim} floats of rows {@code r < n} into {@code out} as flat float64 rows. */
    static void toFlat(float[][] rows, int n, int dim, double[] out) {
        for (int r = 0; r < n; r++) {
            float[] row = rows[r];
            int base = r * dim;
            for (int k = 0; k < dim; k++) {
                out[base + k] = row[k];
            }
        }
    }

    /**
     * The inverse of {@link #toFlat}, rounding to float32. A method of its own (not a loop in {@link #backward}) so
     * that C2 compiles {@code backward} as a method once, not on-stack-replacement first and then again (issue 12).
     */
    static void toRows(double[] flat, int n, int dim, float[][] rows) {
        for (int r = 0; r < n; r++) {
            Dense.narrow(flat, r * dim, rows[r], dim);
        }
    }

    /** {@code rows} if it holds {@code n} rows of at least {@code dim} floats, else a new array that does. */
    static float[][] ensureRows(float[][] rows, int n, int dim) {
        return rows.length >= n ? rows : Kernels.rows(n, dim);
    }

    private float[][] toRows(float[] obs, int n, float[][] rows) {
        float[][] out = ensureRows(rows, n, obsDim);
        for (int r = 0; r < n; r++) {
            System.arraycopy(obs, r * obsDim, out[r], 0, obsDim);
        }
        return out;
    }

    private void checkForward(String method, float[] obs, int n, double[] policyOut, double[] values) {
        if (n < 0) {
            throw new IllegalArgumentException(method + ": n = " + n + " rows; n must be >= 0.");
        }
        if (obs == null) {
            throw new NullPointerException(method + ": obs is null; pass n*obsDim = " + n + "*" + obsDim + " floats.");
        }
        checkLength(method, "obs", obs.length, n, obsDim);
        if (policyOut != null) {
            checkLength(method, "policyOut", policyOut.length, n, policyDim);
        }
        if (values != null) {
            checkLength(method, "values", values.length, n, 1);
        }
    }

    private static void checkLength(String method, String name, int length, int n, int dim) {
        if (length < (long) n * dim) {
            throw new IllegalArgumentException(method + ": " + name + " has " + length + " entries but n = " + n
                    + " rows of " + dim + " need " + (long) n * dim + ".");
        }
    }
}
