package dev.proxima.core.checkpoint;

import dev.proxima.core.env.RunningMeanStd;
import dev.proxima.core.internal.Json;
import dev.proxima.core.io.SafeTensors;
import dev.proxima.core.io.SafeTensors.Dtype;
import dev.proxima.core.io.SafeTensors.Tensor;
import dev.proxima.core.nn.Activation;
import dev.proxima.core.nn.Network;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checkpoint files: one <a href="https://github.com/huggingface/safetensors">safetensors</a> file per checkpoint,
 * written atomically (temporary file, fsync, rename), that executes nothing when read.
 *
 * <h2>Format (version 2)</h2>
 * The header's {@code __metadata__} holds strings: {@code format = proxima-checkpoint}, {@code format_version = 2},
 * {@code kind} ({@code agent} or {@code training}), {@code env} (id), {@code network} (JSON: {@code kind} separate or
 * shared with the hidden sizes {@code actor}, {@code critic}, {@code trunk} and {@code activation}; or {@code custom}
 * with the factory's {@code description}), {@code head} ({@code categorical} or {@code gaussian}), {@code obs_dim},
 * {@code policy_dim}, {@code log_std_dim}, {@code clip_action}, {@code obs_norm} (JSON: count, epsilon, clip) when
 * observations are normalised, {@code extra.<key>} for any further agent metadata, and {@code crc32c}: a JSON object
 * giving every tensor's CRC-32C (of its little-endian bytes, 8 hex digits). A training checkpoint adds {@code config}
 * (JSON of the configuration's {@code toMap()}), {@code total_steps}, {@code num_updates}, {@code update},
 * {@code global_step}, {@code adam_t}, {@code started}, {@code envs_resumable}, {@code loss_state} and
 * {@code callback_state} (JSON: key to a map of numbers), {@code rew_norm} (JSON: count, gamma, epsilon, clip) and
 * {@code seconds}.
 *
 * <p>Tensors: {@code params} (F64, the master parameters in {@code ActorCritic}'s layout); {@code obs_norm.mean},
 * {@code obs_norm.var} (F64). Training only: {@code adam.m}, {@code adam.v} (F64); {@code rng.shuffle} (I64[1]),
 * {@code rng.actions} (I64[numEnvs]), {@code env_seeds} (I64); {@code next_obs} (F32, normalised);
 * {@code rew_norm.mean}, {@code rew_norm.var}, {@code rew_norm.returns} (F64); {@code episode.return} (F64),
 * {@code episode.length} (I64); and per env copy {@code env.<i>} (I64: the number of wrapper layers, each layer's
 * length, then each layer's state).
 *
 * <h2>What reading checks</h2>
 * Before anything is allocated beyond the file's own tensors: the structure (by {@link SafeTensors#read}), the format
 * tag and version, every tensor's checksum, every metadata value's type and range (a message names the file, the key,
 * the value and what was expected), the declared network's parameter count against the {@code params} tensor (and a
 * bound of {@link #MAX_PARAMS}), every tensor's dtype and length against the declared sizes, finite weights,
 * optimiser moments and normaliser statistics (naming the tensor and index), and for a training checkpoint a
 * consistent position ({@code 0 <= update <= num_updates}, {@code global_step = update × numEnvs × numSteps}).
 *
 * <p>Version 1 files (written before checksums) are read without the checksum check; files of other tools have no
 * {@code format} tag and are refused. Nothing here knows the trainer: it reads and writes {@link AgentRecord}s and
 * {@link RunRecord}s.
 */
public final class Checkpoints {
    public static final String FORMAT = "proxima-checkpoint";
    public static final int VERSION = 2;
    /** Networks with more parameters are refused before anything is allocated (2^28 doubles = 2 GiB). */
    public static final long MAX_PARAMS = 1L << 28;
    /** Sizes (observation floats, policy outputs, hidden units, env copies) above this are refused as corrupt. */
    static final int MAX_DIM = 1 << 24;

    public static final String KIND_AGENT = "agent";
    public static final String KIND_TRAINING = "training";

    private Checkpoints() {}

    // ---------------------------------------------------------------------------------------------------------------
    // Writing
    // ---------------------------------------------------------------------------------------------------------------

    /** Writes an agent checkpoint atomically. */
    public static void write(AgentRecord agent, Path file) throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>();
        Map<String, String> meta = new LinkedHashMap<>();
        agentPart(agent, meta, t);
        meta.put("kind", KIND_AGENT);
        finish(meta, t, file);
    }

    /** Writes a training checkpoint atomically. */
    public static void write(RunRecord run, Path file) throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>();
        Map<String, String> meta = new LinkedHashMap<>();
        agentPart(run.agent(), meta, t);
        meta.put("kind", KIND_TRAINING);
        meta.put("config", Json.writeCompact(run.config(), Json.NonFinite.AS_STRING));
        meta.put("total_steps", Long.toString(run.totalSteps()));
        meta.put("num_updates", Integer.toString(run.numUpdates()));
        meta.put("update", Integer.toString(run.update()));
        meta.put("global_step", Long.toString(run.globalStep()));
        meta.put("adam_t", Long.toString(run.adamT()));
        meta.put("started", Boolean.toString(run.started()));
        meta.put("envs_resumable", Boolean.toString(run.envsResumable()));
        meta.put("loss_state", Json.writeCompact(run.lossState(), Json.NonFinite.AS_STRING));
        meta.put("callback_state", Json.writeCompact(run.callbackState(), Json.NonFinite.AS_STRING));
        meta.put("seconds", Double.toString(run.seconds()));
        t.put("adam.m", vec(run.adamM()));
        t.put("adam.v", vec(run.adamV()));
        t.put("rng.shuffle", vec(new long[] {run.shuffleRng()}));
        t.put("rng.actions", vec(run.actionRngs()));
        t.put("env_seeds", vec(run.envSeeds()));
        t.put("next_obs", vec(run.nextObs()));
        NormalizerRecord rew = run.rewardNorm();
        if (rew != null) {
            t.put("rew_norm.mean", vec(rew.stats().mean()));
            t.put("rew_norm.var", vec(rew.stats().variance()));
            t.put("rew_norm.returns", vec(rew.returns()));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("count", rew.stats().count());
            m.put("gamma", rew.gamma());
            m.put("epsilon", rew.epsilon());
            m.put("clip", rew.clip());
            meta.put("rew_norm", Json.writeCompact(m, Json.NonFinite.AS_STRING));
        }
        t.put("episode.return", vec(run.episodeReturns()));
        t.put("episode.length", vec(run.episodeLengths()));
        if (run.envsResumable()) {
            long[][][] states = run.envStates();
            for (int i = 0; i < states.length; i++) {
                t.put("env." + i, vec(flatten(states[i])));
            }
        }
        finish(meta, t, file);
    }

    private static void agentPart(AgentRecord a, Map<String, String> meta, Map<String, Tensor> t) {
        meta.put("format", FORMAT);
        meta.put("format_version", Integer.toString(VERSION));
        meta.put("env", a.envId());
        meta.put("network", networkJson(a));
        meta.put("head", a.head());
        meta.put("obs_dim", Integer.toString(a.obsDim()));
        meta.put("policy_dim", Integer.toString(a.policyDim()));
        meta.put("log_std_dim", Integer.toString(a.logStdDim()));
        meta.put("clip_action", Boolean.toString(a.clipAction()));
        a.extra().forEach((k, v) -> meta.put("extra." + k, v));
        t.put("params", vec(a.params()));
        NormalizerRecord n = a.obsNorm();
        if (n != null) {
            t.put("obs_norm.mean", vec(n.stats().mean()));
            t.put("obs_norm.var", vec(n.stats().variance()));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("count", n.stats().count());
            m.put("epsilon", n.epsilon());
            m.put("clip", n.clip());
            meta.put("obs_norm", Json.writeCompact(m, Json.NonFinite.AS_STRING));
        }
    }

    private static void finish(Map<String, String> meta, Map<String, Tensor> t, Path file) throws IOException {
        Map<String, Object> crc = new LinkedHashMap<>();
        t.forEach((name, tensor) -> crc.put(name, hex(tensor.crc32c())));
        meta.put("crc32c", Json.writeCompact(crc, Json.NonFinite.REJECT));
        new SafeTensors(t, meta).write(file);
    }

    private static String networkJson(AgentRecord a) {
        Map<String, Object> m = new LinkedHashMap<>();
        Network n = a.network();
        if (n != null) {
            m.put("kind", n.isShared() ? "shared" : "separate");
            m.put("actor", toList(n.actor()));
            m.put("critic", toList(n.critic()));
            m.put("trunk", toList(n.trunk()));
            m.put("activation", n.activation().name());
        } else {
            m.put("kind", "custom");
            m.put("description", a.networkName());
        }
        return Json.writeCompact(m, Json.NonFinite.REJECT);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Reading
    // ---------------------------------------------------------------------------------------------------------------

    /** The kind of a Proxima checkpoint ({@link #KIND_AGENT} or {@link #KIND_TRAINING}), after its checks. */
    public static String kind(Path file) throws IOException {
        return open(file).kind;
    }

    /** The policy of an agent or training checkpoint. */
    public static AgentRecord readAgent(Path file) throws IOException {
        return open(file).agent();
    }

    /**
     * A training checkpoint.
     *
     * @throws CheckpointException for an agent checkpoint (it has no optimiser or env state to continue from)
     */
    public static RunRecord readRun(Path file) throws IOException {
        Opened o = open(file);
        if (!KIND_TRAINING.equals(o.kind)) {
            throw new CheckpointException(file + ": this is an agent checkpoint (kind = " + o.kind + "); only a"
                    + " training checkpoint (TrainingRun.save, or checkpoints/last.safetensors of a proxima run)"
                    + " can continue training.");
        }
        return o.run();
    }

    private static Opened open(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new CheckpointException(file + " is a directory, not a checkpoint file. Give the .safetensors file"
                    + " (e.g. " + file.resolve("checkpoints").resolve("last.safetensors") + ").");
        }
        SafeTensors st = SafeTensors.read(file);
        Meta meta = new Meta(file, st.metadata());
        if (!FORMAT.equals(st.metadata().get("format"))) {
            throw new CheckpointException(file + ": not a Proxima checkpoint (a safetensors file without format = "
                    + FORMAT + " in its metadata). Pass a file written by Agent.save or TrainingRun.save.");
        }
        int version = meta.integer("format_version", 1, Integer.MAX_VALUE);
        if (version > VERSION) {
            throw new CheckpointException(file + ": checkpoint format version " + version + " is newer than this"
                    + " Proxima reads (" + VERSION + " and earlier); use a newer Proxima.");
        }
        if (version >= 2) {
            checkCrc(file, st, meta);
        }
        String kind = meta.string("kind");
        if (!KIND_AGENT.equals(kind) && !KIND_TRAINING.equals(kind)) {
            throw meta.bad("kind", "expected agent or training");
        }
        return new Opened(file, st, meta, kind, version);
    }

    private static void checkCrc(Path file, SafeTensors st, Meta meta) throws CheckpointException {
        Map<String, Object> crc = meta.json("crc32c");
        for (Map.Entry<String, Tensor> e : st.tensors().entrySet()) {
            Object want = crc.get(e.getKey());
            if (!(want instanceof String s)) {
                throw CheckpointException.corrupt(file, "tensor " + e.getKey() + " has no checksum in crc32c");
            }
            String got = hex(e.getValue().crc32c());
            if (!got.equalsIgnoreCase(s)) {
                throw CheckpointException.corrupt(file, "tensor " + e.getKey() + " fails its checksum (CRC-32C "
                        + got + ", recorded " + s + "): its data changed after it was written (a flipped bit, a"
                        + " partial copy or an edit). Use another copy of the checkpoint");
            }
        }
        for (String name : crc.keySet()) {
            if (!st.tensors().containsKey(name)) {
                throw CheckpointException.corrupt(file, "tensor " + name + " is listed in crc32c but missing");
            }
        }
    }

    /** A file that passed the structural, format and checksum checks. */
    private record Opened(Path file, SafeTensors st, Meta meta, String kind, int version) {

        AgentRecord agent() throws CheckpointException {
            String envId = meta.string("env");
            int obsDim = meta.integer("obs_dim", 1, MAX_DIM);
            int policyDim = meta.integer("policy_dim", 1, MAX_DIM);
            int logStdDim = meta.integer("log_std_dim", 0, policyDim);
            boolean clipAction = meta.bool("clip_action");
            String head = version >= 2 ? meta.string("head") : (logStdDim > 0 ? "gaussian" : "categorical");
            Map<String, Object> net = meta.json("network");
            Network network = network(net, "network");
            String name = network != null ? network.toString() : String.valueOf(net.get("description"));
            long expected = network != null ? network.parameterCount(obsDim, policyDim, logStdDim) : -1;
            if (expected > MAX_PARAMS) {
                throw CheckpointException.corrupt(file, String.format(Locale.ROOT, "network %s declares %,d"
                        + " parameters for obs_dim %d and policy_dim %d, above the limit of %,d", name, expected,
                        obsDim, policyDim, MAX_PARAMS));
            }
            double[] params = doubles("params", expected >= 0 ? expected : -1);
            if (params.length > MAX_PARAMS || params.length <= logStdDim) {
                throw CheckpointException.corrupt(file, "tensor params has " + params.length + " values");
            }
            finite("params", params);
            NormalizerRecord obsNorm = null;
            if (meta.has("obs_norm")) {
                Map<String, Object> m = meta.json("obs_norm");
                obsNorm = NormalizerRecord.observations(stats("obs_norm", m, obsDim),
                        number("obs_norm", m, "epsilon", 0, Double.MAX_VALUE),
                        number("obs_norm", m, "clip", 0, Double.POSITIVE_INFINITY));
            }
            Map<String, String> extra = new LinkedHashMap<>();
            meta.all().forEach((k, v) -> {
                if (k.startsWith("extra.")) {
                    extra.put(k.substring(6), v);
                }
            });
            return new AgentRecord(envId, network, name, head, obsDim, policyDim, logStdDim, clipAction, params,
                    obsNorm, extra);
        }

        RunRecord run() throws CheckpointException {
            AgentRecord agent = agent();
            Map<String, Object> config = meta.json("config");
            int numEnvs = configInt(config, "numEnvs");
            int numSteps = configInt(config, "numSteps");
            long totalSteps = version >= 2 ? meta.longValue("total_steps", 1, Long.MAX_VALUE) : 0;
            int numUpdates = version >= 2 ? meta.integer("num_updates", 1, Integer.MAX_VALUE) : 0;
            int update = meta.integer("update", 0, numUpdates > 0 ? numUpdates : Integer.MAX_VALUE);
            long globalStep = meta.longValue("global_step", 0, Long.MAX_VALUE);
            if (globalStep != (long) update * numEnvs * numSteps) {
                throw meta.bad("global_step", "expected update × numEnvs × numSteps = " + update + " × " + numEnvs
                        + " × " + numSteps + " = " + (long) update * numEnvs * numSteps);
            }
            long adamT = meta.longValue("adam_t", 0, Long.MAX_VALUE);
            boolean started = meta.bool("started");
            boolean resumable = meta.bool("envs_resumable");
            int p = agent.params().length;
            double[] m = doubles("adam.m", p);
            double[] v = doubles("adam.v", p);
            finite("adam.m", m);
            finite("adam.v", v);
            for (int i = 0; i < v.length; i++) {
                if (v[i] < 0) {
                    throw CheckpointException.corrupt(file, "tensor adam.v[" + i + "] = " + v[i]
                            + " is negative; second moments are squares");
                }
            }
            long[] shuffle = longs("rng.shuffle", 1);
            long[] actions = longs("rng.actions", numEnvs);
            long[] seeds = longs("env_seeds", numEnvs);
            float[] nextObs = floats("next_obs", (long) numEnvs * agent.obsDim());
            for (int i = 0; i < nextObs.length; i++) {
                if (!Float.isFinite(nextObs[i])) {
                    throw CheckpointException.corrupt(file, "tensor next_obs[" + i + "] = " + nextObs[i]
                            + " is not finite");
                }
            }
            NormalizerRecord rew = null;
            if (meta.has("rew_norm")) {
                Map<String, Object> r = meta.json("rew_norm");
                double[] returns = doubles("rew_norm.returns", numEnvs);
                finite("rew_norm.returns", returns);
                rew = new NormalizerRecord(stats("rew_norm", r, 1), number("rew_norm", r, "epsilon", 0,
                        Double.MAX_VALUE), number("rew_norm", r, "clip", 0, Double.POSITIVE_INFINITY),
                        number("rew_norm", r, "gamma", 0, 1), returns);
            }
            double[] epReturn = doubles("episode.return", numEnvs);
            long[] epLength = longs("episode.length", numEnvs);
            for (int i = 0; i < numEnvs; i++) {
                if (epLength[i] < 0 || epLength[i] > Integer.MAX_VALUE) {
                    throw CheckpointException.corrupt(file, "tensor episode.length[" + i + "] = " + epLength[i]
                            + " is not a valid episode length");
                }
            }
            long[][][] envStates = null;
            if (resumable) {
                if (!started) {
                    throw meta.bad("envs_resumable", "true but started = false: env copies that were never reset"
                            + " have no state");
                }
                envStates = new long[numEnvs][][];
                for (int i = 0; i < numEnvs; i++) {
                    envStates[i] = unflatten(longs("env." + i, -1), i);
                }
            }
            Map<String, Map<String, Double>> loss = numberMaps("loss_state");
            Map<String, Map<String, Double>> callbacks = version >= 2 ? numberMaps("callback_state") : Map.of();
            double seconds = version >= 2 ? meta.number("seconds", 0, Double.MAX_VALUE) : 0.0;
            return new RunRecord(agent, config, totalSteps, numUpdates, update, globalStep, m, v, adamT, shuffle[0],
                    actions, seeds, started, nextObs, rew, epReturn, epLength, envStates, loss, callbacks, seconds);
        }

        private Network network(Map<String, Object> m, String key) throws CheckpointException {
            Object kind = m.get("kind");
            if ("custom".equals(kind)) {
                return null;
            }
            if (!"separate".equals(kind) && !"shared".equals(kind)) {
                throw meta.bad(key, "its kind must be separate, shared or custom");
            }
            Activation act = null;
            for (Activation a : Activation.values()) {
                if (a.name().equals(m.get("activation"))) {
                    act = a;
                }
            }
            if (act == null) {
                throw meta.bad(key, "activation " + m.get("activation") + " is not one of "
                        + java.util.Arrays.toString(Activation.values()));
            }
            try {
                return "separate".equals(kind)
                        ? Network.separate(sizes(m, "actor", key), sizes(m, "critic", key)).activation(act)
                        : Network.shared(sizes(m, "trunk", key)).activation(act);
            } catch (IllegalArgumentException e) {
                throw meta.bad(key, e.getMessage());
            }
        }

        private int[] sizes(Map<String, Object> m, String field, String key) throws CheckpointException {
            if (!(m.get(field) instanceof List<?> l) || l.size() > 64) {
                throw meta.bad(key, field + " must be a list of at most 64 layer sizes");
            }
            int[] a = new int[l.size()];
            for (int i = 0; i < a.length; i++) {
                double d = l.get(i) instanceof Number n ? n.doubleValue() : Double.NaN;
                if (!(d >= 1 && d <= MAX_DIM) || d != Math.rint(d)) {
                    throw meta.bad(key, field + "[" + i + "] = " + l.get(i) + " is not a layer size in [1, "
                            + MAX_DIM + "]");
                }
                a[i] = (int) d;
            }
            return a;
        }

        private RunningMeanStd.State stats(String prefix, Map<String, Object> m, int dim)
                throws CheckpointException {
            double[] mean = doubles(prefix + ".mean", dim);
            double[] var = doubles(prefix + ".var", dim);
            finite(prefix + ".mean", mean);
            finite(prefix + ".var", var);
            for (int i = 0; i < var.length; i++) {
                if (var[i] < 0) {
                    throw CheckpointException.corrupt(file, "tensor " + prefix + ".var[" + i + "] = " + var[i]
                            + " is negative");
                }
            }
            double count = number(prefix, m, "count", 0, Double.MAX_VALUE);
            return new RunningMeanStd.State(mean, var, count);
        }

        private double number(String key, Map<String, Object> m, String field, double lo, double hi)
                throws CheckpointException {
            Object o = m.get(field);
            double d;
            try {
                d = Json.toDouble(o);
            } catch (RuntimeException e) {
                throw meta.bad(key, field + " = " + o + " is not a number");
            }
            if (!(d >= lo && d <= hi)) {
                throw meta.bad(key, field + " = " + o + " is outside [" + lo + ", " + hi + "]");
            }
            return d;
        }

        private int configInt(Map<String, Object> config, String name) throws CheckpointException {
            double d = number("config", config, name, 1, MAX_DIM);
            if (d != Math.rint(d)) {
                throw meta.bad("config", name + " = " + d + " is not a whole number");
            }
            return (int) d;
        }

        private Map<String, Map<String, Double>> numberMaps(String key) throws CheckpointException {
            Map<String, Object> m = meta.json(key);
            Map<String, Map<String, Double>> out = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : m.entrySet()) {
                if (!(e.getValue() instanceof Map<?, ?> inner)) {
                    throw meta.bad(key, e.getKey() + " must map names to numbers");
                }
                Map<String, Double> values = new LinkedHashMap<>();
                for (Map.Entry<?, ?> f : inner.entrySet()) {
                    try {
                        values.put(String.valueOf(f.getKey()), Json.toDouble(f.getValue()));
                    } catch (RuntimeException ex) {
                        throw meta.bad(key, e.getKey() + "." + f.getKey() + " = " + f.getValue()
                                + " is not a number");
                    }
                }
                out.put(e.getKey(), values);
            }
            return out;
        }

        private Tensor tensor(String name, Dtype dtype, long expectedLength) throws CheckpointException {
            Tensor t = st.tensors().get(name);
            if (t == null) {
                throw CheckpointException.corrupt(file, "tensor " + name + " is missing");
            }
            if (t.dtype() != dtype) {
                throw CheckpointException.corrupt(file, "tensor " + name + " has dtype " + t.dtype() + ", expected "
                        + dtype + (dtype == Dtype.F64 && t.dtype() == Dtype.F32
                        ? " (Proxima keeps float64 master weights; a file converted by another tool?)" : ""));
            }
            if (expectedLength >= 0 && t.numel() != expectedLength) {
                throw CheckpointException.corrupt(file, "tensor " + name + " has " + t.numel()
                        + " values where the metadata declares " + expectedLength);
            }
            return t;
        }

        private double[] doubles(String name, long expectedLength) throws CheckpointException {
            return tensor(name, Dtype.F64, expectedLength).doubles();
        }

        private float[] floats(String name, long expectedLength) throws CheckpointException {
            return tensor(name, Dtype.F32, expectedLength).floats();
        }

        private long[] longs(String name, long expectedLength) throws CheckpointException {
            return tensor(name, Dtype.I64, expectedLength).longs();
        }

        private void finite(String name, double[] a) throws CheckpointException {
            for (int i = 0; i < a.length; i++) {
                if (!Double.isFinite(a[i])) {
                    throw CheckpointException.corrupt(file, "tensor " + name + "[" + i + "] = " + a[i]
                            + " is not finite; a run that diverged cannot be loaded. Use an earlier checkpoint");
                }
            }
        }

        private long[][] unflatten(long[] flat, int env) throws CheckpointException {
            long numLayers = flat.length == 0 ? -1 : flat[0];
            if (numLayers < 1 || numLayers > 1000 || flat.length < 1 + numLayers) {
                throw CheckpointException.corrupt(file, "tensor env." + env + " does not hold an env state");
            }
            long[][] layers = new long[(int) numLayers][];
            long p = 1 + numLayers;
            for (int i = 0; i < numLayers; i++) {
                long len = flat[1 + i];
                if (len < 0 || p + len > flat.length) {
                    throw CheckpointException.corrupt(file, "tensor env." + env + " has an inconsistent layer"
                            + " length");
                }
                layers[i] = java.util.Arrays.copyOfRange(flat, (int) p, (int) (p + len));
                p += len;
            }
            if (p != flat.length) {
                throw CheckpointException.corrupt(file, "tensor env." + env + " has " + (flat.length - p)
                        + " values after its last layer");
            }
            return layers;
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static Tensor vec(double[] a) {
        return Tensor.of(a, a.length);
    }

    private static Tensor vec(float[] a) {
        return Tensor.of(a, a.length);
    }

    private static Tensor vec(long[] a) {
        return Tensor.of(a, a.length);
    }

    private static String hex(int crc) {
        return String.format(Locale.ROOT, "%08x", crc);
    }

    private static List<Object> toList(int[] a) {
        List<Object> l = new ArrayList<>();
        for (int v : a) {
            l.add((long) v);
        }
        return l;
    }

    private static long[] flatten(long[][] layers) {
        int size = 1 + layers.length;
        for (long[] l : layers) {
            size += l.length;
        }
        long[] out = new long[size];
        out[0] = layers.length;
        int p = 1 + layers.length;
        for (int i = 0; i < layers.length; i++) {
            out[1 + i] = layers[i].length;
            System.arraycopy(layers[i], 0, out, p, layers[i].length);
            p += layers[i].length;
        }
        return out;
    }
}
