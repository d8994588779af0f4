package dev.proxima.core.ppo;

import dev.proxima.core.checkpoint.AgentRecord;
import dev.proxima.core.checkpoint.CheckpointException;
import dev.proxima.core.checkpoint.Checkpoints;
import dev.proxima.core.checkpoint.NormalizerRecord;
import dev.proxima.core.dist.ContinuousActions;
import dev.proxima.core.dist.DiagGaussianHead;
import dev.proxima.core.dist.HeadOptions;
import dev.proxima.core.dist.Heads;
import dev.proxima.core.dist.LogStdBound;
import dev.proxima.core.dist.MultiDiscreteHead;
import dev.proxima.core.dist.PolicyHead;
import dev.proxima.core.dist.TanhGaussianHead;
import dev.proxima.core.env.ActionMasked;
import dev.proxima.core.env.Env;
import dev.proxima.core.env.EnvLookup;
import dev.proxima.core.env.EnvSpec;
import dev.proxima.core.env.ObservationNormalizer;
import dev.proxima.core.env.Reset;
import dev.proxima.core.env.Step;
import dev.proxima.core.nn.ActorCritic;
import dev.proxima.core.nn.Network;
import dev.proxima.core.nn.NetworkFactory;
import dev.proxima.core.run.Rng;
import dev.proxima.core.space.Box;
import dev.proxima.core.space.Discrete;
import dev.proxima.core.space.FlatLayout;
import dev.proxima.core.space.Space;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * A trained policy: picks actions for observations (deterministically, or by sampling) and evaluates itself on its
 * env. It owns a copy of the network and a frozen copy of the observation normaliser, so further training does not
 * change it. Not thread-safe (the network keeps workspaces): use one agent per thread.
 */
public final class Agent {
    private final EnvSpec<?, ?> env;
    private final ActorCritic net;
    private final PolicyHead head;
    private final ObservationNormalizer obsNorm;
    private final Box clipBox;
    private final NetworkFactory factory;
    private final Map<String, String> metadata;
    private final float[] obs;
    private final double[] policyOut;
    private final double[] value = new double[1];
    private final double[] logStd;
    private final float[] action;
    private final double[] logProb = new double[1];
    private final RandomGenerator[] rng = new RandomGenerator[1];

    /**
     * @param obsNorm the normaliser the policy was trained behind (copied and frozen), or {@code null}
     * @param clipBox bounds to clip sampled actions to before the env sees them, or {@code null}
     * @param factory the architecture of {@code net}, saved with the agent so {@link #load} can rebuild it
     */
    public Agent(EnvSpec<?, ?> env, ActorCritic net, PolicyHead head, ObservationNormalizer obsNorm, Box clipBox,
            NetworkFactory factory) {
        this(env, net, head, obsNorm, clipBox, factory, Map.of());
    }

    /**
     * As {@link #Agent(EnvSpec, ActorCritic, PolicyHead, ObservationNormalizer, Box, NetworkFactory)}, with metadata
     * saved along (e.g. {@link #OBSERVATION_LAYOUT}).
     */
    public Agent(EnvSpec<?, ?> env, ActorCritic net, PolicyHead head, ObservationNormalizer obsNorm, Box clipBox,
            NetworkFactory factory, Map<String, String> metadata) {
        this.env = env;
        this.metadata = Map.copyOf(metadata);
        this.factory = factory;
        this.net = net;
        this.head = head;
        this.obsNorm = obsNorm == null ? null : frozenCopy(obsNorm);
        this.clipBox = clipBox;
        this.obs = new float[net.obsDim()];
        this.policyOut = new double[net.policyDim()];
        this.logStd = new double[net.logStdDim()];
        this.action = new float[head.actionDim()];
    }

    private static ObservationNormalizer frozenCopy(ObservationNormalizer n) {
        ObservationNormalizer c = new ObservationNormalizer(n.dim(), n.epsilon(), n.clip());
        c.stats().copyFrom(n.stats());
        c.updateRunningMean(false);
        return c;
    }

