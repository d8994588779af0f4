package dev.proxima.core.ppo;

import dev.proxima.core.dist.ContinuousActions;
import dev.proxima.core.dist.HeadOptions;
import dev.proxima.core.dist.Heads;
import dev.proxima.core.dist.LogStdBound;
import dev.proxima.core.dist.PolicyHead;
import dev.proxima.core.env.Env;
import dev.proxima.core.env.EnvFactory;
import dev.proxima.core.env.EnvLookup;
import dev.proxima.core.env.EnvSpec;
import dev.proxima.core.nn.Network;
import dev.proxima.core.nn.NetworkFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable PPO configuration: the env and the hyperparameters of {@link Params}, which keep the names and
 * defaults of CleanRL's {@code ppo.py} in camelCase ({@code clip} for the clip range), so a run can be diffed against
 * CleanRL line by line. Build with {@link #builder()}; {@link Builder#build()} validates every setting at once and
 * throws one {@link PpoConfigException} listing every problem.
 *
 * <pre>{@code
 * PpoConfig config = PpoConfig.builder()
 *         .env("CartPole-v1")                       // or .env(ClassicControl.cartPole()), .env(seed -> new MyEnv())
 *         .preset(Preset.TUNED)                     // fills every setting not given explicitly
 *         .seed(1).clip(0.2)
 *         .build();
 * }</pre>
 */
public final class PpoConfig {
    private final EnvSpec<?, ?> env;
    private final Object[] values;
    private final List<LossTerm> losses;
    /** The builder this config came from (a private copy), so {@link #toBuilder()} keeps what was explicit. */
    private final Builder origin;

    private PpoConfig(EnvSpec<?, ?> env, Object[] values, List<LossTerm> losses, Builder origin) {
        this.env = env;
        this.values = values;
        this.losses = List.copyOf(losses);
        this.origin = origin;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding what built this configuration: the explicit settings, the preset, the env and the loss terms.
     * Changing one setting and building again gives the same configuration but for that setting (the preset fills the
     * others as before), e.g. {@code config.toBuilder().seed(2).build()}.
     */
    public Builder toBuilder() {
        return origin.copy();
    }

    /** The value of a setting, e.g. {@code config.get(Params.CLIP)}. */
    public <T> T get(Param<T> p) {
        return p.type().cast(values[p.index()]);
    }

    public EnvSpec<?, ?> env() { return env; }
    public long seed() { return get(Params.SEED); }
    public int numEnvs() { return get(Params.NUM_ENVS); }
    public int numSteps() { return get(Params.NUM_STEPS); }
    public double learningRate() { return get(Params.LEARNING_RATE); }
    public boolean annealLr() { return get(Params.ANNEAL_LR); }
    public double gamma() { return get(Params.GAMMA); }
    public double gaeLambda() { return get(Params.GAE_LAMBDA); }
    public int numMinibatches() { return get(Params.NUM_MINIBATCHES); }
    public int updateEpochs() { return get(Params.UPDATE_EPOCHS); }
    public boolean normAdv() { return get(Params.NORM_ADV); }
    public double clip() { return get(Params.CLIP); }
    public boolean clipVloss() { return get(Params.CLIP_VLOSS); }
    public double entCoef() { return get(Params.ENT_COEF); }
    public boolean annealEnt() { return get(Params.ANNEAL_ENT); }
    public double vfCoef() { return get(Params.VF_COEF); }
    /** Global gradient-norm limit; {@code Double.POSITIVE_INFINITY} disables clipping. */
    public double maxGradNorm() { return get(Params.MAX_GRAD_NORM); }
    /** Early-stop threshold on approx KL per epoch (CleanRL {@code target_kl}); {@code NaN} for none. */
    public double targetKl() { return get(Params.TARGET_KL); }
    public double adamEps() { return get(Params.ADAM_EPS); }
    /** Whether truncated episodes are bootstrapped with V(final observation) (true; CleanRL as written: false). */
    public boolean bootstrapTruncated() { return get(Params.BOOTSTRAP_TRUNCATED); }
    public boolean normalizeObservation() { return get(Params.NORMALIZE_OBSERVATION); }
    public boolean normalizeReward() { return get(Params.NORMALIZE_REWARD); }
    public boolean clipAction() { return get(Params.CLIP_ACTION); }
    public NetworkFactory network() { return get(Params.NETWORK); }
    /** Initial Gaussian {@code log_std} (CleanRL: 0). */
    public double logStdInit() { return get(Params.LOG_STD_INIT); }
    /** How a {@code Box} action space is handled: clipped Gaussian (CleanRL) or tanh-squashed Gaussian. */
    public ContinuousActions continuousActions() { return get(Params.CONTINUOUS_ACTIONS); }
    /** The bound on the Gaussian's {@code log_std} ({@link LogStdBound#NONE}, CleanRL, by default). */
    public LogStdBound logStdBound() { return get(Params.LOG_STD_BOUND); }

    /** The policy head's options: {@link #continuousActions()} and {@link #logStdBound()}. */
    public HeadOptions headOptions() { return new HeadOptions(continuousActions(), logStdBound()); }

    /** The preset the values came from, if any (already applied: the accessors give the final values). */
    public Optional<Preset> preset() { return Optional.ofNullable(origin.preset); }

    /** The loss terms in evaluation order: the defaults (or what {@link Builder#losses} set), then the added ones. */
    public List<LossTerm> losses() { return losses; }

    /** Rows per rollout: {@code numEnvs * numSteps} (CleanRL {@code batch_size}). */
    public int batchSize() { return numEnvs() * numSteps(); }

    /** Rows per minibatch (CleanRL {@code minibatch_size}). */
    public int minibatchSize() { return batchSize() / numMinibatches(); }

    /**
     * Updates needed for {@code totalSteps} env steps: {@code totalSteps / batchSize} (CleanRL's
     * {@code num_iterations}), at least 1.
     *
     * @throws IllegalArgumentException when {@code totalSteps < 1}, or when it would take more than
     *                                  {@link #MAX_UPDATES} updates
     */
    public int numUpdates(long totalSteps) {
        if (totalSteps < 1) {
            throw new IllegalArgumentException("totalSteps = " + totalSteps + " must be at least 1 env step.");
        }
        long n = Math.max(1, totalSteps / batchSize());
        if (n > MAX_UPDATES) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "totalSteps = %,d would take %,d updates of %,d steps; at most %,d updates (%,d steps with this"
                            + " rollout) are supported. Train in several runs or use a larger rollout.",
                    totalSteps, n, batchSize(), MAX_UPDATES, MAX_UPDATES * (long) batchSize()));
        }
        return (int) n;
    }

    /** The most updates one run can have: update counters are {@code int}. */
    public static final long MAX_UPDATES = Integer.MAX_VALUE;

    /**
     * Every setting by name, in CleanRL's order: {@code env}, the {@link Params} ({@code targetKl} NaN as
     * {@code "none"}), {@code preset} and {@code losses}.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("env", env.id());
        for (Param<?> p : Params.all()) {
            m.put(p.name(), p.display(values[p.index()]));
        }
        m.put("preset", origin.preset == null ? "none" : origin.preset.toString());
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
     * CleanRL's {@code ppo.py} ({@link Params}); a {@link #preset} fills every setting not given explicitly, whatever
     * the call order.
     */
    public static final class Builder {
        private final Object[] values = new Object[Params.all().size()];
        private final boolean[] explicit = new boolean[values.length];
        private EnvSpec<?, ?> env;
        private String envId;
        private EnvFactory<?, ?> envFactory;
        private EnvLookup registry;
        private Preset preset;
        private List<LossTerm> losses;
        private final List<LossTerm> addedLosses = new ArrayList<>();
        /** Problems found while setting values by name; reported by {@link #build()} with the others. */
        private final List<String> textProblems = new ArrayList<>();

        private Builder() {
            for (Param<?> p : Params.all()) {
                values[p.index()] = p.defaultValue();
            }
        }

        private Builder copy() {
            Builder b = new Builder();
            System.arraycopy(values, 0, b.values, 0, values.length);
            System.arraycopy(explicit, 0, b.explicit, 0, explicit.length);
            b.env = env;
            b.envId = envId;
            b.envFactory = envFactory;
            b.registry = registry;
            b.preset = preset;
            b.losses = losses == null ? null : new ArrayList<>(losses);
            b.addedLosses.addAll(addedLosses);
            b.textProblems.addAll(textProblems);
            return b;
        }

        // ------------------------------------------------------------------------------------------- environment

        /** The env to train on, with its time limit and threshold. */
        public Builder env(EnvSpec<?, ?> spec) {
            this.env = Objects.requireNonNull(spec, "env spec");
            this.envId = null;
            this.envFactory = null;
            return this;
        }

        /**
         * An env looked up by id (e.g. {@code CartPole-v1}) at {@link #build()}, in the {@link #registry} (default:
         * {@code dev.proxima.core.plugin.Registry.global()}, every {@code EnvProvider} on the class path).
         */
        public Builder env(String id) {
            this.envId = Objects.requireNonNull(id, "env id");
            this.env = null;
            this.envFactory = null;
            return this;
        }

        /**
         * A custom env made from each copy's seed, without time limit or threshold; its id is the env's
         * {@link Env#name()}. {@code .env(MyEnv::new)} for a {@code MyEnv(long seed)} constructor;
         * {@code .env(seed -> new MyEnv())} (or {@code EnvFactory.of(MyEnv::new)}) for a no-argument one. For a time
         * limit, give an {@link EnvSpec}.
         */
        public Builder env(EnvFactory<?, ?> factory) {
            this.envFactory = Objects.requireNonNull(factory, "env factory");
            this.env = null;
            this.envId = null;
            return this;
        }

        /** Where {@link #env(String)} looks ids up (default: the global registry of every provider). */
        public Builder registry(EnvLookup registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        // ------------------------------------------------------------------------------------------- settings

        /** Sets a setting; typed: {@code set(Params.NUM_ENVS, 8)} compiles, {@code set(Params.NUM_ENVS, 0.5)} not. */
        public <T> Builder set(Param<T> p, T value) {
            values[p.index()] = p.cast(value);
            explicit[p.index()] = true;
            return this;
        }

        /**
         * Sets a setting given by name and text, as the CLI's {@code --set name=value} does:
         * {@code set("learningRate", "3e-4")}. An unknown name (reported with the closest known one) or a value that
         * does not parse is reported by {@link #build()} with every other problem.
         */
        public Builder set(String name, String value) {
            Param<?> p;
            try {
                p = Params.named(name);
            } catch (IllegalArgumentException e) {
                textProblems.add(e.getMessage());
                return this;
            }
            try {
                setParsed(p, value);
            } catch (IllegalArgumentException e) {
                textProblems.add(e.getMessage());
            }
            return this;
        }

        private <T> void setParsed(Param<T> p, String text) {
            set(p, p.parse(text));
        }

        /** The value this builder holds for a setting (explicit or default; the preset applies at build). */
        public <T> T get(Param<T> p) {
            return p.type().cast(values[p.index()]);
        }

        /** Whether a setting was given explicitly (a preset does not override it). */
        public boolean isSet(Param<?> p) {
            return explicit[p.index()];
        }

        /** The one seed from which network init, env seeds, action sampling and minibatch order derive. */
        public Builder seed(long seed) { return set(Params.SEED, seed); }
        public Builder numEnvs(int numEnvs) { return set(Params.NUM_ENVS, numEnvs); }
        public Builder numSteps(int numSteps) { return set(Params.NUM_STEPS, numSteps); }

        /** {@code numEnvs × numSteps} steps per rollout. */
        public Builder rollout(int numEnvs, int numSteps) { return numEnvs(numEnvs).numSteps(numSteps); }

        public Builder learningRate(double lr) { return set(Params.LEARNING_RATE, lr); }
        /** Linear learning-rate annealing towards 0 over the run (CleanRL {@code anneal_lr}). */
        public Builder annealLr(boolean anneal) { return set(Params.ANNEAL_LR, anneal); }
        public Builder gamma(double gamma) { return set(Params.GAMMA, gamma); }
        public Builder gaeLambda(double lambda) { return set(Params.GAE_LAMBDA, lambda); }

        /** The discount γ and GAE's λ. */
        public Builder gae(double gamma, double gaeLambda) { return gamma(gamma).gaeLambda(gaeLambda); }

        public Builder numMinibatches(int n) { return set(Params.NUM_MINIBATCHES, n); }
        public Builder updateEpochs(int n) { return set(Params.UPDATE_EPOCHS, n); }
        public Builder normAdv(boolean on) { return set(Params.NORM_ADV, on); }
        /** The clip range ε of the clipped surrogate (and of value clipping, as in CleanRL). */
        public Builder clip(double clip) { return set(Params.CLIP, clip); }
        public Builder clipVloss(boolean on) { return set(Params.CLIP_VLOSS, on); }
        public Builder entCoef(double c) { return set(Params.ENT_COEF, c); }
        /** Anneal the entropy coefficient linearly towards 0, like the learning rate. */
        public Builder annealEnt(boolean on) { return set(Params.ANNEAL_ENT, on); }
        public Builder vfCoef(double c) { return set(Params.VF_COEF, c); }
        /** Global gradient-norm clip; {@code Double.POSITIVE_INFINITY} turns clipping off. */
        public Builder maxGradNorm(double n) { return set(Params.MAX_GRAD_NORM, n); }
        /** Stop the epochs of an update early once approx KL exceeds this; {@code NaN} (default) for never. */
        public Builder targetKl(double kl) { return set(Params.TARGET_KL, kl); }
        public Builder adamEps(double eps) { return set(Params.ADAM_EPS, eps); }
        /**
         * Bootstrap truncated episodes with V(final observation) (default true). {@code false} reproduces CleanRL as
         * written, which treats a time limit like a terminal state.
         */
        public Builder bootstrapTruncated(boolean on) { return set(Params.BOOTSTRAP_TRUNCATED, on); }
        /** Normalise observations with running statistics, clip ±10 (Gymnasium {@code NormalizeObservation}). */
        public Builder normalizeObservation(boolean on) { return set(Params.NORMALIZE_OBSERVATION, on); }
        /** Scale rewards by the std of the discounted return, clip ±10 (Gymnasium {@code NormalizeReward}). */
        public Builder normalizeReward(boolean on) { return set(Params.NORMALIZE_REWARD, on); }
        /** Clip Gaussian actions into a bounded Box before the env sees them (the buffer keeps the raw sample). */
        public Builder clipAction(boolean on) { return set(Params.CLIP_ACTION, on); }
        /** The actor-critic architecture, e.g. {@code Network.shared(64, 64)}, or any {@link NetworkFactory}. */
        public Builder network(NetworkFactory network) { return set(Params.NETWORK, network); }
        /**
         * Initial value of the Gaussian head's state-independent {@code log_std} (CleanRL: 0, i.e. σ = 1). Lower
         * values start with less exploration noise (rl-zoo3's MountainCarContinuous uses -3.29).
         */
        public Builder logStdInit(double v) { return set(Params.LOG_STD_INIT, v); }
        /**
         * How a {@code Box} action space is handled: {@link ContinuousActions#CLIP} (CleanRL: sample a Gaussian, clip
         * into the box for the env) or {@link ContinuousActions#TANH} (a tanh-squashed Gaussian rescaled to the box,
         * with the exact log-probability).
         */
        public Builder continuousActions(ContinuousActions mode) { return set(Params.CONTINUOUS_ACTIONS, mode); }
        /** Bounds the Gaussian's {@code log_std}, e.g. {@code LogStdBound.clamp(-20, 2)}, so σ cannot collapse. */
        public Builder logStdBound(LogStdBound bound) { return set(Params.LOG_STD_BOUND, bound); }

        /**
         * Hyperparameters from a {@link Preset} for the configured env, applied at {@link #build()} to every setting
         * not given explicitly (before or after this call). {@code null} removes the preset.
         */
        public Builder preset(Preset preset) {
            this.preset = preset;
            return this;
        }

        // ------------------------------------------------------------------------------------------- loss terms

        /**
         * Replaces the default loss terms ({@link ClippedSurrogate}, {@link ValueLoss}, {@link EntropyBonus} built from
         * {@code clip}, {@code vfCoef}, {@code clipVloss}, {@code entCoef}, {@code annealEnt}); {@code null} restores
         * them. To add a term to the defaults, use {@link #addLoss}.
         */
        public Builder losses(List<? extends LossTerm> terms) {
            this.losses = terms == null ? null : new ArrayList<>(terms);
            return this;
        }

        public Builder losses(LossTerm... terms) {
            return losses(Arrays.asList(terms));
        }

        /** Adds a term after the default (or replaced) ones, e.g. {@code .addLoss(new KlPenalty())}. */
        public Builder addLoss(LossTerm term) {
            addedLosses.add(term);
            return this;
        }

        // ------------------------------------------------------------------------------------------- build

        /** Validates every field and returns the configuration, or throws one exception listing every problem. */
        public PpoConfig build() {
            List<String> problems = new ArrayList<>(textProblems);
            EnvSpec<?, ?> spec = resolveEnv(problems);
            Object[] v = values.clone();
            if (preset != null && spec != null) {
                try {
                    preset.values(spec).forEach((p, value) -> {
                        if (!explicit[p.index()]) {
                            v[p.index()] = value;
                        }
                    });
                } catch (IllegalArgumentException e) {
                    problems.add("preset = " + preset + ": " + e.getMessage());
                }
            }
            for (Param<?> p : Params.all()) {
                String problem = problem(p, v[p.index()]);
                if (problem != null) {
                    problems.add(problem);
                }
            }
            if (spec != null) {
                checkSpaces(problems, spec, new HeadOptions((ContinuousActions) v[Params.CONTINUOUS_ACTIONS.index()],
                        (LogStdBound) v[Params.LOG_STD_BOUND.index()]));
            }
            try {
                ((LogStdBound) v[Params.LOG_STD_BOUND.index()]).rawFor((Double) v[Params.LOG_STD_INIT.index()]);
            } catch (IllegalArgumentException e) {
                problems.add("logStdInit = " + v[Params.LOG_STD_INIT.index()] + " does not fit logStdBound = "
                        + v[Params.LOG_STD_BOUND.index()] + ": " + e.getMessage());
            }
            checkBatch(problems, (Integer) v[Params.NUM_ENVS.index()], (Integer) v[Params.NUM_STEPS.index()],
                    (Integer) v[Params.NUM_MINIBATCHES.index()]);
            List<LossTerm> terms = new ArrayList<>();
            if (losses != null) {
                checkReplacedLosses(problems, v);
                terms.addAll(losses);
            } else {
                terms.add(new ClippedSurrogate());
                try {
                    terms.add(new ValueLoss((Double) v[Params.VF_COEF.index()],
                            (Boolean) v[Params.CLIP_VLOSS.index()]));
                    terms.add(new EntropyBonus((Double) v[Params.ENT_COEF.index()],
                            (Boolean) v[Params.ANNEAL_ENT.index()]));
                } catch (IllegalArgumentException e) {
                    // vfCoef or entCoef is invalid: already reported with its fix by the table's check.
                }
            }
            terms.addAll(addedLosses);
            checkLosses(problems, terms, v);
            if (spec != null && problems.isEmpty()) {
                checkMemory(problems, spec, v);
            }
            if (!problems.isEmpty()) {
                throw new PpoConfigException(problems);
            }
            return new PpoConfig(spec, v, terms, copy());
        }

        @SuppressWarnings("unchecked")
        private static <T> String problem(Param<T> p, Object value) {
            return p.problem((T) value);
        }

        private static void checkBatch(List<String> problems, int numEnvs, int numSteps, int numMinibatches) {
            if (numEnvs < 1 || numSteps < 1 || numMinibatches < 1) {
                return;
            }
            long batch = (long) numEnvs * numSteps;
            if (batch > Integer.MAX_VALUE / 8) {
                problems.add("numEnvs*numSteps = " + numEnvs + "*" + numSteps + " = " + batch
                        + " rows is too large for one rollout (at most " + Integer.MAX_VALUE / 8
                        + "). Use fewer envs or steps.");
            } else if (batch % numMinibatches != 0 || batch < numMinibatches) {
                long q = batch / numMinibatches;
                problems.add("numMinibatches = " + numMinibatches + ": numEnvs*numSteps = " + numEnvs + "*"
                        + numSteps + " = " + batch + " rows do not split into " + numMinibatches
                        + " equal minibatches" + (q > 0 ? " (" + q + " each, " + (batch % numMinibatches)
                        + " left over)" : "") + ". Use a divisor of " + batch + " (" + divisors(batch)
                        + ") or change numSteps.");
            }
        }

        private void checkReplacedLosses(List<String> problems, Object[] v) {
            List<String> ignored = new ArrayList<>();
            for (Param<?> p : List.of(Params.ENT_COEF, Params.VF_COEF, Params.CLIP_VLOSS, Params.ANNEAL_ENT)) {
                if (explicit[p.index()]) {
                    ignored.add(p.name());
                }
            }
            if (!ignored.isEmpty()) {
                problems.add(String.join("/", ignored) + (ignored.size() == 1 ? " was" : " were")
                        + " set but the loss terms are replaced with losses(...), so " + (ignored.size() == 1
                        ? "it has" : "they have") + " no effect. Configure ValueLoss(...) and EntropyBonus(...) in"
                        + " the losses, or keep the defaults and use addLoss(...) for an extra term.");
            }
        }

        private void checkLosses(List<String> problems, List<LossTerm> terms, Object[] v) {
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
                double clip = (Double) v[Params.CLIP.index()];
                if (explicit[Params.CLIP.index()] && t instanceof ClippedSurrogate cs && cs.clip().isPresent()
                        && cs.clip().getAsDouble() != clip) {
                    problems.add("clip = " + clip + " has no effect: losses lists " + cs
                            + " explicitly. Set the clip range in one place.");
                }
            }
        }

        /**
         * Refuses a rollout that cannot fit in the heap, before anything is allocated: observations and actions as
         * float32, eight float64 and two boolean columns per row, and the network's parameters (four float64 copies:
         * weights, gradients, Adam's two moments) when its size is known.
         */
        private static void checkMemory(List<String> problems, EnvSpec<?, ?> spec, Object[] v) {
            int obsDim;
            int actDim;
            int policyDim;
            int logStdDim;
            try (Env<?, ?> probe = spec.makeUnwrapped(0)) {
                obsDim = probe.observationSpace().flatDim();
                PolicyHead head = Heads.forActionSpace(probe.actionSpace(), new HeadOptions(
                        (ContinuousActions) v[Params.CONTINUOUS_ACTIONS.index()],
                        (LogStdBound) v[Params.LOG_STD_BOUND.index()]));
                actDim = head.actionDim() + head.maskDim();
                policyDim = head.policyDim();
                logStdDim = head.logStdDim();
            } catch (RuntimeException e) {
                return; // checkSpaces already reported a broken env
            }
            long rows = (long) (Integer) v[Params.NUM_ENVS.index()] * (Integer) v[Params.NUM_STEPS.index()];
            long bytes = rows * (4L * obsDim + 4L * actDim + 8 * 8 + 2);
            if (v[Params.NETWORK.index()] instanceof Network n) {
                bytes += 4L * 8 * n.parameterCount(obsDim, policyDim, logStdDim);
            }
            long max = Runtime.getRuntime().maxMemory();
            if (bytes > max * 0.8) {
                problems.add(String.format(java.util.Locale.ROOT, "numEnvs*numSteps = %,d rows of %d observation"
                        + " floats need about %.1f GB for the rollout and network, more than this JVM's heap of"
                        + " %.1f GB allows. Use fewer env copies or steps (about %,d rows fit), or give Java more"
                        + " memory (-Xmx, or PROXIMA_OPTS=-Xmx8g for bin/proxima).", rows, obsDim, bytes / 1e9,
                        max / 1e9, (long) (max * 0.8 / Math.max(1, bytes / Math.max(1, rows)))));
            }
        }

        private EnvSpec<?, ?> resolveEnv(List<String> problems) {
            try {
                EnvSpec<?, ?> spec;
                if (env != null) {
                    spec = env;
                } else if (envId != null) {
                    spec = (registry != null ? registry : EnvLookup.global()).spec(envId);
                } else if (envFactory != null) {
                    spec = anonymousSpec(envFactory);
                } else {
                    problems.add("env is not set. Give an env spec, an id such as \"CartPole-v1\", or a factory"
                            + " such as seed -> new MyEnv().");
                    return null;
                }
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

        /** The env's spaces must have a policy head (with these options) and a non-empty flat observation. */
        private static void checkSpaces(List<String> problems, EnvSpec<?, ?> spec, HeadOptions options) {
            try (Env<?, ?> probe = spec.makeUnwrapped(0)) {
                try {
                    Heads.forActionSpace(probe.actionSpace(), options);
                } catch (IllegalArgumentException e) {
                    problems.add("env " + spec.id() + ": " + e.getMessage());
                }
                if (probe.observationSpace() == null || probe.observationSpace().flatDim() < 1) {
                    problems.add("env " + spec.id() + " has observation space " + probe.observationSpace()
                            + " with no entries; observations must flatten to at least one float.");
                }
            } catch (RuntimeException e) {
                problems.add("env " + spec.id() + ": making a copy to read its spaces failed: " + e);
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
