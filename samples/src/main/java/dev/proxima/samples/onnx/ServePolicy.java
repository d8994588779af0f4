package dev.proxima.samples.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Serves a policy exported by Proxima ({@code agent.exportOnnx(path)}, {@code proxima export}) with ONNX Runtime in a
 * plain Java program: this class uses nothing of Proxima, and runs with only {@code onnxruntime.jar} on its class path.
 *
 * <pre>
 * java -cp onnxruntime-1.29.0.jar:samples/target/classes dev.proxima.samples.onnx.ServePolicy \
 *      cartpole.onnx 0.01,0.02,-0.03,0.04 0.1,0.5,-0.2,-1
 * </pre>
 *
 * Each argument after the model is one observation (comma-separated floats, as the env returns it: the model applies
 * the normaliser itself). All rows go through the model as one batch; it prints each row's action (and V(s) when the
 * model has a {@code value} output).
 */
public final class ServePolicy {
    private ServePolicy() {}

    public static void main(String[] args) throws OrtException {
        if (args.length < 2) {
            System.err.println("usage: ServePolicy MODEL.onnx OBS [OBS...]   (OBS = comma-separated floats)");
            System.exit(2);
        }
        float[][] rows = new float[args.length - 1][];
        for (int r = 0; r < rows.length; r++) {
            String[] parts = args[r + 1].split(",");
            rows[r] = new float[parts.length];
            for (int k = 0; k < parts.length; k++) {
                rows[r][k] = Float.parseFloat(parts[k].trim());
            }
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(args[0], new OrtSession.SessionOptions())) {
            for (NodeInfo in : session.getInputInfo().values()) {
                System.out.println("input  " + in.getName() + ": " + in.getInfo());
            }
            for (NodeInfo out : session.getOutputInfo().values()) {
                System.out.println("output " + out.getName() + ": " + out.getInfo());
            }
            Result result = act(env, session, rows);
            for (int r = 0; r < rows.length; r++) {
                System.out.printf(Locale.ROOT, "row %d: action %s%s%n", r, result.action(r),
                        result.values == null ? "" : String.format(Locale.ROOT, "  value %.6f", result.values[r]));
            }
        }
    }

    /** The actions (a long per row, or floats per row) and values (or null) for a batch of observations. */
    record Result(long[] discrete, float[] continuous, int actionDim, float[] values) {
        String action(int row) {
            if (discrete != null) {
                return Long.toString(discrete[row]);
            }
            StringBuilder s = new StringBuilder("[");
            for (int k = 0; k < actionDim; k++) {
                s.append(k == 0 ? "" : ", ").append(continuous[row * actionDim + k]);
            }
            return s.append(']').toString();
        }
    }

    /** Runs the model on all rows at once: input {@code observation} float32[batch, obsDim]. */
    static Result act(OrtEnvironment env, OrtSession session, float[][] rows) throws OrtException {
        int dim = rows[0].length;
        FloatBuffer obs = FloatBuffer.allocate(rows.length * dim);
        for (float[] row : rows) {
            if (row.length != dim) {
                throw new IllegalArgumentException("every observation needs " + dim + " floats; got " + row.length);
            }
            obs.put(row);
        }
        obs.flip();
        try (OnnxTensor input = OnnxTensor.createTensor(env, obs, new long[] {rows.length, dim});
                OrtSession.Result out = session.run(Map.of("observation", input))) {
            OnnxTensor action = (OnnxTensor) out.get("action").orElseThrow();
            Optional<OnnxValue> value = out.get("value");
            float[] values = value.map(v -> floats(((OnnxTensor) v).getFloatBuffer())).orElse(null);
            long[] shape = action.getInfo().getShape();
            if (action.getInfo().type == ai.onnxruntime.OnnxJavaType.INT64) {
                LongBuffer b = action.getLongBuffer();
                long[] a = new long[b.remaining()];
                b.get(a);
                return new Result(a, null, 1, values);
            }
            return new Result(null, floats(action.getFloatBuffer()), (int) shape[1], values);
        }
    }

    private static float[] floats(FloatBuffer b) {
        float[] a = new float[b.remaining()];
        b.get(a);
        return a;
    }
}
