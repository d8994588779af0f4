package dev.proxima.core.ppo;

import dev.proxima.core.dist.Heads;
import dev.proxima.core.dist.PolicyHead;
import dev.proxima.core.env.Env;
import dev.proxima.core.env.EnvRegistry;
import dev.proxima.core.env.EnvSpec;
import dev.proxima.core.env.ObservationNormalizer;
import dev.proxima.core.env.RewardNormalizer;
import dev.proxima.core.env.RunningMeanStd;
import dev.proxima.core.env.SyncVectorEnv;
import dev.proxima.core.internal.Json;
import dev.proxima.core.io.SafeTensors;
import dev.proxima.core.io.SafeTensors.Tensor;
import dev.proxima.core.nn.Activation;
import dev.proxima.core.nn.ActorCritic;
import dev.proxima.core.nn.Network;
import dev.proxima.core.nn.NetworkFactory;
import dev.proxima.core.space.Box;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Checkpoint files: one <a href="https://github.com/huggingface/safetensors">safetensors</a> file, written atomically
 * (temp file, fsync, rename), that executes nothing when read.
 *
 * <h2>Format (version 1)</h2>
 * The header's {@code __metadata__} holds strings: {@code format = proxima-checkpoint}, {@code format_version = 1},
 * {@code kind} ({@code training} or {@code agent}), {@code env} (id), {@code network} (JSON: {@code kind} separate or
 * shared, hidden sizes, activation; or {@code custom} with the factory's {@code toString}), {@code obs_dim},
 * {@code policy_dim}, {@code log_std_dim}, {@code clip_action}, and for the observation normaliser {@code obs_norm}
 * (JSON: count, epsilon, clip). A training checkpoint adds {@code config} (JSON of {@link PpoConfig#toMap()}),
 * {@code update}, {@code global_step}, {@code adam_t}, {@code started}, {@code envs_resumable}, {@code loss_state}
 * (JSON: term key to its {@link LossTerm#state()}) and {@code rew_norm} (JSON: count, gamma, epsilon, clip).
 *
 * <p>Tensors: {@code params} (F64, the master parameters in {@link ActorCritic}'s layout); {@code obs_norm.mean},
 * {@code obs_norm.var} (F64). Training only: {@code adam.m}, {@code adam.v} (F64); {@code rng.shuffle} (I64[1]),
 * {@code rng.actions} (I64[numEnvs]), {@code env_seeds} (I64); {@code next_obs} (F32, normalised); {@code
 * rew_norm.mean}, {@code rew_norm.var}, {@code rew_norm.returns} (F64); {@code episode.return} (F64),
 * {@code episode.length} (I64); and per env copy {@code env.<i>} (I64: the number of wrapper layers, each layer's
 * length, then each layer's {@link dev.proxima.core.env.Snapshottable} state).
 *
 * <p>Checkpoints are taken between updates. Restoring one with the same configuration continues the run exactly as if
 * it had never stopped (bit-identical statistics and parameters) when every env layer is snapshottable; otherwise
 * the env copies start new episodes.
 */
public final class Checkpoint {
    public static final String FORMAT = "proxima-checkpoint";
    public static final int VERSION = 1;

    private Checkpoint() {}

    // ---------------------------------------------------------------------------------------------------------------
    // Writing
    // ---------------------------------------------------------------------------------------------------------------

    static void save(Stages s, Path file) throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>();
        Map<String, String> meta = new LinkedHashMap<>();
        SyncVectorEnv<?, ?> vec = s.vectorEnv();
        ObservationNormalizer obsNorm = vec.observationNormalizer().orElse(null);
        common(meta, t, s.config().env().id(), s.config().network(), s.net, obsNorm, s.clipBox() != null);
        meta.put("kind", "training");
        meta.put("config", Json.writeCompact(s.config().toMap(), Json.NonFinite.AS_STRING));
        meta.put("update", Integer.toString(s.update));
        meta.put("global_step", Long.toString(s.globalStep));
        meta.put("adam_t", Long.toString(s.adam.t()));
        meta.put("started", Boolean.toString(s.started()));
        Map<String, Object> losses = new LinkedHashMap<>();
        for (LossTerm term : s.lossTerms()) {
            losses.put(term.key(), new LinkedHashMap<>(term.state()));
        }
        meta.put("loss_state", Json.writeCompact(losses, Json.NonFinite.AS_STRING));

        t.put("adam.m", vec(s.adam.m()));
        t.put("adam.v", vec(s.adam.v()));
        t.put("rng.shuffle", vec(new long[] {s.shuffleRng.state()}));
        long[] actionStates = new long[s.actionRngs.length];
        for (int i = 0; i < actionStates.length; i++) {
            actionStates[i] = s.actionRngs[i].state();
        }
        t.put("rng.actions", vec(actionStates));
        t.put("env_seeds", vec(s.envSeeds.clone()));
        t.put("next_obs", vec(s.nextObs.clone()));

        RewardNormalizer rew = vec.rewardNormalizer().orElse(null);
        if (rew != null) {
            RunningMeanStd.State st = rew.stats().state();
            t.put("rew_norm.mean", vec(st.mean()));
            t.put("rew_norm.var", vec(st.variance()));
            t.put("rew_norm.returns", vec(rew.runningReturns()));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("count", st.count());
            m.put("gamma", rew.gamma());
            m.put("epsilon", rew.epsilon());
            m.put("clip", rew.clip());
            meta.put("rew_norm", Json.writeCompact(m, Json.NonFinite.AS_STRING));
        }

        int n = vec.numEnvs();
        double[] epReturn = new double[n];
        long[] epLength = new long[n];
        boolean resumable = true;
        for (int i = 0; i < n; i++) {
            epReturn[i] = vec.episodeReturn(i);
            epLength[i] = vec.episodeLength(i);
            long[][] layers = s.started() ? vec.snapshotCopy(i) : null;
            if (layers == null) {
                resumable = false;
                continue;
            }
            t.put("env." + i, vec(flatten(layers)));
        }
        t.put("episode.return", vec(epReturn));
        t.put("episode.length", vec(epLength));
        meta.put("envs_resumable", Boolean.toString(resumable && s.started()));
        new SafeTensors(t, meta).write(file);
    }

    static void save(Agent a, Path file) throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>();
        Map<String, String> meta = new LinkedHashMap<>();
        common(meta, t, a.env().id(), a.networkFactory(), a.network(), a.observationNormalizer(),
                a.clipsActions());
        meta.put("kind", "agent");
        new SafeTensors(t, meta).write(file);
    }

    private static void common(Map<String, String> meta, Map<String, Tensor> t, String envId, NetworkFactory network,
            ActorCritic net, ObservationNormalizer obsNorm, boolean clipAction) {
        meta.put("format", FORMAT);
        meta.put("format_version", Integer.toString(VERSION));
        meta.put("env", envId);
        meta.put("network", networkJson(network));
        meta.put("obs_dim", Integer.toString(net.obsDim()));
        meta.put("policy_dim", Integer.toString(net.policyDim()));
        meta.put("log_std_dim", Integer.toString(net.logStdDim()));
        meta.put("clip_action", Boolean.toString(clipAction));
        t.put("params", vec(net.params().clone()));
        if (obsNorm != null) {
            RunningMeanStd.State st = obsNorm.stats().state();
            t.put("obs_norm.mean", vec(st.mean()));
            t.put("obs_norm.var", vec(st.variance()));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("count", st.count());
            m.put("epsilon", obsNorm.epsilon());
            m.put("clip", obsNorm.clip());
            meta.put("obs_norm", Json.writeCompact(m, Json.NonFinite.AS_STRING));
        }
    }

    private static Tensor vec(double[] a) {
        return Tensor.of(a, a.length);
    }

    private static Tensor vec(float[] a) {
        return Tensor.of(a, a.length);
    }

    private static Tensor vec(long[] a) {
        return Tensor.of(a, a.length);
    }

    private static String networkJson(NetworkFactory f) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (f instanceof Network n) {
            m.put("kind", n.isShared() ? "shared" : "separate");
            m.put("actor", toList(n.actor()));
            m.put("critic", toList(n.critic()));
            m.put("trunk", toList(n.trunk()));
            m.put("activation", n.activation().name());
        } else {
            m.put("kind", "custom");
            m.put("description", String.valueOf(f));
        }
        return Json.writeCompact(m, Json.NonFinite.REJECT);
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

    private static long[][] unflatten(long[] flat, Path file, int env) throws IOException {
        int numLayers = (int) flat[0];
        if (numLayers < 1 || numLayers > 1000 || flat.length < 1 + numLayers) {
            throw corrupt(file, "tensor env." + env + " does not hold an env state");
        }
        long[][] layers = new long[numLayers][];
        int p = 1 + numLayers;
        for (int i = 0; i < numLayers; i++) {
            int len = (int) flat[1 + i];
            if (len < 0 || p + len > flat.length) {
                throw corrupt(file, "tensor env." + env + " has an inconsistent layer length");
            }
            layers[i] = java.util.Arrays.copyOfRange(flat, p, p + len);
            p += len;
        }
        return layers;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Reading
    // ---------------------------------------------------------------------------------------------------------------

    /** Reads and checks the header of a Proxima checkpoint; anything else is refused with a clear message. */
    private static SafeTensors open(Path file) throws IOException {
        SafeTensors st = SafeTensors.read(file);
        Map<String, String> meta = st.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw new CheckpointException(file + ": not a Proxima checkpoint (a safetensors file without"
                    + " format = " + FORMAT + " in its metadata). Pass a file written by Stages.save or Agent.save.");
        }
        String version = meta.get("format_version");
        if (!Integer.toString(VERSION).equals(version)) {
            throw new CheckpointException(file + ": checkpoint format version " + version + " is not supported"
                    + " (this Proxima reads version " + VERSION + ").");
        }
        return st;
    }

    static Stages restore(PpoConfig config, long totalSteps, int numWorkers, Path file) throws IOException {
        SafeTensors st = open(file);
        Map<String, String> meta = st.metadata();
        if (!"training".equals(meta.get("kind"))) {
            throw new CheckpointException(file + ": this is an agent checkpoint (kind = " + meta.get("kind")
                    + "); only a training checkpoint written by Stages.save can resume training.");
        }
        checkSameConfig(config, meta, file);
        Stages s = new Stages(config, totalSteps, numWorkers);
        try {
            double[] params = tensor(st, "params", file).doubles();
            if (params.length != s.net.numParams()) {
                throw corrupt(file, "params has " + params.length + " values, the network " + s.net.numParams());
            }
            System.arraycopy(params, 0, s.net.params(), 0, params.length);
            s.net.syncParams();
            s.syncOldPolicy();
            s.adam.restore(tensor(st, "adam.m", file).doubles(), tensor(st, "adam.v", file).doubles(),
                    Long.parseLong(meta.get("adam_t")));
            s.shuffleRng.setState(tensor(st, "rng.shuffle", file).longs()[0]);
            long[] actionStates = tensor(st, "rng.actions", file).longs();
            if (actionStates.length != s.actionRngs.length) {
                throw corrupt(file, "rng.actions has " + actionStates.length + " streams for "
                        + s.actionRngs.length + " env copies");
            }
            for (int i = 0; i < actionStates.length; i++) {
                s.actionRngs[i].setState(actionStates[i]);
            }
            s.update = Integer.parseInt(meta.get("update"));
            s.globalStep = Long.parseLong(meta.get("global_step"));

            SyncVectorEnv<?, ?> vec = s.vectorEnv();
            ObservationNormalizer obsNorm = vec.observationNormalizer().orElse(null);
            if (obsNorm != null) {
                restoreStats(obsNorm.stats(), st, "obs_norm", meta, file);
            }
            RewardNormalizer rew = vec.rewardNormalizer().orElse(null);
            if (rew != null) {
                restoreStats(rew.stats(), st, "rew_norm", meta, file);
                rew.setRunningReturns(tensor(st, "rew_norm.returns", file).doubles());
            }
            Map<String, Object> losses = Json.parseObject(meta.get("loss_state"), file + " loss_state");
            for (LossTerm term : s.lossTerms()) {
                Object state = losses.get(term.key());
                if (state instanceof Map<?, ?> m && !m.isEmpty()) {
                    Map<String, Double> values = new LinkedHashMap<>();
                    m.forEach((k, v) -> values.put((String) k, Json.toDouble(v)));
                    term.restoreState(values);
                }
            }

            if (Boolean.parseBoolean(meta.get("envs_resumable"))) {
                float[] nextObs = tensor(st, "next_obs", file).floats();
                System.arraycopy(nextObs, 0, s.nextObs, 0, s.nextObs.length);
                double[] epReturn = tensor(st, "episode.return", file).doubles();
                long[] epLength = tensor(st, "episode.length", file).longs();
                for (int i = 0; i < vec.numEnvs(); i++) {
                    vec.restoreCopy(i, unflatten(tensor(st, "env." + i, file).longs(), file, i), epReturn[i],
                            (int) epLength[i]);
                }
                s.markStarted();
            }
            // Otherwise the copies are reset on the first step, from seeds that depend on the update reached.
            else if (s.update > 0) {
                for (int i = 0; i < s.envSeeds.length; i++) {
                    s.envSeeds[i] ^= 0x9E3779B97F4A7C15L * s.update;
                }
            }
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        } catch (RuntimeException e) {
            s.close();
            throw new CheckpointException(file + ": cannot restore this checkpoint: " + e.getMessage(), e);
        }
    }

    static Agent loadAgent(Path file, EnvRegistry registry, NetworkFactory override) throws IOException {
        SafeTensors st = open(file);
        Map<String, String> meta = st.metadata();
        String envId = meta.get("env");
        EnvSpec<?, ?> spec = registry.spec(envId);
        NetworkFactory factory = override != null ? override : network(meta.get("network"), file);
        int obsDim = Integer.parseInt(meta.get("obs_dim"));
        int policyDim = Integer.parseInt(meta.get("policy_dim"));
        int logStdDim = Integer.parseInt(meta.get("log_std_dim"));
        PolicyHead head;
        Box clipBox = null;
        try (Env<?, ?> probe = spec.makeUnwrapped(0)) {
            head = Heads.forActionSpace(probe.actionSpace());
            if (probe.observationSpace().flatDim() != obsDim || head.policyDim() != policyDim
                    || head.logStdDim() != logStdDim) {
                throw new CheckpointException(file + ": the checkpoint's network takes " + obsDim
                        + " observation floats and gives " + policyDim + " policy outputs, but env " + envId
                        + " now has " + probe.observationSpace() + " / " + probe.actionSpace() + ".");
            }
            if (Boolean.parseBoolean(meta.get("clip_action")) && probe.actionSpace() instanceof Box b) {
                clipBox = b;
            }
        }
        ActorCritic net = factory.create(obsDim, policyDim, logStdDim, new SplittableRandom(0));
        double[] params = tensor(st, "params", file).doubles();
        if (params.length != net.numParams()) {
            throw corrupt(file, "params has " + params.length + " values but " + factory + " has "
                    + net.numParams());
        }
        System.arraycopy(params, 0, net.params(), 0, params.length);
        net.syncParams();
        ObservationNormalizer obsNorm = null;
        if (meta.containsKey("obs_norm")) {
            Map<String, Object> m = Json.parseObject(meta.get("obs_norm"), file + " obs_norm");
            obsNorm = new ObservationNormalizer(obsDim, Json.toDouble(m.get("epsilon")), Json.toDouble(m.get("clip")));
            restoreStats(obsNorm.stats(), st, "obs_norm", meta, file);
        }
        return new Agent(spec, net, head, obsNorm, clipBox, factory);
    }

    private static NetworkFactory network(String json, Path file) throws IOException {
        Map<String, Object> m = Json.parseObject(json, file + " network");
        String kind = String.valueOf(m.get("kind"));
        Activation act = Activation.valueOf(String.valueOf(m.get("activation")));
        switch (kind) {
            case "separate":
                return Network.separate(ints(m.get("actor")), ints(m.get("critic"))).activation(act);
            case "shared":
                return Network.shared(ints(m.get("trunk"))).activation(act);
            default:
                throw new CheckpointException(file + ": the agent was trained with a custom network factory ("
                        + m.get("description") + "); pass that factory to Agent.load(file, registry, factory).");
        }
    }

    private static int[] ints(Object list) {
        List<?> l = (List<?>) list;
        int[] a = new int[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = (int) Json.toDouble(l.get(i));
        }
        return a;
    }

    private static void restoreStats(RunningMeanStd stats, SafeTensors st, String prefix, Map<String, String> meta,
            Path file) throws IOException {
        if (!meta.containsKey(prefix)) {
            throw corrupt(file, "the run normalises with " + prefix + " but the checkpoint has no such statistics"
                    + " (was it written with another configuration?)");
        }
        Map<String, Object> m = Json.parseObject(meta.get(prefix), file + " " + prefix);
        stats.restore(new RunningMeanStd.State(tensor(st, prefix + ".mean", file).doubles(),
                tensor(st, prefix + ".var", file).doubles(), Json.toDouble(m.get("count"))));
    }

    private static void checkSameConfig(PpoConfig config, Map<String, String> meta, Path file) throws IOException {
        Map<String, Object> saved = Json.parseObject(meta.get("config"), file + " config");
        Map<String, Object> now = Json.parseObject(Json.writeCompact(config.toMap(), Json.NonFinite.AS_STRING),
                "config");
        List<String> diffs = new ArrayList<>();
        for (Map.Entry<String, Object> e : now.entrySet()) {
            Object before = saved.get(e.getKey());
            if (!java.util.Objects.equals(String.valueOf(before), String.valueOf(e.getValue()))) {
                diffs.add(e.getKey() + ": checkpoint " + before + ", now " + e.getValue());
            }
        }
        if (!diffs.isEmpty()) {
            throw new CheckpointException(file + ": the checkpoint was written with another configuration, so the"
                    + " run cannot continue from it. Differences:\n  " + String.join("\n  ", diffs));
        }
    }

    private static Tensor tensor(SafeTensors st, String name, Path file) throws IOException {
        if (!st.tensors().containsKey(name)) {
            throw corrupt(file, "tensor " + name + " is missing");
        }
        return st.tensor(name);
    }

    private static CheckpointException corrupt(Path file, String what) {
        return new CheckpointException(file + ": damaged or incompatible checkpoint: " + what + ".");
    }

    /** A checkpoint that cannot be read or does not fit the run. */
    public static final class CheckpointException extends IOException {
        private static final long serialVersionUID = 1L;

        public CheckpointException(String message) {
            super(message);
        }

        public CheckpointException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
