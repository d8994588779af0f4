package dev.proxima.core.nn;

import dev.proxima.core.internal.ThreadTeam;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A multi-layer perceptron: {@link Dense} layers with an {@link Activation} after each hidden layer and a linear
 * output layer (or an activated one, for a trunk that heads are stacked on).
 *
 * <p>Its parameters are the layers' parameters one after the other (see {@link Dense} for each layer's layout),
 * starting at an offset of a float64 vector owned by the caller. Batch state lives in a {@link Workspace}, so one
 * network can run inference in one workspace without disturbing the activations another keeps for backward.
 *
 * <p>With a {@link ThreadTeam} ({@link #useThreads}) a batch of at least {@link #MIN_PARALLEL_ROWS} rows is split
 * over the team: forward by rows (rows are independent through the whole network, so one hand-off per forward),
 * backward layer by layer, the input gradient by rows and the parameter gradient by rows of dW (each summed over the
 * batch rows in the same order as on one thread). Every float is computed by the same operations in the same order
 * whatever the team's size, so results are bit-identical for any number of threads.
 */
public final class Mlp {

    /**
     * Below this many rows a layer is a few microseconds of work, the order of a hand-off to the team, so it runs on
     * the caller. The results do not depend on this choice.
     */
    static final int MIN_PARALLEL_ROWS = 32;

    private final int[] sizes;
    private final Dense[] layers;
    private final int[] offsets;
    private final Activation activation;
    private final boolean activateOutput;
    private final int numParams;
    private final int maxWidth;

    private ThreadTeam team = ThreadTeam.solo();
    // The arguments of the section the team is running: fields, so that the tasks are built once (no allocation
    // per call).
    private Workspace taskWs;
    private float[][] taskX;
    private float[][] taskDy;
    private float[][] taskDx;
    private double[] taskGrads;
    private int taskN;
    private int taskLayer;
    private int taskOffset;
    /** Per part, four columns of the batch for {@link Dense#backwardParams}. */
    private float[][][] columns = new float[1][4][0];
    private final ThreadTeam.Task forwardTask = this::forwardShare;
    private final ThreadTeam.Task backwardTask = this::backwardShare;

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
     * Splits batches of {@link #MIN_PARALLEL_ROWS} rows or more over {@code team} from now on (the solo team: no
     * split). The team is the caller's to close; this network only borrows it, from one thread at a time.
     */
    public void useThreads(ThreadTeam team) {
        this.team = team == null ? ThreadTeam.solo() : team;
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
        taskWs = ws;
        taskX = x;
        taskN = n;
        try {
            team.run(forwardTask, n >= MIN_PARALLEL_ROWS);
        } finally {
            taskWs = null;
            taskX = null;
        }
        return ws.outputs[layers.length - 1];
    }

    /** One member's rows of {@link #forward}, through every layer. */
    private void forwardShare(int member, int members) {
        int from = ThreadTeam.start(taskN, member, members);
        int to = ThreadTeam.end(taskN, member, members);
        Workspace ws = taskWs;
        float[][] in = taskX;
        for (int k = 0; k < layers.length; k++) {
            float[][] outRows = ws.outputs[k];
            layers[k].forwardRows(in, outRows, from, to);
            if (k < layers.length - 1 || activateOutput) {
                int width = sizes[k + 1];
                for (int r = from; r < to; r++) {
                    activation.apply(outRows[r], width);
                }
            }
            in = outRows;
        }
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
        boolean parallel = n >= MIN_PARALLEL_ROWS;
        if (columns.length < team.size() || columns[0][0].length < n) {
            columns = new float[team.size()][4][Math.max(n, columns[0][0].length)];
        }
        taskN = n;
        taskGrads = grads;
        try {
            for (int k = last; k >= 0; k--) {
                float[][] x = k == 0 ? ws.input : ws.outputs[k - 1];
                float[][] dx = k == 0 ? dIn : spare;
                taskLayer = k;
                taskX = x;
                taskDy = dy;
                taskDx = dx;
                taskOffset = offset + offsets[k];
                team.run(backwardTask, parallel);
                if (k > 0) {
                    spare = dx == ws.gradA ? ws.gradB : ws.gradA; // dOut itself is never written
                    dy = dx;
                }
            }
        } finally {
            taskX = null;
            taskDy = null;
            taskDx = null;
            taskGrads = null;
        }
    }

    /**
     * One member's share of layer {@code taskLayer}'s backward: its block of the parameter gradient, and its rows
     * of the input gradient with the activation's derivative applied.
     */
    private void backwardShare(int member, int members) {
        int k = taskLayer;
        int n = taskN;
        layers[k].backwardParams(taskX, taskDy, n, taskGrads, taskOffset, member, members, columns[member]);
        float[][] dx = taskDx;
        if (dx != null) {
            int from = ThreadTeam.start(n, member, members);
            int to = ThreadTeam.end(n, member, members);
            layers[k].backwardInput(taskDy, dx, from, to);
            if (k > 0) {
                int width = sizes[k];
                float[][] x = taskX;
                for (int r = from; r < to; r++) {
                    activation.backward(x[r], dx[r], width);
                }
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
