package dev.proxima.core.export;

import dev.proxima.core.dist.CategoricalHead;
import dev.proxima.core.dist.DiagGaussianHead;
import dev.proxima.core.dist.MultiDiscreteHead;
import dev.proxima.core.dist.PolicyHead;
import dev.proxima.core.dist.TanhGaussianHead;
import dev.proxima.core.env.ActionMasked;
import dev.proxima.core.env.Env;
import dev.proxima.core.env.ObservationNormalizer;
import dev.proxima.core.export.OnnxGraph.Attr;
import dev.proxima.core.io.AtomicFiles;
import dev.proxima.core.nn.Activation;
import dev.proxima.core.nn.ActorCritic;
import dev.proxima.core.nn.Network;
import dev.proxima.core.nn.NetworkFactory;
import dev.proxima.core.ppo.Agent;
import dev.proxima.core.space.Box;
import dev.proxima.core.space.Discrete;
import dev.proxima.core.space.MultiDiscrete;
import dev.proxima.core.space.Space;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes an {@link Agent}'s deterministic policy as an <a href="https://onnx.ai">ONNX</a> model, so that it can be
 * served without Proxima (ONNX Runtime from Java, Python, C++, the browser, ...).
 *
 * <pre>{@code
 * agent.exportOnnx(Path.of("policy.onnx"));                                  // action and value outputs
 * OnnxExport.of(agent).value(false).distribution(true).write(Path.of("policy.onnx"));
 * OnnxExport.checkpoint(Path.of("runs/.../best.safetensors"), Path.of("policy.onnx"));   // proxima export
 * }</pre>
 *
 * <h2>The model</h2>
 * ONNX IR version {@value #IR_VERSION}, default operator set {@value #OPSET} (ONNX 1.12 and later, ONNX Runtime 1.12 and
 * later). Every shape starts with a free batch dimension named {@code batch}; rows are independent.
 * <table>
 * <caption>Inputs and outputs</caption>
 * <tr><th>name</th><th>type</th><th>shape</th><th>what</th></tr>
 * <tr><td>{@value #OBSERVATION}</td><td>float32</td><td>[batch, obsDim]</td><td>the flattened observation, raw (as
 *     the env returns it): the normaliser the agent was trained behind is part of the model</td></tr>
 * <tr><td>{@value #ACTION_MASK}</td><td>bool</td><td>[batch, maskDim]</td><td>input only when the agent's env reports
 *     action masks ({@code ActionMasked}): {@code true} for a valid action, laid out like the logits; the argmax is
 *     over the valid actions only</td></tr>
 * <tr><td>{@value #ACTION}</td><td>int64</td><td>[batch]</td><td>categorical head ({@code Discrete(n, start)}): the
 *     action of the most likely category (argmax of the logits, the first one on ties as {@code torch.argmax}),
 *     plus {@code start}: the value to pass to the env</td></tr>
 * <tr><td>{@value #ACTION}</td><td>int64</td><td>[batch, k]</td><td>MultiDiscrete head: one argmax per component,
 *     plus its start</td></tr>
 * <tr><td>{@value #ACTION}</td><td>float32</td><td>[batch, actionDim]</td><td>Gaussian head ({@code Box}): the mean,
 *     clipped to the action box when the agent clips actions ({@link Agent#clipsActions()}); for the tanh-squashed
 *     head, {@code low + (tanh(mean) + 1)·(high - low)/2}, the action the env receives</td></tr>
 * <tr><td>{@value #VALUE}</td><td>float32</td><td>[batch]</td><td>V(s), the critic's estimate of the discounted
 *     return (of normalised rewards if the run normalised rewards); only with {@link #value(boolean) value(true)},
 *     the default</td></tr>
 * <tr><td>{@value #LOGITS}</td><td>float32</td><td>[batch, n]</td><td>categorical head, with
 *     {@link #distribution(boolean) distribution(true)}: the unnormalised log-probabilities</td></tr>
 * <tr><td>{@value #MEAN}, {@value #LOG_STD}</td><td>float32</td><td>[batch, actionDim], [actionDim]</td><td>Gaussian
 *     head, with {@code distribution(true)}: the unclipped mean and the state-independent log standard deviation, to
 *     sample {@code mean + exp(log_std) * N(0, 1)} outside the JVM</td></tr>
 * </table>
 * Each output equals what the JVM computes ({@link Agent#actFlat actFlat(obs, true, ...)} for the action,
 * {@link Agent#value} for the value) up to float32 rounding: the tests check 1e-5 with ONNX Runtime.
 *
 * <h2>The graph</h2>
 * <ol>
 * <li>Observation normalisation, when the agent has a normaliser, as explicit operators in float64:
 *     {@code Cast → Sub(mean) → Div(sqrt(var + ε)) → Clip(±clip) → Cast}. This is the JVM's arithmetic exactly
 *     ({@link ObservationNormalizer#apply} computes in double and rounds once), so the network sees bit-identical
 *     inputs. Folding the normaliser into the first layer's weights would save three element-wise operators but
 *     cannot express the clip ({@link ObservationNormalizer#cleanRl} clips at 10) and, in float32, would round
 *     {@code W/σ} and {@code b - Wμ/σ} where small variances make the error visible.</li>
 * <li>The network, read from {@link ActorCritic#params()} in the layout {@link Network} documents: per dense layer a
 *     {@code Gemm} with {@code transB = 1} (weights stay torch's {@code [out][in]}) and a {@code Tanh} or
 *     {@code Relu}; separate actor and critic MLPs, or a shared trunk with a policy and a value {@code Gemm}.</li>
 * <li>The head: {@code ArgMax} (+ {@code Add start}) for a categorical head, per component ({@code Slice},
 *     {@code ArgMax}, {@code Concat}) for a MultiDiscrete head, after {@code Where(mask, logits, -inf)} when masked;
 *     the mean, through {@code Min}/{@code Max} with the box bounds when the agent clips actions, for a Gaussian head;
 *     {@code Tanh}, {@code Mul}, {@code Add} for the tanh-squashed head.</li>
 * </ol>
 * Only networks built by {@link Network} can be exported: the architecture of any other {@link NetworkFactory} is not
 * known here.
 */
public final class OnnxExport {
    /** ONNX IR version written ({@code IR_VERSION_2021_7_30}). */
    public static final int IR_VERSION = 8;
    /** Version of the default ({@code ai.onnx}) operator set. */
    public static final int OPSET = 17;
    /** Input: raw flattened observations, float32 [batch, obsDim]. */
    public static final String OBSERVATION = "observation";
    /** Output: the deterministic action. */
    public static final String ACTION = "action";
    /** Output: V(s), float32 [batch]. */
    public static final String VALUE = "value";
    /** Output of a categorical head with {@link #distribution(boolean) distribution(true)}. */
    public static final String LOGITS = "logits";
    /**
     * Second input of a model whose env reports action masks: bool[batch, maskDim], {@code true} for a valid action;
     * the argmax is then over the valid actions only, as the trained policy acts.
     */
    public static final String ACTION_MASK = "action_mask";
    /** Output of a Gaussian head with {@link #distribution(boolean) distribution(true)}. */
    public static final String MEAN = "mean";
    /** Output of a Gaussian head with {@link #distribution(boolean) distribution(true)}. */
    public static final String LOG_STD = "log_std";

    private static final String BATCH = "batch";

    private final Agent agent;
    private boolean value = true;
    private boolean distribution;
    /** Whether the agent's env reports action masks (read with the action space, per export). */
    private boolean masks;

    private OnnxExport(Agent agent) {
        this.agent = agent;
    }

    /** An export of {@code agent} with the {@value #ACTION} and {@value #VALUE} outputs. */
    public static OnnxExport of(Agent agent) {
        return new OnnxExport(Objects.requireNonNull(agent, "OnnxExport.of: agent is null"));
    }

    /**
     * Loads an agent checkpoint (or a training checkpoint) with {@link Agent#load(Path)} and writes its policy with the
     * default outputs to {@code onnxFile}: what {@code proxima export CHECKPOINT --onnx policy.onnx} does.
     */
    public static void checkpoint(Path checkpointFile, Path onnxFile) throws IOException {
        of(Agent.load(checkpointFile)).write(onnxFile);
    }

    /** Whether to add the {@value #VALUE} output (default {@code true}). */
    public OnnxExport value(boolean include) {
        this.value = include;
        return this;
    }

    /**
     * Whether to add the distribution's parameters as outputs (default {@code false}): {@value #LOGITS} for a
     * categorical head, {@value #MEAN} and {@value #LOG_STD} for a Gaussian head.
     */
    public OnnxExport distribution(boolean include) {
        this.distribution = include;
        return this;
    }

    /** Writes the model to {@code file} atomically (a complete file or none). */
    public void write(Path file) throws IOException {
        Objects.requireNonNull(file, "OnnxExport.write: file is null");
        byte[] model = toBytes();
        AtomicFiles.write(file, ch -> {
            ByteBuffer b = ByteBuffer.wrap(model);
            while (b.hasRemaining()) {
                ch.write(b);
            }
        });
    }

    /**
     * The serialised {@code ModelProto}.
     *
     * @throws IllegalArgumentException for a custom network factory, a policy head without an exporter, or
     *                                  non-finite parameters, naming the problem
     */
    public byte[] toBytes() {
        ActorCritic net = agent.network();
        if (!(agent.networkFactory() instanceof Network network)) {
            throw new IllegalArgumentException("OnnxExport: the agent's network was built by the custom NetworkFactory "
                    + agent.networkFactory() + " (" + className(agent.networkFactory()) + "), whose architecture the"
                    + " exporter cannot know. Only networks built by dev.proxima.core.nn.Network (Network.separate,"
                    + " Network.shared) can be exported to ONNX.");
        }
        double[] params = net.params();
        for (int i = 0; i < params.length; i++) {
            if (!Double.isFinite(params[i])) {
                throw new IllegalArgumentException("OnnxExport: parameter " + i + " of " + net + " is " + params[i]
                        + "; a policy with non-finite weights cannot be exported (the run diverged: export an earlier"
                        + " checkpoint).");
            }
        }
        Space<?> actionSpace = actionSpace();
        OnnxGraph g = new OnnxGraph();
        g.input(OBSERVATION, OnnxGraph.FLOAT, BATCH, (long) net.obsDim());
        String x = normalise(g, agent.observationNormalizer(), OBSERVATION);
        Layers layers = new Layers(g, params, network.activation());
        String policy;
        String values;
        if (network.isShared()) {
            String features = layers.mlp("trunk", x, net.obsDim(), network.trunk(), 0, true);
            int width = network.trunk()[network.trunk().length - 1];
            policy = layers.dense("policy", features, width, net.policyDim(), false);
            values = layers.dense("value_head", features, width, 1, false);
        } else {
            policy = layers.mlp("actor", x, net.obsDim(), network.actor(), net.policyDim(), false);
            values = layers.mlp("critic", x, net.obsDim(), network.critic(), 1, false);
        }
        int expected = layers.offset + net.logStdDim();
        if (expected != params.length || (net.logStdDim() > 0 && net.logStdOffset() != layers.offset)) {
            throw new IllegalStateException("OnnxExport: " + network + " with obsDim " + net.obsDim() + " and policyDim "
                    + net.policyDim() + " has " + expected + " parameters by Network's documented layout, but the"
                    + " network has " + params.length + " (log_std at " + net.logStdOffset() + "). The layout of"
                    + " ActorCritic.params() changed: update the exporter.");
        }
        double[] logStd = Arrays.copyOfRange(params, layers.offset, params.length);
        String kind = head(g, agent.head(), actionSpace, policy, logStd);
        if (value) {
            String v = g.node("Squeeze", VALUE, List.of(values, g.longs("value/axes", new long[] {1}, 1)));
            g.output(v, OnnxGraph.FLOAT, BATCH);
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("proxima.env", agent.env().id());
        meta.put("proxima.network", network.toString());
        meta.put("proxima.head", kind);
        meta.put("proxima.observation_normalizer", agent.observationNormalizer() == null ? "none" : "explicit ops");
        meta.put("proxima.clip_action", Boolean.toString(agent.clipsActions()));
        String doc = "Deterministic policy of a Proxima PPO agent for " + agent.env().id() + " (" + kind + " head, "
                + network + "). Input " + OBSERVATION + ": float32[batch, " + net.obsDim() + "], raw observations.";
        return g.toModel(IR_VERSION, OPSET, "proxima_policy", producerVersion(), doc, meta);
    }

    /** The action space of the agent's env, from a fresh unwrapped copy (as {@link Agent#load(Path)} reads it). */
    private Space<?> actionSpace() {
        try (Env<?, ?> probe = agent.env().makeUnwrapped(0)) {
            masks = agent.head().maskDim() > 0 && ActionMasked.find(probe) != null;
            return probe.actionSpace();
        }
    }

    /** Observation normalisation in float64, the JVM's arithmetic; see the class comment. */
    private static String normalise(OnnxGraph g, ObservationNormalizer norm, String obs) {
        if (norm == null) {
            return obs;
        }
        int dim = norm.dim();
        double[] mean = new double[dim];
        double[] std = new double[dim];
        for (int j = 0; j < dim; j++) {
            mean[j] = norm.stats().mean(j);
            std[j] = Math.sqrt(norm.stats().variance(j) + norm.epsilon());
        }
        String x = g.node("Cast", "obs_norm/f64", List.of(obs), Attr.i("to", OnnxGraph.DOUBLE));
        x = g.node("Sub", "obs_norm/centred", List.of(x, g.doubles("obs_norm/mean", mean, dim)));
        x = g.node("Div", "obs_norm/scaled", List.of(x, g.doubles("obs_norm/std", std, dim)));
        if (Double.isFinite(norm.clip())) {
            x = g.node("Clip", "obs_norm/clipped", List.of(x, g.doubles("obs_norm/min", new double[] {-norm.clip()}),
                    g.doubles("obs_norm/max", new double[] {norm.clip()})));
        }
        return g.node("Cast", "obs_norm/out", List.of(x), Attr.i("to", OnnxGraph.FLOAT));
    }

    /**
     * The policy head's nodes, from the network's policy output to the {@value #ACTION} output (and the distribution
     * outputs when asked): the one place to extend when a head is added. Returns the head's name for the metadata.
     */
    private String head(OnnxGraph g, PolicyHead head, Space<?> actionSpace, String policyOut, double[] logStd) {
        if (head instanceof CategoricalHead c && actionSpace instanceof Discrete d && d.n() == c.numActions()) {
            String logits = masked(g, policyOut, c.numActions());
            String action = g.node("ArgMax", d.start() == 0 ? ACTION : "action/index", List.of(logits),
                    Attr.i("axis", 1), Attr.i("keepdims", 0), Attr.i("select_last_index", 0));
            if (d.start() != 0) {
                action = g.node("Add", ACTION, List.of(action, g.longs("action/start", new long[] {d.start()})));
            }
            g.output(action, OnnxGraph.INT64, BATCH);
            if (distribution) {
                g.output(g.node("Identity", LOGITS, List.of(policyOut)), OnnxGraph.FLOAT, BATCH, (long) c.numActions());
            }
            return masks ? "categorical, masked" : "categorical";
        }
        if (head instanceof DiagGaussianHead && actionSpace instanceof Box box && box.flatDim() == head.actionDim()) {
            int dim = head.actionDim();
            String action;
            if (agent.clipsActions()) {
                String upper = g.node("Min", "action/below_high", List.of(policyOut,
                        g.floats("action/high", box.high(), dim)));
                action = g.node("Max", ACTION, List.of(upper, g.floats("action/low", box.low(), dim)));
            } else {
                action = g.node("Identity", ACTION, List.of(policyOut));
            }
            g.output(action, OnnxGraph.FLOAT, BATCH, (long) dim);
            if (distribution) {
                g.output(g.node("Identity", MEAN, List.of(policyOut)), OnnxGraph.FLOAT, BATCH, (long) dim);
                String ls = g.floats("log_std/param", toFloats(logStd, 0, dim), dim);
                g.output(g.node("Identity", LOG_STD, List.of(ls)), OnnxGraph.FLOAT, (long) dim);
            }
            return "gaussian";
        }
        if (head instanceof TanhGaussianHead && actionSpace instanceof Box box && box.flatDim() == head.actionDim()) {
            // The mode of the squashed Gaussian as the env receives it: low + (tanh(mean) + 1)·(high - low)/2.
            int dim = head.actionDim();
            float[] half = new float[dim];
            float[] mid = new float[dim];
            for (int j = 0; j < dim; j++) {
                half[j] = (box.high(j) - box.low(j)) / 2f;
                mid[j] = box.low(j) + half[j];
            }
            String t = g.node("Tanh", "action/tanh", List.of(policyOut));
            String scaled = g.node("Mul", "action/scaled", List.of(t, g.floats("action/half_range", half, dim)));
            g.output(g.node("Add", ACTION, List.of(scaled, g.floats("action/mid", mid, dim))), OnnxGraph.FLOAT,
                    BATCH, (long) dim);
            if (distribution) {
                g.output(g.node("Identity", MEAN, List.of(policyOut)), OnnxGraph.FLOAT, BATCH, (long) dim);
                String ls = g.floats("log_std/param", toFloats(logStd, 0, dim), dim);
                g.output(g.node("Identity", LOG_STD, List.of(ls)), OnnxGraph.FLOAT, (long) dim);
            }
            return "tanh-gaussian";
        }
        if (head instanceof MultiDiscreteHead && actionSpace instanceof MultiDiscrete md) {
            // One argmax per component over its slice of the logits (masked when the env masks), plus its start.
            int[] nvec = md.nvec();
            String masked = masked(g, policyOut, head.policyDim());
            List<String> parts = new java.util.ArrayList<>();
            int offset = 0;
            for (int k = 0; k < nvec.length; k++) {
                String slice = g.node("Slice", "action/" + k + "/logits", List.of(masked,
                        g.longs("action/" + k + "/from", new long[] {offset}, 1),
                        g.longs("action/" + k + "/to", new long[] {offset + nvec[k]}, 1),
                        g.longs("action/" + k + "/axis", new long[] {1}, 1)));
                String idx = g.node("ArgMax", "action/" + k + "/index", List.of(slice), Attr.i("axis", 1),
                        Attr.i("keepdims", 1), Attr.i("select_last_index", 0));
                parts.add(g.node("Add", "action/" + k, List.of(idx,
                        g.longs("action/" + k + "/start", new long[] {md.start()[k]}))));
                offset += nvec[k];
            }
            g.output(g.node("Concat", ACTION, parts, Attr.i("axis", 1)), OnnxGraph.INT64, BATCH,
                    (long) nvec.length);
            if (distribution) {
                g.output(g.node("Identity", LOGITS, List.of(policyOut)), OnnxGraph.FLOAT, BATCH,
                        (long) head.policyDim());
            }
            return masks ? "multi-discrete, masked" : "multi-discrete";
        }
        throw new IllegalArgumentException("OnnxExport: no ONNX exporter for the policy head " + head + " ("
                + className(head) + ") on the action space " + actionSpace + ". Exported: CategoricalHead on"
                + " Discrete, MultiDiscreteHead on MultiDiscrete (both with action masks), DiagGaussianHead and"
                + " TanhGaussianHead on Box.");
    }

    /**
     * The logits with the actions that {@value #ACTION_MASK} rules out set to -inf (Where), when the agent's env
     * reports action masks; the logits unchanged otherwise. The mask is a second input: bool[batch, maskDim].
     */
    private String masked(OnnxGraph g, String logits, int width) {
        if (!masks) {
            return logits;
        }
        g.input(ACTION_MASK, OnnxGraph.BOOL, BATCH, (long) width);
        return g.node("Where", "action/masked_logits", List.of(ACTION_MASK, logits,
                g.floats("action/minus_inf", new float[] {Float.NEGATIVE_INFINITY})));
    }

    /** Dense layers read from the parameter vector in order, as {@link Network}'s layout stores them. */
    private static final class Layers {
        private final OnnxGraph g;
        private final double[] params;
        private final Activation activation;
        int offset;

        Layers(OnnxGraph g, double[] params, Activation activation) {
            this.g = g;
            this.params = params;
            this.activation = activation;
        }

        /**
         * Hidden layers of the given sizes, each activated, then (if {@code out > 0}) a linear output layer; with
         * {@code activateAll} there is no output layer ({@code out} is ignored), as in a shared trunk.
         */
        String mlp(String name, String x, int in, int[] hidden, int out, boolean activateAll) {
            int width = in;
            for (int k = 0; k < hidden.length; k++) {
                x = dense(name + "/" + k, x, width, hidden[k], true);
                width = hidden[k];
            }
            return activateAll ? x : dense(name + "/" + hidden.length, x, width, out, false);
        }

        /** {@code y = x Wᵀ + b}, W stored {@code [out][in]} then b, from the current offset. */
        String dense(String name, String x, int in, int out, boolean activate) {
            if ((long) offset + (long) in * out + out > params.length) {
                throw new IllegalStateException("OnnxExport: layer " + name + " (" + in + " -> " + out + ") reads past"
                        + " the " + params.length + " parameters; the layout of ActorCritic.params() changed.");
            }
            String w = g.floats(name + "/weight", toFloats(params, offset, in * out), out, in);
            offset += in * out;
            String b = g.floats(name + "/bias", toFloats(params, offset, out), out);
            offset += out;
            String y = g.node("Gemm", name + "/linear", List.of(x, w, b), Attr.i("transB", 1));
            if (!activate) {
                return y;
            }
            return switch (activation) {
                case TANH -> g.node("Tanh", name + "/tanh", List.of(y));
                case RELU -> g.node("Relu", name + "/relu", List.of(y));
            };
        }
    }

    /** The float32 working copy of the weights, as {@link ActorCritic#syncParams()} rounds them. */
    private static float[] toFloats(double[] src, int from, int len) {
        float[] f = new float[len];
        for (int i = 0; i < len; i++) {
            f[i] = (float) src[from + i];
        }
        return f;
    }

    private static String className(Object o) {
        return o == null ? "null" : o.getClass().getName();
    }

    private static String producerVersion() {
        String v = OnnxExport.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }
}
