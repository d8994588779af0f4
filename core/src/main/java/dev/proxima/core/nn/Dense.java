package dev.proxima.core.nn;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A fully connected layer {@code y = W x + b} (torch's {@code nn.Linear}) over batches of rows, in float32.
 *
 * <p><b>Parameters</b> live in a float64 vector owned by the caller, at an offset: the weight {@code W} as torch
 * stores it ({@code [out][in]}, row-major, {@code W[j][i]} at {@code offset + j*in + i}), then the bias
 * ({@code out} values). {@link #load} copies them into float32 working weights, once in each orientation, so that
 * the forward pass ({@code y += x_i · W[:, i]}) and the input gradient ({@code dx += dy_j · W[j, :]}) are both axpy
 * loops over contiguous rows (see {@code Kernels} for why that matters to C2).
 *
 * <p><b>Batches</b> are jagged: row {@code r} of the input is {@code x[r]} (at least {@code in} floats), of the output
 * {@code y[r]}. Nothing is allocated per call. Not thread-safe: backward sums the weight gradient in a buffer of
 * the layer. {@link Mlp} splits a minibatch over threads with the package-private pieces ({@link #forwardRows},
 * {@link #backwardParams}, {@link #backwardInput}), each of which computes its part exactly as the whole would.
 */
public final class Dense {

    /**
     * Below this length an axpy loop is too short to vectorise well: the forward pass then takes one dot product
     * per output instead (policy and value heads), and the weight gradient is accumulated along the other axis.
     */
    private static final int MIN_AXPY_WIDTH = 8;

    private final int in;
    private final int out;
    /** {@code w[i][j] = W[j][i]}: one row per input, for the forward axpy. */
    private final float[][] w;
    /** {@code wT[j][i] = W[j][i]}: torch's layout, one row per output, for the input-gradient axpy and dots. */
    private final float[][] wT;
    private final float[] b;
    /**
     * Gradient of W summed over the rows of one backward, flushed into the float64 gradient vector at the end of the
     * call. Kept in torch's orientation ({@code dW[j][i]}, inner loop over the inputs, contiguous flush) unless the
     * layer has too few inputs for that loop to vectorise and more outputs (a first layer on a small observation).
     */
    private final boolean dWByInput;
    private final float[][] dW;
    private final float[] db;
    /** {@code in} zeros: where the input gradient's first pass starts from. */
    private final float[] zeros;
    /** Four columns of a batch, gathered for {@link #backward} (parallel parts bring their own). */
    private float[][] columns = new float[4][0];

    /**
     * @param in  inputs per row, at least 1
     * @param out outputs per row, at least 1
     */
    public Dense(int in, int out) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("Dense: in = " + in + " and out = " + out + "; both must be >= 1.");
        }
        if ((long) in * out + out > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("Dense: " + in + " x " + out + " weights do not fit in one array.");
        }
        this.in = in;
        this.out = out;
        this.w = Kernels.rows(in, out);
        this.wT = Kernels.rows(out, in);
        this.b = new float[out];
        this.dWByInput = in < MIN_AXPY_WIDTH && out > in;
        this.dW = dWByInput ? Kernels.rows(in, out) : Kernels.rows(out, in);
        this.db = new float[out];
        this.zeros = new float[in];
        Kernels.warmUp();
    }

    public int in() {
        return in;
    }

    public int out() {
        return out;
    }

    /** {@code in*out} weights plus {@code out} biases. */
    public int numParams() {
        return in * out + out;
    }

    /**
     * Writes CleanRL's {@code layer_init(layer, std=gain)} into {@code params} at {@code offset}: an orthogonal
     * weight times {@code gain} and a zero bias.
     */
    public void initOrthogonal(double[] params, int offset, double gain, SplittableRandom rng) {
        double[] weight = Init.orthogonal(out, in, gain, rng);
        System.arraycopy(weight, 0, params, offset, weight.length);
        Arrays.fill(params, offset + in * out, offset + in * out + out, 0.0);
    }

    /** Copies the float64 parameters at {@code offset} into the float32 working weights. */
    public void load(double[] params, int offset) {
        // Each inner loop is a small method of its own: called many times, C2 compiles it once, where one method
        // holding every loop was compiled on-stack-replacement and then again, costing a fresh JVM's start (issue 12).
        for (int j = 0; j < out; j++) {
            narrow(params, offset + j * in, wT[j], in);
        }
        // w = wT transposed: columns of wT, four at a time so each row of wT is fetched once per four entries.
        int i = 0;
        for (; i + 3 < in; i += 4) {
            gather4(wT, out, i, w[i], w[i + 1], w[i + 2], w[i + 3]);
        }
        for (; i < in; i++) {
            gather1(wT, out, i, w[i]);
        }
        narrow(params, offset + in * out, b, out);
    }

    /** {@code dst[k] = (float) src[from + k]} for {@code k < n}. */
    static void narrow(double[] src, int from, float[] dst, int n) {
        for (int k = 0; k < n; k++) {
            dst[k] = (float) src[from + k];
        }
    }

    /** {@code y[r] = W x[r] + b} for rows {@code r < n} (no activation). */
    public void forward(float[][] x, int n, float[][] y) {
        forwardRows(x, y, 0, n);
    }

    /** {@link #forward} for rows {@code from <= r < to} only: rows are independent, so threads may split them. */
    void forwardRows(float[][] x, float[][] y, int from, int to) {
        if (out >= MIN_AXPY_WIDTH) { // y[r] = b + x[r][0]·w[0] + x[r][1]·w[1] + ..., four rows per pass over w
            int r = from;
            for (; r + 3 < to; r += 4) {
                Kernels.combine4(y[r], y[r + 1], y[r + 2], y[r + 3], b, b, b, b, x[r], x[r + 1], x[r + 2], x[r + 3],
                        w, in, out);
            }
            for (; r < to; r++) {
                Kernels.combine(y[r], b, x[r], w, in, out);
            }
        } else { // a narrow head: one dot product per output, for four rows at a time
            int r = from;
            for (; r + 3 < to; r += 4) {
                for (int j = 0; j < out; j++) {
                    Kernels.dot4(wT[j], x[r], x[r + 1], x[r + 2], x[r + 3], in, b[j], y[r], y[r + 1], y[r + 2],
                            y[r + 3], j);
                }
            }
            for (; r < to; r++) {
                float[] xr = x[r];
                float[] yr = y[r];
                for (int j = 0; j < out; j++) {
                    yr[j] = b[j] + Kernels.dot(wT[j], xr, in);
                }
            }
        }
    }

    /**
     * Back-propagates {@code dy} (d loss / d y for rows {@code r < n}) given the inputs {@code x} of that forward pass:
     * adds dW and db (summed over the rows) to {@code grads} at {@code offset}, in the layout of the parameters, and
     * writes d loss / d x into {@code dx} unless it is {@code null} (the first layer needs no input gradient).
     */
    public void backward(float[][] x, float[][] dy, int n, double[] grads, int offset, float[][] dx) {
        if (columns[0].length < n) {
            columns = new float[4][n];
        }
        backwardParams(x, dy, n, grads, offset, 0, 1, columns);
        if (dx != null) {
            backwardInput(dy, dx, 0, n);
        }
    }

    /**
     * Member {@code member} of {@code members}' share of the parameter gradient: a contiguous block of the rows of
     * dW and of the entries of db, each summed over all {@code n} rows of the batch in the same order whatever the
     * split, then added to {@code grads}. The members' blocks are disjoint, so they may run at once, and the sums
     * are the same bits for any number of members. {@code columns} (four arrays of at least {@code n} floats, the
     * part's own) hold the coefficients of four dW rows: columns of {@code dy} or {@code x}.
     */
    void backwardParams(float[][] x, float[][] dy, int n, double[] grads, int offset, int member, int members,
            float[][] columns) {
        int jFrom = (int) ((long) out * member / members);
        int jTo = (int) ((long) out * (member + 1) / members);
        // db = sum_r dy[r];  dW = sum_r dy[r] ⊗ x[r], four rows per pass over dW.
        // A head's one or two outputs, each summed over the rows in the same order, kept apart from the wide layers'
        // loop so that C2's profile of that loop (its vector loop always entered) holds: with both in one loop, its
        // predicates failed when the first wide layer came and the method was compiled again. Both loops are methods
        // of their own, so that C2 compiles this one as a method, not on-stack-replacement first (issue 12).
        if (jTo - jFrom >= MIN_AXPY_WIDTH) {
            addRows(db, dy, n, jFrom, jTo);
        } else {
            addColumns(db, dy, n, jFrom, jTo);
        }
        int dWRows = dWByInput ? in : out;
        int from = (int) ((long) dWRows * member / members);
        int to = (int) ((long) dWRows * (member + 1) / members);
        // dW row u += sum_r c[r]·v[r], c a column of the batch: by input, dW[i] += x[r][i]·dy[r]; else
        // dW[j] += dy[r][j]·x[r]. Four dW rows per pass over the batch, each gathered column in its quarter of column.
        float[][] coefs = dWByInput ? x : dy;
        float[][] vecs = dWByInput ? dy : x;
        int len = dWByInput ? out : in;
        int u = from;
        float[] k0 = columns[0], k1 = columns[1], k2 = columns[2], k3 = columns[3];
        for (; u + 3 < to; u += 4) {
            gather4(coefs, n, u, k0, k1, k2, k3);
            Kernels.combine4(dW[u], dW[u + 1], dW[u + 2], dW[u + 3], dW[u], dW[u + 1], dW[u + 2], dW[u + 3],
                    k0, k1, k2, k3, vecs, n, len);
        }
        for (; u < to; u++) {
            gather1(coefs, n, u, k0);
            Kernels.combine(dW[u], dW[u], k0, vecs, n, len);
        }
        flushGrads(grads, offset, from, to, jFrom, jTo);
    }

    /** {@code y[j] += sum_r rows[r][j]} for {@code from <= j < to}, a row at a time (vector adds). */
    private static void addRows(float[] y, float[][] rows, int n, int from, int to) {
        for (int r = 0; r < n; r++) {
            Kernels.add(y, rows[r], from, to);
        }
    }

    /** {@link #addRows}, a column at a time (each a float sum over the rows in the same order). */
    private static void addColumns(float[] y, float[][] rows, int n, int from, int to) {
        for (int j = from; j < to; j++) {
            float s = y[j];
            for (int r = 0; r < n; r++) {
                s += rows[r][j];
            }
            y[j] = s;
        }
    }

    /** Columns {@code u .. u+3} of rows {@code r < n} into {@code k0 .. k3}. */
    private static void gather4(float[][] rows, int n, int u, float[] k0, float[] k1, float[] k2, float[] k3) {
        for (int r = 0; r < n; r++) {
            float[] row = rows[r];
            k0[r] = row[u];
            k1[r] = row[u + 1];
            k2[r] = row[u + 2];
            k3[r] = row[u + 3];
        }
    }

    /** Column {@code u} of rows {@code r < n} into {@code k}. */
    private static void gather1(float[][] rows, int n, int u, float[] k) {
        for (int r = 0; r < n; r++) {
            k[r] = rows[r][u];
        }
    }

    /** {@code dx[r][:] = sum_j dy[r][j] · W[j][:]} for rows {@code from <= r < to}. */
    void backwardInput(float[][] dy, float[][] dx, int from, int to) {
        int r = from;
        for (; r + 3 < to; r += 4) {
            Kernels.combine4(dx[r], dx[r + 1], dx[r + 2], dx[r + 3], zeros, zeros, zeros, zeros, dy[r], dy[r + 1],
                    dy[r + 2], dy[r + 3], wT, out, in);
        }
        for (; r < to; r++) {
            Kernels.combine(dx[r], zeros, dy[r], wT, out, in);
        }
    }

    /**
     * Adds the float32 sums of dW rows {@code [from, to)} and db entries {@code [jFrom, jTo)} to the float64
     * accumulator and clears them.
     */
    private void flushGrads(double[] grads, int offset, int from, int to, int jFrom, int jTo) {
        if (dWByInput) {
            for (int i = from; i < to; i++) {
                addStrided(grads, offset + i, in, dW[i], out);
                Arrays.fill(dW[i], 0f);
            }
        } else {
            for (int j = from; j < to; j++) {
                addInto(grads, offset + j * in, dW[j], 0, in);
                Arrays.fill(dW[j], 0f);
            }
        }
        addInto(grads, offset + in * out + jFrom, db, jFrom, jTo - jFrom);
        Arrays.fill(db, jFrom, jTo, 0f);
    }

    /** {@code g[gFrom + k] += x[xFrom + k]} for {@code k < n}. */
    private static void addInto(double[] g, int gFrom, float[] x, int xFrom, int n) {
        for (int k = 0; k < n; k++) {
            g[gFrom + k] += x[xFrom + k];
        }
    }

    /** {@code g[gFrom + k·stride] += x[k]} for {@code k < n}. */
    private static void addStrided(double[] g, int gFrom, int stride, float[] x, int n) {
        for (int k = 0; k < n; k++) {
            g[gFrom + k * stride] += x[k];
        }
    }

    @Override
    public String toString() {
        return "Dense(" + in + " -> " + out + ")";
    }
}