    public EnvSpec<?, ?> env() { return env; }
    public ActorCritic network() { return net; }
    public PolicyHead head() { return head; }
    /** The frozen observation normaliser, or {@code null} when observations were not normalised. */
    public ObservationNormalizer observationNormalizer() { return obsNorm; }
    public NetworkFactory networkFactory() { return factory; }
    /** Whether sampled actions are clipped into the action box before the env sees them. */
    public boolean clipsActions() { return clipBox != null; }

    /**
     * Metadata saved with the agent besides its policy, e.g. {@code eval_seed} for an agent saved by
     * {@code Evaluate.saveBest}; empty for a fresh agent.
     */
    public Map<String, String> metadata() { return metadata; }

    /**
     * Writes the policy (weights, architecture, env id, normaliser) atomically; see
     * {@link dev.proxima.core.checkpoint.Checkpoints} for the format.
     */
    public void save(Path file) throws IOException {
        save(file, Map.of());
    }

    /** {@link #save(Path)} with string metadata added to the agent's own, read back by {@link #metadata()}. */
    public void save(Path file, Map<String, String> metadata) throws IOException {
        Checkpoints.write(record(metadata), file);
    }

    /** This agent as a checkpoint record, with {@code metadata} (its own metadata is kept unless overridden). */
    public AgentRecord record(Map<String, String> metadata) {
        Map<String, String> m = new java.util.LinkedHashMap<>(this.metadata);
        m.putAll(metadata);
        return record(env, net, head, obsNorm, clipBox != null, factory, m);
    }

    /**
     * The checkpoint record of a policy: its env id, architecture, head (with its options), weights (copied) and
     * observation normaliser; what {@link #record(Map)} and a training run's checkpoint write.
     */
    public static AgentRecord record(EnvSpec<?, ?> env, ActorCritic net, PolicyHead head, ObservationNormalizer obsNorm,
            boolean clipAction, NetworkFactory factory, Map<String, String> metadata) {
        NormalizerRecord norm = obsNorm == null ? null
                : NormalizerRecord.observations(obsNorm.stats().state(), obsNorm.epsilon(), obsNorm.clip());
        return new AgentRecord(env.id(), factory instanceof Network n ? n : null, String.valueOf(factory),
                headName(head), net.obsDim(), net.policyDim(), net.logStdDim(), clipAction, net.params().clone(),
                norm, withHeadOptions(metadata, head));
    }

    /** Metadata key of the continuous-action mode ({@code clip} or {@code tanh}) in checkpoints. */
    public static final String CONTINUOUS_ACTIONS = "policy.continuous_actions";
    /** Metadata key of the log-std bound in checkpoints. */
    public static final String LOG_STD_BOUND = "policy.log_std_bound";
    /** Metadata key of the flat observation layout ({@code FlatLayout.describe()}) in checkpoints. */
    public static final String OBSERVATION_LAYOUT = "observation.layout";

    /** The name a checkpoint gives a head: categorical, multi-discrete, gaussian or tanh-gaussian. */
    public static String headName(PolicyHead head) {
        if (head instanceof MultiDiscreteHead) {
            return "multi-discrete";
        }
        if (head instanceof TanhGaussianHead) {
            return "tanh-gaussian";
        }
        return head.logStdDim() > 0 ? "gaussian" : "categorical";
    }

    /** The options that rebuild {@code head} from its action space. */
    static HeadOptions optionsOf(PolicyHead head) {
        if (head instanceof TanhGaussianHead t) {
            return new HeadOptions(ContinuousActions.TANH, t.logStdBound());
        }
        if (head instanceof DiagGaussianHead g) {
            return new HeadOptions(ContinuousActions.CLIP, g.logStdBound());
        }
        return HeadOptions.DEFAULTS;
    }

    private static Map<String, String> withHeadOptions(Map<String, String> metadata, PolicyHead head) {
        Map<String, String> m = new java.util.LinkedHashMap<>(metadata);
        HeadOptions o = optionsOf(head);
        m.put(CONTINUOUS_ACTIONS, o.continuous().id());
        m.put(LOG_STD_BOUND, o.logStdBound().toString());
        return m;
    }

