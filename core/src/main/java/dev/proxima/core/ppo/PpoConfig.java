package dev.proxima.core.ppo;

import dev.proxima.core.env.Env;
import dev.proxima.core.env.EnvFactory;
import dev.proxima.core.env.EnvRegistry;
import dev.proxima.core.env.EnvSpec;
import dev.proxima.core.nn.Network;
import dev.proxima.core.nn.NetworkFactory;
import dev.proxima.core.space.Box;
import dev.proxima.core.space.Discrete;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * An immutable PPO configuration. Hyperparameters keep the names of CleanRL's {@code ppo.py} in camelCase, with its
 * defaults, so a run can be diffed against CleanRL line by line; the one exception is the clip range, {@code clip}.
 * Build with {@link #builder()}; {@link Builder#build()} validates every field at once and throws one
 * {@link PpoConfigException} listing every problem.
 */
public final class PpoConfig {
    private final EnvSpec<?, ?> env;
    private final long seed;
    private final int numEnvs;
    private final int numSteps;
    private final double learningRate;
    private final boolean annealLr;
    private final double gamma;
    private final double gaeLambda;
    private final int numMinibatches;
    private final int updateEpochs;
    private final boolean normAdv;
    private final double clip;
    private final boolean clipVloss;
    private final double entCoef;
    private final boolean annealEnt;
    private final double vfCoef;
    private final double maxGradNorm;
    private final double targetKl;
    private final double adamEps;
    private final boolean bootstrapTruncated;
    private final boolean normalizeObservation;
    private final boolean normalizeReward;
    private final boolean clipAction;
    private final NetworkFactory network;
    private final double logStdInit;
    private final Preset preset;
    private final List<LossTerm> losses;
    private final boolean customLosses;

    private PpoConfig(Builder b, EnvSpec<?, ?> env, List<LossTerm> losses) {
        this.env = env;
        this.seed = b.seed;
        this.numEnvs = b.numEnvs;
        this.numSteps = b.numSteps;
        this.learningRate = b.learningRate;
        this.annealLr = b.annealLr;
        this.gamma = b.gamma;
        this.gaeLambda = b.gaeLambda;
        this.numMinibatches = b.numMinibatches;
        this.updateEpochs = b.updateEpochs;
        this.normAdv = b.normAdv;
        this.clip = b.clip;
        this.clipVloss = b.clipVloss;
        this.entCoef = b.entCoef;
        this.annealEnt = b.annealEnt;
        this.vfCoef = b.vfCoef;
        this.maxGradNorm = b.maxGradNorm;
        this.targetKl = b.targetKl;
        this.adamEps = b.adamEps;
        this.bootstrapTruncated = b.bootstrapTruncated;
        this.normalizeObservation = b.normalizeObservation;
        this.normalizeReward = b.normalizeReward;
        this.clipAction = b.clipAction;
        this.network = b.network;
        this.logStdInit = b.logStdInit;
        this.preset = b.preset;
        this.losses = List.copyOf(losses);
        this.customLosses = b.losses != null;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.env = env;
        b.seed = seed;
        b.numEnvs = numEnvs;
        b.numSteps = numSteps;
        b.learningRate = learningRate;
        b.annealLr = annealLr;
        b.gamma = gamma;
        b.gaeLambda = gaeLambda;
        b.numMinibatches = numMinibatches;
        b.updateEpochs = updateEpochs;
        b.normAdv = normAdv;
        b.clip = clip;
        b.clipVloss = clipVloss;
        b.entCoef = entCoef;
        b.annealEnt = annealEnt;
        b.vfCoef = vfCoef;
        b.maxGradNorm = maxGradNorm;
        b.targetKl = targetKl;
        b.adamEps = adamEps;
        b.bootstrapTruncated = bootstrapTruncated;
        b.normalizeObservation = normalizeObservation;
        b.normalizeReward = normalizeReward;
        b.clipAction = clipAction;
        b.network = network;
        b.logStdInit = logStdInit;
        b.losses = customLosses ? new ArrayList<>(losses) : null;
        return b;
    }

    public EnvSpec<?, ?> env() { return env; }
    public long seed() { return seed; }
    public int numEnvs() { return numEnvs; }
    public int numSteps() { return numSteps; }
    public double learningRate() { return learningRate; }
    public boolean annealLr() { return annealLr; }
    public double gamma() { return gamma; }
    public double gaeLambda() { return gaeLambda; }
    public int numMinibatches() { return numMinibatches; }
    public int updateEpochs() { return updateEpochs; }
    public boolean normAdv() { return normAdv; }
    public double clip() { return clip; }
    public boolean clipVloss() { return clipVloss; }
    public double entCoef() { return entCoef; }
    public boolean annealEnt() { return annealEnt; }
    public double vfCoef() { return vfCoef; }
    /** Global gradient-norm limit; {@code Double.POSITIVE_INFINITY} disables clipping. */
    public double maxGradNorm() { return maxGradNorm; }
    /** Early-stop threshold on approx KL per epoch (CleanRL {@code target_kl}); {@code NaN} for none. */
    public double targetKl() { return targetKl; }
    public double adamEps() { return adamEps; }
    /** Whether truncated episodes are bootstrapped with V(final observation) (true; CleanRL as written: false). */
    public boolean bootstrapTruncated() { return bootstrapTruncated; }
    public boolean normalizeObservation() { return normalizeObservation; }
    public boolean normalizeReward() { return normalizeReward; }
    public boolean clipAction() { return clipAction; }
    public NetworkFactory network() { return network; }
    /** Initial Gaussian {@code log_std} (CleanRL: 0). */
    public double logStdInit() { return logStdInit; }
    /** The preset the values came from, if any (already applied: the accessors give the final values). */
    public java.util.Optional<Preset> preset() { return java.util.Optional.ofNullable(preset); }
    /** The loss terms in evaluation order (the defaults, or what {@link Builder#losses} set). */
    public List<LossTerm> losses() { return losses; }

    /** Rows per rollout: {@code numEnvs * numSteps} (CleanRL {@code batch_size}). */
    public int batchSize() { return numEnvs * numSteps; }

    /** Rows per minibatch (CleanRL {@code minibatch_size}). */
    public int minibatchSize() { return batchSize() / numMinibatches; }

    /** Updates needed for {@code totalSteps} env steps: {@code totalSteps / batchSize}, at least 1. */
    public int numUpdates(long totalSteps) {
        return (int) Math.max(1, totalSteps / batchSize());
    }

    /** Every field by name, in CleanRL's order. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("env", env.id());
        m.put("seed", seed);
        m.put("learningRate", learningRate);
        m.put("numEnvs", numEnvs);
        m.put("numSteps", numSteps);
        m.put("annealLr", annealLr);
        m.put("gamma", gamma);
        m.put("gaeLambda", gaeLambda);
        m.put("numMinibatches", numMinibatches);
        m.put("updateEpochs", updateEpochs);
        m.put("normAdv", normAdv);
        m.put("clip", clip);
        m.put("clipVloss", clipVloss);
        m.put("entCoef", entCoef);
        m.put("annealEnt", annealEnt);
        m.put("vfCoef", vfCoef);
        m.put("maxGradNorm", maxGradNorm);
        m.put("targetKl", Double.isNaN(targetKl) ? "none" : targetKl);
        m.put("adamEps", adamEps);
        m.put("bootstrapTruncated", bootstrapTruncated);
        m.put("normalizeObservation", normalizeObservation);
        m.put("normalizeReward", normalizeReward);
        m.put("clipAction", clipAction);
        m.put("network", String.valueOf(network));
        m.put("logStdInit", logStdInit);
        m.put("preset", preset == null ? "none" : preset.toString());
        m.put("losses", losses.toString());
        return m;
    }

    /** CleanRL's {@code |param|value|} hyperparameter table, in Markdown. */
    public String describe() {
        StringBuilder s = new StringBuilder("|param|value|\n|-|-|\n");
        toMap().forEach((k, v) -> s.append('|').append(k).append('|').append(v).append("|\n"));
        return s.toString();
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("PpoConfig{");
        toMap().forEach((k, v) -> s.append(k).append('=').append(v).append(", "));
        s.setLength(s.length() - 2);
        return s.append('}').toString();
    }

    /**
     * Collects settings; nothing is checked until {@link #build()}, which reports every problem at once. Defaults are
     * CleanRL's {@code ppo.py}: {@code learningRate 2.5e-4, numEnvs 4, numSteps 128, annealLr, gamma 0.99,
     * gaeLambda 0.95, numMinibatches 4, updateEpochs 4, normAdv, clip 0.2, clipVloss, entCoef 0.01, vfCoef 0.5,
     * maxGradNorm 0.5, no targetKl}, Adam eps 1e-5, separate 64-64 tanh actor and critic.
     */
    public static final class Builder {
        private EnvSpec<?, ?> env;
        private String envId;
        private EnvFactory<?, ?> envFactory;
        private EnvRegistry registry;
        private long seed = 1;
        private int numEnvs = 4;
        private int numSteps = 128;
        private double learningRate = 2.5e-4;
        private boolean annealLr = true;
        private double gamma = 0.99;
        private double gaeLambda = 0.95;
        private int numMinibatches = 4;
        private int updateEpochs = 4;
        private boolean normAdv = true;
        private double clip = 0.2;
        private boolean clipSet;
        private boolean clipVloss = true;
        private double entCoef = 0.01;
        private boolean annealEnt;
        private double vfCoef = 0.5;
        private boolean coefSet;
        private double maxGradNorm = 0.5;
        private double targetKl = Double.NaN;
        private double adamEps = 1e-5;
        private boolean bootstrapTruncated = true;
        private boolean normalizeObservation;
        private boolean normalizeReward;
        private boolean clipAction = true;
        private NetworkFactory network = Network.DEFAULT;
        private double logStdInit;
        private Preset preset;
        /** Settings given explicitly; a preset fills in only the others, whatever the call order. */
        private final java.util.Set<String> explicit = new java.util.HashSet<>();
        private List<LossTerm> losses;

        private Builder() {}

        /** The env to train on, with its time limit and threshold. */
        public Builder env(EnvSpec<?, ?> spec) {
            this.env = Objects.requireNonNull(spec, "env spec");
            this.envId = null;
            this.envFactory = null;
            return this;
        }

        /** An env looked up by id (e.g. {@code CartPole-v1}) in {@link EnvRegistry#global()} at {@link #build()}. */
        public Builder env(String id) {
            this.envId = Objects.requireNonNull(id, "env id");
            this.env = null;
            this.envFactory = null;
            return this;
        }

        /** A custom env without time limit or threshold; its id is the env's {@link Env#name()}. */
        public Builder env(EnvFactory<?, ?> factory) {
            this.envFactory = Objects.requireNonNull(factory, "env factory");
            this.env = null;
            this.envId = null;
            return this;
        }

        /** A custom env from a no-argument constructor, e.g. {@code .env(MyEnv::new)}. */
        public Builder env(Supplier<? extends Env<?, ?>> constructor) {
            Objects.requireNonNull(constructor, "env constructor");
            @SuppressWarnings("unchecked")
            EnvFactory<Object, Object> f = seed -> (Env<Object, Object>) constructor.get();
            return env(f);
        }

        /** The registry {@link #env(String)} looks ids up in (default {@link EnvRegistry#global()}). */
        public Builder registry(EnvRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** The one seed from which network init, env seeds, action sampling and minibatch order derive. */
        public Builder seed(long seed) { this.seed = seed; explicit.add("seed"); return this; }
        public Builder numEnvs(int numEnvs) { this.numEnvs = numEnvs; explicit.add("numEnvs"); return this; }
        public Builder numSteps(int numSteps) { this.numSteps = numSteps; explicit.add("numSteps"); return this; }

        /** {@code numEnvs × numSteps} steps per rollout. */
        public Builder rollout(int numEnvs, int numSteps) {
            this.numEnvs = numEnvs;
            this.numSteps = numSteps;
            explicit.add("numEnvs");
            explicit.add("numSteps");
            return this;
        }

        public Builder learningRate(double lr) { this.learningRate = lr; explicit.add("learningRate"); return this; }
        /** Linear learning-rate annealing to 0 over the run (CleanRL {@code anneal_lr}). */
        public Builder annealLr(boolean anneal) { this.annealLr = anneal; explicit.add("annealLr"); return this; }
        public Builder gamma(double gamma) { this.gamma = gamma; explicit.add("gamma"); return this; }
        public Builder gaeLambda(double lambda) { this.gaeLambda = lambda; explicit.add("gaeLambda"); return this; }

        public Builder gae(double gamma, double gaeLambda) {
            this.gamma = gamma;
            this.gaeLambda = gaeLambda;
            explicit.add("gamma");
            explicit.add("gaeLambda");
            return this;
        }

        public Builder numMinibatches(int n) { this.numMinibatches = n; explicit.add("numMinibatches"); return this; }
        public Builder updateEpochs(int n) { this.updateEpochs = n; explicit.add("updateEpochs"); return this; }
        public Builder normAdv(boolean on) { this.normAdv = on; explicit.add("normAdv"); return this; }

        /** The clip range ε of the clipped surrogate (and of value clipping, as in CleanRL). */
        public Builder clip(double clip) {
            this.clip = clip;
            this.clipSet = true;
            explicit.add("clip");
            return this;
        }

        public Builder clipVloss(boolean on) { this.clipVloss = on; this.coefSet = true; explicit.add("clipVloss"); return this; }
        public Builder entCoef(double c) { this.entCoef = c; this.coefSet = true; explicit.add("entCoef"); return this; }
        /** Anneal the entropy coefficient linearly to 0, like the learning rate. */
        public Builder annealEnt(boolean on) { this.annealEnt = on; this.coefSet = true; explicit.add("annealEnt"); return this; }
        public Builder vfCoef(double c) { this.vfCoef = c; this.coefSet = true; explicit.add("vfCoef"); return this; }
        /** Global gradient-norm clip; {@code Double.POSITIVE_INFINITY} turns clipping off. */
        public Builder maxGradNorm(double n) { this.maxGradNorm = n; explicit.add("maxGradNorm"); return this; }
        /** Stop the epochs of an update early once approx KL exceeds this; {@code NaN} (default) for never. */
        public Builder targetKl(double kl) { this.targetKl = kl; explicit.add("targetKl"); return this; }
        public Builder adamEps(double eps) { this.adamEps = eps; explicit.add("adamEps"); return this; }
        /**
         * Bootstrap truncated episodes with V(final observation) (default true). {@code false} reproduces CleanRL as
         * written, which treats a time limit like a terminal state.
         */
        public Builder bootstrapTruncated(boolean on) { this.bootstrapTruncated = on; explicit.add("bootstrapTruncated"); return this; }
        /** Normalise observations with running statistics, clip ±10 (Gymnasium {@code NormalizeObservation}). */
        public Builder normalizeObservation(boolean on) { this.normalizeObservation = on; explicit.add("normalizeObservation"); return this; }
        /** Scale rewards by the std of the discounted return, clip ±10 (Gymnasium {@code NormalizeReward}). */
        public Builder normalizeReward(boolean on) { this.normalizeReward = on; explicit.add("normalizeReward"); return this; }
        /** Clip Gaussian actions into a bounded Box before the env sees them (the buffer keeps the raw sample). */
        public Builder clipAction(boolean on) { this.clipAction = on; explicit.add("clipAction"); return this; }
        public Builder network(NetworkFactory network) { this.network = network; explicit.add("network"); return this; }

        /**
         * Initial value of the Gaussian head's state-independent {@code log_std} (CleanRL: 0, i.e. σ = 1). Lower
         * values start with less exploration noise (rl-zoo3's MountainCarContinuous uses -3.29).
         */
        public Builder logStdInit(double v) { this.logStdInit = v; explicit.add("logStdInit"); return this; }

        /**
         * Hyperparameters from a {@link Preset} for the configured env, applied at {@link #build()} to every setting
         * not given explicitly (before or after this call). {@code null} removes the preset.
         */
        public Builder preset(Preset preset) { this.preset = preset; return this; }

        /**
         * Replaces the default loss terms ({@link ClippedSurrogate}, {@link ValueLoss}, {@link EntropyBonus} built from
         * {@code clip}, {@code vfCoef}, {@code clipVloss}, {@code entCoef}).
         */
        public Builder losses(List<? extends LossTerm> terms) {
            this.losses = terms == null ? null : new ArrayList<>(terms);
            return this;
        }

        public Builder losses(LossTerm... terms) {
            return losses(List.of(terms));
        }

        /** Validates every field and returns the configuration, or throws one exception listing every problem. */
        public PpoConfig build() {
            List<String> problems = new ArrayList<>();
            EnvSpec<?, ?> spec = resolveEnv(problems);
            if (preset != null && spec != null) {
                try {
                    preset.apply(spec, this);
                } catch (IllegalArgumentException e) {
                    problems.add("preset = " + preset + ": " + e.getMessage());
                }
            }
            positive(problems, "numEnvs", numEnvs, "Use at least 1 env copy (CleanRL: 4).");
            positive(problems, "numSteps", numSteps, "Use at least 1 step per env per rollout (CleanRL: 128).");
            positive(problems, "numMinibatches", numMinibatches, "Use at least 1 (CleanRL: 4).");
            positive(problems, "updateEpochs", updateEpochs, "Use at least 1 epoch (CleanRL: 4).");
            if (numEnvs >= 1 && numSteps >= 1 && numMinibatches >= 1) {
                long batch = (long) numEnvs * numSteps;
                if (batch > Integer.MAX_VALUE / 8) {
                    problems.add("numEnvs*numSteps = " + numEnvs + "*" + numSteps + " = " + batch
                            + " rows is too large for one rollout. Use fewer envs or steps.");
                } else if (batch % numMinibatches != 0 || batch < numMinibatches) {
                    long q = batch / numMinibatches;
                    problems.add("numMinibatches = " + numMinibatches + ": numEnvs*numSteps = " + numEnvs + "*"
                            + numSteps + " = " + batch + " rows do not split into " + numMinibatches
                            + " equal minibatches" + (q > 0 ? " (" + q + " each, " + (batch % numMinibatches)
                            + " left over)" : "") + ". Use a divisor of " + batch + " (" + divisors(batch)
                            + ") or change numSteps.");
                }
            }
            if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
                problems.add("learningRate = " + learningRate + " must be a positive finite number."
                        + " CleanRL uses 2.5e-4 (3e-4 for continuous control).");
            }
            unit(problems, "gamma", gamma, "The discount must lie in [0, 1]; CleanRL uses 0.99.");
            unit(problems, "gaeLambda", gaeLambda, "GAE's λ must lie in [0, 1]; CleanRL uses 0.95.");
            if (!(clip > 0) || !Double.isFinite(clip)) {
                problems.add("clip = " + clip + " must be a positive finite number; the PPO paper and CleanRL use 0.2.");
            }
            nonNegative(problems, "entCoef", entCoef, "CleanRL uses 0.01 (0 for continuous control).");
            nonNegative(problems, "vfCoef", vfCoef, "CleanRL uses 0.5.");
            if (!(maxGradNorm > 0)) {
                problems.add("maxGradNorm = " + maxGradNorm + " must be positive; use Double.POSITIVE_INFINITY to"
                        + " turn gradient clipping off (CleanRL: 0.5).");
            }
            if (!Double.isNaN(targetKl) && !(targetKl > 0 && Double.isFinite(targetKl))) {
                problems.add("targetKl = " + targetKl + " must be positive and finite, or NaN for no early stop"
                        + " (CleanRL suggests 0.015 when used).");
            }
            if (!(adamEps > 0) || !Double.isFinite(adamEps)) {
                problems.add("adamEps = " + adamEps + " must be a positive finite number (CleanRL: 1e-5).");
            }
            if (!Double.isFinite(logStdInit)) {
                problems.add("logStdInit = " + logStdInit + " must be finite (CleanRL: 0, i.e. σ = 1).");
            }
            if (network == null) {
                problems.add("network = null. Use Network.separate(...) or Network.shared(...), or leave the default.");
            }
            if (losses != null) {
                checkLosses(problems, losses);
            }
            if (!problems.isEmpty()) {
                throw new PpoConfigException(problems);
            }
            return new PpoConfig(this, spec, losses != null ? losses : defaultLosses());
        }

        /** Sets {@code name} to {@code value} unless it was set explicitly (used by {@link Preset}). */
        void presetValue(String name, Object value) {
            if (explicit.contains(name)) {
                return;
            }
            switch (name) {
                case "numEnvs" -> numEnvs = (Integer) value;
                case "numSteps" -> numSteps = (Integer) value;
                case "learningRate" -> learningRate = (Double) value;
                case "annealLr" -> annealLr = (Boolean) value;
                case "gamma" -> gamma = (Double) value;
                case "gaeLambda" -> gaeLambda = (Double) value;
                case "numMinibatches" -> numMinibatches = (Integer) value;
                case "updateEpochs" -> updateEpochs = (Integer) value;
                case "normAdv" -> normAdv = (Boolean) value;
                case "clip" -> clip = (Double) value;
                case "clipVloss" -> clipVloss = (Boolean) value;
                case "entCoef" -> entCoef = (Double) value;
                case "vfCoef" -> vfCoef = (Double) value;
                case "maxGradNorm" -> maxGradNorm = (Double) value;
                case "normalizeObservation" -> normalizeObservation = (Boolean) value;
                case "normalizeReward" -> normalizeReward = (Boolean) value;
                case "logStdInit" -> logStdInit = (Double) value;
                case "network" -> network = (NetworkFactory) value;
                default -> throw new IllegalStateException("preset sets unknown field " + name);
            }
        }

        private List<LossTerm> defaultLosses() {
            return List.of(new ClippedSurrogate(), new ValueLoss(vfCoef, clipVloss), new EntropyBonus(entCoef, annealEnt));
        }

        private void checkLosses(List<String> problems, List<LossTerm> terms) {
            if (terms.isEmpty()) {
                problems.add("losses = []: at least one loss term is needed, normally ClippedSurrogate().");
            }
            Map<String, Integer> keys = new LinkedHashMap<>();
            for (int i = 0; i < terms.size(); i++) {
                LossTerm t = terms.get(i);
                if (t == null) {
                    problems.add("losses[" + i + "] = null. Remove it or give a LossTerm.");
                    continue;
                }
                Integer prev = keys.put(t.key(), i);
                if (prev != null) {
                    problems.add("losses[" + i + "] = " + t + " reports under \"" + t.key() + "\" like losses[" + prev
                            + "]. Give each term its own key, or remove the duplicate.");
                }
                if (clipSet && t instanceof ClippedSurrogate cs && cs.clip().isPresent()
                        && cs.clip().getAsDouble() != clip) {
                    problems.add("clip = " + clip + " has no effect: losses lists " + cs
                            + " explicitly. Set the clip range in one place.");
                }
            }
            if (coefSet) {
                problems.add("entCoef/vfCoef/clipVloss/annealEnt were set but losses are given explicitly, so they"
                        + " have no effect. Configure ValueLoss(...) and EntropyBonus(...) in the losses instead.");
            }
        }

        private EnvSpec<?, ?> resolveEnv(List<String> problems) {
            try {
                EnvSpec<?, ?> spec;
                if (env != null) {
                    spec = env;
                } else if (envId != null) {
                    spec = (registry != null ? registry : EnvRegistry.global()).spec(envId);
                } else if (envFactory != null) {
                    spec = anonymousSpec(envFactory);
                } else {
                    problems.add("env is not set. Give an env spec, an id such as \"CartPole-v1\", or a factory"
                            + " such as MyEnv::new.");
                    return null;
                }
                checkSpaces(problems, spec);
                return spec;
            } catch (RuntimeException e) {
                problems.add("env: " + e.getMessage());
                return null;
            }
        }

        private static <O, A> EnvSpec<O, A> anonymousSpec(EnvFactory<O, A> factory) {
            String name;
            try (Env<O, A> probe = factory.create(0)) {
                name = probe.name().replaceAll("\\s+", "");
            }
            return new EnvSpec<>(name.isEmpty() ? "Custom-v0" : name, factory, 0, Double.NaN);
        }

        private static void checkSpaces(List<String> problems, EnvSpec<?, ?> spec) {
            try (Env<?, ?> probe = spec.makeUnwrapped(0)) {
                Object a = probe.actionSpace();
                if (!(a instanceof Discrete) && !(a instanceof Box)) {
                    problems.add("env " + spec.id() + " has action space " + a + "; PPO here supports Discrete"
                            + " (categorical head) and Box (Gaussian head).");
                }
                if (probe.observationSpace() == null || probe.observationSpace().flatDim() < 1) {
                    problems.add("env " + spec.id() + " has observation space " + probe.observationSpace()
                            + " with no entries; observations must flatten to at least one float.");
                }
            }
        }

        private static void positive(List<String> problems, String name, int v, String fix) {
            if (v < 1) {
                problems.add(name + " = " + v + " must be at least 1. " + fix);
            }
        }

        private static void unit(List<String> problems, String name, double v, String fix) {
            if (!(v >= 0 && v <= 1)) {
                problems.add(name + " = " + v + " is outside [0, 1]. " + fix);
            }
        }

        private static void nonNegative(List<String> problems, String name, double v, String fix) {
            if (!(v >= 0) || !Double.isFinite(v)) {
                problems.add(name + " = " + v + " must be a finite number >= 0. " + fix);
            }
        }

        private static String divisors(long n) {
            List<String> d = new ArrayList<>();
            for (long i = 1; i <= n && d.size() < 6; i++) {
                if (n % i == 0) {
                    d.add(Long.toString(i));
                }
            }
            return String.join(", ", d) + ", ...";
        }
    }
}
