package dev.proxima.core.nn;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A multi-layer perceptron: {@link Dense} layers with an {@link Activation} after each hidden layer and a linear
 * output layer (or an activated one, for a trunk that heads are stacked on).
 *
 * <p>Its parameters are the layers' parameters one after the other (see {@link Dense} for each layer's layout),
 * starting at an offset of a float64 vector owned by the caller. Batch state lives in a {@link Workspace}, so one
 * network can run inference in one workspace without disturbing the activations another keeps for backward.
 */
public final class Mlp {

    private final int[] sizes;
    private final Dense[] layers;
    private final int[] offsets;
    private final Activation activation;
    private final boolean activateOutput;
    private final int numParams;
    private final int maxWidth;

    /**
     * @param activation     applied after every hidden layer
     * @param activateOutput whether it is also applied after the last layer (a shared trunk) or not (a head)
     * @param sizes          input size, hidden sizes, output size: at least two entries, each at least 1
     */
    public Mlp(Activation activation, boolean activateOutput, int... sizes) {
        if (activation == null) {
            throw new NullPointerException("Mlp: activation is null; use Activation.TANH or Activation.RELU.");
        }
        if (sizes.length < 2) {
            throw new IllegalArgumentException("Mlp: sizes " + Arrays.toString(sizes)
                    + " must list the input size and the output size at least.");
        }
        for (int k = 0; k < sizes.length; k++) {
            if (sizes[k] < 1) {
                throw new IllegalArgumentException("Mlp: sizes " + Arrays.toString(sizes) + " has size " + sizes[k]
                        + " at position " + k + "; every layer needs at least 1 unit.");
            }
        }
        this.sizes = sizes.clone();
        this.activation = activation;
        this.activateOutput = activateOutput;
        this.layers = new Dense[sizes.length - 1];
        this.offsets = new int[layers.length];
        long total = 0;
        int widest = 0;
        for (int k = 0; k < layers.length; k++) {
            layers[k] = new Dense(sizes[k], sizes[k + 1]);
            if (total + layers[k].numParams() > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("Mlp: sizes " + Arrays.toString(sizes)
                        + " need more parameters than fit in one array; use smaller layers.");
            }
            offsets[k] = (int) total;
            total += layers[k].numParams();
            widest = Math.max(widest, sizes[k + 1]);
        }
        this.numParams = (int) total;
        this.maxWidth = widest;
    }

    public int inDim() {
        return sizes[0];
    }

    public int outDim() {
        return sizes[sizes.length - 1];
    }

    /** Input, hidden and output sizes. */
    public int[] sizes() {
        return sizes.clone();
    }

    public int numLayers() {
        return layers.length;
    }

    public Dense layer(int k) {
        return layers[k];
    }

    /** Offset of layer {@code k}'s parameters from this network's first parameter. */
    public int layerOffset(int k) {
        return offsets[k];
    }

    public int numParams() {
        return numParams;
    }

    public Activation activation() {
        return activation;
    }

    /**
     * CleanRL's {@code layer_init} for every layer: orthogonal weights with {@code hiddenGain} for hidden layers
     * and {@code outputGain} for the last one, zero biases. Layers draw from {@code rng} in order.
     */
    public void initOrthogonal(double[] params, int offset, double hiddenGain, double outputGain,
            SplittableRandom rng) {
        for (int k = 0; k < layers.length; k++) {
            double gain = k == layers.length - 1 ? outputGain : hiddenGain;
            layers[k].initOrthogonal(params, offset + offsets[k], gain, rng);
        }
    }

    /** Copies this network's float64 parameters at {@code offset} into the layers' float32 working weights. */
    public void load(double[] params, int offset) {
        for (int k = 0; k < layers.length; k++) {
            layers[k].load(params, offset + offsets[k]);
        }
    }

    public Workspace newWorkspace() {
        return new Workspace();
    }

    /**
     * Runs rows {@code r < n} of {@code x} through the network and returns the output rows, which belong to
     * {@code ws} and stay valid until its next forward. {@code ws} keeps a reference to {@code x} and the
     * activations for one {@link #backward}.
     */
    public float[][] forward(Workspace ws, float[][] x, int n) {
        ws.ensureCapacity(n);
        ws.input = x;
        ws.rows = n;
        float[][] in = x;
        for (int k = 0; k < layers.length; k++) {
            float[][] outRows = ws.outputs[k];
            layers[k].forward(in, n, outRows);
            if (k < layers.length - 1 || activateOutput) {
                int width = sizes[k + 1];
                for (int r = 0; r < n; r++) {
                    activation.apply(outRows[r], width);
                }
            }
            in = outRows;
        }
        return in;
    }

    /**
     * Back-propagates {@code dOut} (d loss / d output for rows {@code r < n} of the last {@link #forward} in
     * {@code ws}; not modified), adds the parameter gradients to {@code grads} at {@code offset}, and writes
     * d loss / d input into {@code dIn} unless it is {@code null}.
     */
    public void backward(Workspace ws, float[][] dOut, int n, double[] grads, int offset, float[][] dIn) {
        if (n > ws.rows) {
            throw new IllegalStateException("Mlp.backward: n = " + n + " but the last forward in this workspace had "
                    + ws.rows + " rows; call forward on these rows first.");
        }
        int last = layers.length - 1;
        float[][] dy = dOut;
        float[][] spare = ws.gradA;
        if (activateOutput) {
            int width = sizes[last + 1];
            for (int r = 0; r < n; r++) {
                System.arraycopy(dOut[r], 0, ws.gradB[r], 0, width);
                activation.backward(ws.outputs[last][r], ws.gradB[r], width);
            }
            dy = ws.gradB;
        }
        for (int k = last; k >= 0; k--) {
            float[][] x = k == 0 ? ws.input : ws.outputs[k - 1];
            float[][] dx = k == 0 ? dIn : spare;
            layers[k].backward(x, dy, n, grads, offset + offsets[k], dx);
            if (k > 0) {
                int width = sizes[k];
                for (int r = 0; r < n; r++) {
                    activation.backward(x[r], dx[r], width);
                }
                spare = dx == ws.gradA ? ws.gradB : ws.gradA; // dOut itself is never written
                dy = dx;
            }
        }
    }

    @Override
    public String toString() {
        return "Mlp(" + Arrays.toString(sizes) + ", " + activation + (activateOutput ? ", activated output" : "")
                + ")";
    }

    /**
     * Per-batch buffers of one {@link Mlp}: layer outputs and back-propagated gradients, grown to the largest
     * batch seen. Not thread-safe.
     */
    public final class Workspace {
        private float[][][] outputs = new float[layers.length][0][];
        private float[][] gradA = new float[0][];
        private float[][] gradB = new float[0][];
        private float[][] input;
        private int capacity;
        private int rows = -1;

        private Workspace() {}

        /** Rows this workspace holds without growing. */
        public int capacity() {
            return capacity;
        }

        /** The output rows of the last forward in this workspace. */
        public float[][] lastOutput() {
            return outputs[layers.length - 1];
        }

        void ensureCapacity(int n) {
            if (n <= capacity) {
                return;
            }
            float[][][] grown = new float[layers.length][][];
            for (int k = 0; k < layers.length; k++) {
                grown[k] = Kernels.rows(n, sizes[k + 1]);
            }
            outputs = grown;
            gradA = Kernels.rows(n, maxWidth);
            gradB = Kernels.rows(n, maxWidth);
            capacity = n;
            rows = -1; // the old activations are gone
        }
    }
}