    /** The head options a checkpoint records (the defaults for checkpoints written before they were recorded). */
    private static HeadOptions recordedOptions(AgentRecord r, Path file) throws CheckpointException {
        try {
            String c = r.extra().get(CONTINUOUS_ACTIONS);
            String b = r.extra().get(LOG_STD_BOUND);
            return new HeadOptions(c == null ? ContinuousActions.CLIP : ContinuousActions.fromId(c),
                    b == null ? LogStdBound.NONE : LogStdBound.parse(b));
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file + ": damaged or incompatible checkpoint: metadata extra."
                    + CONTINUOUS_ACTIONS + " / extra." + LOG_STD_BOUND + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes the deterministic policy (argmax or mean, clipped as this agent clips), with the observation normaliser
     * and a value output, as an ONNX model; see {@link dev.proxima.core.export.OnnxExport} for the inputs, outputs,
     * opset and options.
     */
    public void exportOnnx(Path file) throws IOException {
        dev.proxima.core.export.OnnxExport.of(this).write(file);
    }

    /**
     * Loads an agent from an agent or training checkpoint; the env is looked up by id in the global registry (every
     * {@code EnvProvider} on the class path).
     */
    public static Agent load(Path file) throws IOException {
        return load(file, EnvLookup.global());
    }

    /** As {@link #load(Path)} with the env looked up in {@code registry}. */
    public static Agent load(Path file, EnvLookup registry) throws IOException {
        return load(file, registry, null);
    }

    /**
     * As {@link #load(Path, EnvLookup)} for an agent trained with a custom {@link NetworkFactory}: {@code factory}
     * rebuilds its network ({@code null} for the built-in {@code Network}s, which the file describes).
     */
    public static Agent load(Path file, EnvLookup registry, NetworkFactory factory) throws IOException {
        return fromRecord(Checkpoints.readAgent(file), file, registry, factory);
    }

    /**
     * The agent of a checkpoint record. Checks the record against the env before building anything: observation and
     * action sizes, the head, and the parameter count of the network.
     */
    public static Agent fromRecord(AgentRecord r, Path file, EnvLookup registry, NetworkFactory factory)
            throws IOException {
        EnvSpec<?, ?> spec = registry.spec(r.envId());
        NetworkFactory f = factory != null ? factory : r.network();
        if (f == null) {
            throw new CheckpointException(file + ": the agent was trained with a custom network factory ("
                    + r.networkName() + "); pass that factory to Agent.load(file, registry, factory), or register"
                    + " it under the name \"" + r.networkName() + "\" (Registry.registerNetwork) and load with"
                    + " Registry.loadAgent(file).");
        }
        PolicyHead head;
        Box clipBox = null;
        HeadOptions options = recordedOptions(r, file);
        try (Env<?, ?> probe = spec.makeUnwrapped(0)) {
            try {
                head = Heads.forActionSpace(probe.actionSpace(), options);
            } catch (IllegalArgumentException e) {
                throw new CheckpointException(file + ": env " + r.envId() + " now has action space "
                        + probe.actionSpace() + ", for which the saved head (" + r.head() + ", " + options
                        + ") cannot be built: " + e.getMessage(), e);
            }
            String layout = r.extra().get(OBSERVATION_LAYOUT);
            if (layout != null && !layout.equals(FlatLayout.of(probe.observationSpace()).describe())) {
                throw new CheckpointException(file + ": the agent was trained on observations laid out as \"" + layout
                        + "\" but env " + r.envId() + " now flattens them as \""
                        + FlatLayout.of(probe.observationSpace()).describe() + "\". Load it with the env it was"
                        + " trained on.");
            }
            if (!headName(head).equals(r.head())) {
                throw new CheckpointException(file + ": the checkpoint's policy head is " + r.head() + " but env "
                        + r.envId() + " now needs " + headName(head) + " (action space " + probe.actionSpace() + ").");
            }
            if (probe.observationSpace().flatDim() != r.obsDim() || head.policyDim() != r.policyDim()
                    || head.logStdDim() != r.logStdDim()) {
                throw new CheckpointException(file + ": the checkpoint's network takes " + r.obsDim()
                        + " observation floats and gives " + r.policyDim() + " policy outputs ("
                        + r.logStdDim() + " log-std), but env " + r.envId() + " now has "
                        + probe.observationSpace() + " / " + probe.actionSpace() + ".");
            }
            if (r.clipAction() && probe.actionSpace() instanceof Box b) {
                clipBox = b;
            }
        }
        if (f instanceof Network n && n.parameterCount(r.obsDim(), r.policyDim(), r.logStdDim())
                != r.params().length) {
            throw new CheckpointException(file + ": params has " + r.params().length + " values but " + n
                    + " has " + n.parameterCount(r.obsDim(), r.policyDim(), r.logStdDim()) + " for these sizes.");
        }
        ActorCritic net = f.create(r.obsDim(), r.policyDim(), r.logStdDim(), new SplittableRandom(0));
        if (r.params().length != net.numParams()) {
            throw new CheckpointException(file + ": params has " + r.params().length + " values but " + f
                    + " has " + net.numParams() + "; is it the factory the agent was trained with?");
        }
        System.arraycopy(r.params(), 0, net.params(), 0, r.params().length);
        net.syncParams();
        ObservationNormalizer obsNorm = null;
        if (r.obsNorm() != null) {
            obsNorm = new ObservationNormalizer(r.obsDim(), r.obsNorm().epsilon(), r.obsNorm().clip());
            obsNorm.stats().restore(r.obsNorm().stats());
        }
        return new Agent(spec, net, head, obsNorm, clipBox, f, r.extra());
    }

    /**
     * The action for a flattened observation, as floats ({@link PolicyHead#actionDim()} of them; a categorical action
     * is its index). {@code rng} is used only when {@code deterministic} is false.
     */
    public float[] actFlat(float[] flatObs, boolean deterministic, RandomGenerator random) {
        return actFlat(flatObs, null, deterministic, random);
    }

    /**
     * As {@link #actFlat(float[], boolean, RandomGenerator)} choosing only among the actions {@code mask} allows
     * ({@link PolicyHead#maskDim()} entries, {@code true} for valid; {@code null} for no mask), as the masked policy
     * was trained.
     */
    public float[] actFlat(float[] flatObs, boolean[] mask, boolean deterministic, RandomGenerator random) {
        if (mask != null && mask.length != head.maskDim()) {
            throw new IllegalArgumentException("action mask has " + mask.length + " entries but the policy takes "
                    + head.maskDim() + " (env " + env.id() + ")" + (head.maskDim() == 0
                    ? "; masks apply to Discrete and MultiDiscrete action spaces" : ""));
        }
        if (flatObs.length != obs.length) {
            throw new IllegalArgumentException("observation has " + flatObs.length + " floats but the policy takes "
                    + obs.length + " (env " + env.id() + ")");
        }
        System.arraycopy(flatObs, 0, obs, 0, obs.length);
        if (obsNorm != null) {
            obsNorm.apply(obs, 0, 1);
        }
        net.infer(obs, 1, policyOut, null);
        if (logStd.length > 0) {
            System.arraycopy(net.params(), net.logStdOffset(), logStd, 0, logStd.length);
        }
        if (deterministic) {
            if (mask == null) {
                head.mode(policyOut, logStd, 1, action);
            } else {
                head.mode(policyOut, logStd, mask, 1, action);
            }
        } else {
            rng[0] = random;
            if (mask == null) {
                head.sample(policyOut, logStd, 1, rng, action, logProb);
            } else {
                head.sample(policyOut, logStd, mask, 1, rng, action, logProb);
            }
        }
        return action.clone();
    }

    /** V(s) of a flattened observation, after normalisation. */
    public double value(float[] flatObs) {
        System.arraycopy(flatObs, 0, obs, 0, obs.length);
        if (obsNorm != null) {
            obsNorm.apply(obs, 0, 1);
        }
        net.infer(obs, 1, null, value);
        return value[0];
    }

    /**
     * The action for an observation of {@code env}'s type, in the env's action type ({@code Integer} for
     * {@link Discrete}, {@code int[]} for {@code MultiDiscrete}, a {@code float[]} inside a bounded {@link Box}).
     * When the env reports action masks ({@link ActionMasked}), only the actions its current state allows are taken.
     */
    @SuppressWarnings("unchecked")
    public <O, A> A act(Env<O, A> env, O observation, boolean deterministic, RandomGenerator random) {
        Space<O> os = env.observationSpace();
        float[] flat = new float[os.flatDim()];
        os.flatten(observation, flat, 0);
        boolean[] mask = null;
        ActionMasked masked = head.maskDim() > 0 ? ActionMasked.find(env) : null;
        if (masked != null) {
            mask = new boolean[head.maskDim()];
            masked.actionMask(mask, 0);
        }
        float[] stored = actFlat(flat, mask, deterministic, random);
        float[] a = new float[stored.length];
        head.envActions(stored, 1, a, 0);
        Space<A> as = env.actionSpace();
        if (as instanceof Discrete d) {
            return (A) Integer.valueOf((int) a[0] + d.start());
        }
        if (clipBox != null) {
            clipBox.clip(a);
        }
        return as.unflatten(a, 0, null);
    }

    /**
     * Runs {@code episodes} episodes on a fresh copy of the env (made as {@link EnvSpec#make}, so with its time
     * limit), the first reset with {@code seed}, and reports the raw returns.
     */
    public EvalResult evaluate(int episodes, boolean deterministic, long seed) {
        return evaluate(episodes, deterministic, seed, env.maxEpisodeSteps().isPresent() ? Long.MAX_VALUE
                : DEFAULT_MAX_EVAL_STEPS);
    }

    /** Episode length at which an evaluation on an env without time limit fails: 100,000 steps. */
    public static final long DEFAULT_MAX_EVAL_STEPS = 100_000;

    /**
     * As {@link #evaluate(int, boolean, long)}, failing with a clear message when an episode runs longer than
     * {@code maxEpisodeSteps} (an env that never ends would otherwise hang the evaluation).
     */
    public EvalResult evaluate(int episodes, boolean deterministic, long seed, long maxEpisodeSteps) {
        if (episodes < 1) {
            throw new IllegalArgumentException("episodes = " + episodes + " must be at least 1");
        }
        if (maxEpisodeSteps < 1) {
            throw new IllegalArgumentException("maxEpisodeSteps = " + maxEpisodeSteps + " must be at least 1");
        }
        return evaluate(env, episodes, deterministic, seed, maxEpisodeSteps);
    }

    private <O, A> EvalResult evaluate(EnvSpec<O, A> spec, int episodes, boolean deterministic, long seed,
            long maxEpisodeSteps) {
        List<Double> returns = new ArrayList<>();
        List<Integer> lengths = new ArrayList<>();
        Rng random = new Rng(seed ^ 0x5DEECE66DL);
        try (Env<O, A> e = spec.make(seed)) {
            Reset<O> r = e.reset(seed);
            O o = r.observation();
            for (int ep = 0; ep < episodes; ep++) {
                double ret = 0;
                int len = 0;
                while (true) {
                    Step<O> s = e.step(act(e, o, deterministic, random));
                    ret += s.reward();
                    len++;
                    o = s.observation();
                    if (s.done()) {
                        break;
                    }
                    if (len >= maxEpisodeSteps) {
                        throw new IllegalStateException(String.format(java.util.Locale.ROOT, "evaluation episode %d"
                                + " on %s ran %,d steps without ending; give the env a time limit (EnvSpec"
                                + " maxEpisodeSteps) or allow longer episodes (Agent.evaluate(..., maxEpisodeSteps))",
                                ep + 1, spec.id(), len));
                    }
                }
                returns.add(ret);
                lengths.add(len);
                if (ep + 1 < episodes) {
                    o = e.reset().observation();
                }
            }
        }
        return new EvalResult(returns, lengths);
    }
}
