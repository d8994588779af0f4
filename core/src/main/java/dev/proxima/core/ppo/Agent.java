package dev.proxima.core.ppo;

import dev.proxima.core.dist.PolicyHead;
import dev.proxima.core.env.Env;
import dev.proxima.core.env.EnvRegistry;
import dev.proxima.core.env.EnvSpec;
import dev.proxima.core.env.ObservationNormalizer;
import dev.proxima.core.env.Reset;
import dev.proxima.core.env.Step;
import dev.proxima.core.nn.ActorCritic;
import dev.proxima.core.nn.NetworkFactory;
import dev.proxima.core.run.Rng;
import dev.proxima.core.space.Box;
import dev.proxima.core.space.Discrete;
import dev.proxima.core.space.Space;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        this.env = env;
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

    /** Writes the policy (weights, architecture, env id, normaliser) atomically; see {@link Checkpoint}. */
    public void save(Path file) throws IOException {
        Checkpoint.save(this, file);
    }

    /**
     * Loads an agent from an agent or training checkpoint; the env is looked up by id in
     * {@link EnvRegistry#global()}.
     */
    public static Agent load(Path file) throws IOException {
        return load(file, EnvRegistry.global());
    }

    /** As {@link #load(Path)} with the env looked up in {@code registry}. */
    public static Agent load(Path file, EnvRegistry registry) throws IOException {
        return Checkpoint.loadAgent(file, registry, null);
    }

    /** As {@link #load(Path, EnvRegistry)} for an agent trained with a custom {@link NetworkFactory}. */
    public static Agent load(Path file, EnvRegistry registry, NetworkFactory factory) throws IOException {
        return Checkpoint.loadAgent(file, registry, factory);
    }

    /**
     * The action for a flattened observation, as floats ({@link PolicyHead#actionDim()} of them; a categorical action
     * is its index). {@code rng} is used only when {@code deterministic} is false.
     */
    public float[] actFlat(float[] flatObs, boolean deterministic, RandomGenerator random) {
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
            head.mode(policyOut, logStd, 1, action);
        } else {
            rng[0] = random;
            head.sample(policyOut, logStd, 1, rng, action, logProb);
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
     * {@link Discrete}, a clipped {@code float[]} for a bounded {@link Box}).
     */
    @SuppressWarnings("unchecked")
    public <O, A> A act(Env<O, A> env, O observation, boolean deterministic, RandomGenerator random) {
        Space<O> os = env.observationSpace();
        float[] flat = new float[os.flatDim()];
        os.flatten(observation, flat, 0);
        float[] a = actFlat(flat, deterministic, random);
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
        if (episodes < 1) {
            throw new IllegalArgumentException("episodes = " + episodes + " must be at least 1");
        }
        return evaluate(env, episodes, deterministic, seed);
    }

    private <O, A> EvalResult evaluate(EnvSpec<O, A> spec, int episodes, boolean deterministic, long seed) {
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
                    if (len > 10_000_000) {
                        throw new IllegalStateException("evaluation episode on " + spec.id() + " ran 10^7 steps"
                                + " without ending; give the env a time limit (EnvSpec maxEpisodeSteps)");
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
