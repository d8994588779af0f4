package dev.proxima.core.ppo;

import dev.proxima.core.dist.ContinuousActions;
import dev.proxima.core.dist.LogStdBound;
import dev.proxima.core.nn.Network;
import dev.proxima.core.nn.NetworkFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * The hyperparameters of PPO, one {@link Param} each, in the order of {@code cleanrl/ppo.py}'s {@code Args}, with its
 * names (camelCased; {@code clip} for {@code clip_coef}) and defaults. This table is the single declaration of every
 * setting: {@link PpoConfig.Builder} validates with it, {@link PpoConfig#toMap()} lists it, {@link Preset}s fill it
 * and {@link PpoConfig.Builder#set(String, String)} (the CLI's {@code --set}) parses it. Adding a hyperparameter is one
 * line here, one accessor on {@link PpoConfig} and one setter on its builder.
 */
public final class Params {
    private static final List<Param<?>> ALL = new ArrayList<>();

    /** The one seed from which network init, env seeds, action sampling and minibatch order derive (CleanRL: 1). */
    public static final Param<Long> SEED = add("seed", Long.class, 1L, v -> null, Param::parseLong,
            "The one seed of the run; network init, minibatch order, env seeds and action streams derive from it.");
    public static final Param<Double> LEARNING_RATE = add("learningRate", Double.class, 2.5e-4,
            v -> v > 0 && Double.isFinite(v) ? null : "must be a positive finite number. CleanRL uses 2.5e-4"
                    + " (3e-4 for continuous control).",
            Param::parseDouble, "Adam's step size (CleanRL: 2.5e-4; 3e-4 for continuous control).");
    public static final Param<Integer> NUM_ENVS = add("numEnvs", Integer.class, 4,
            v -> v >= 1 ? null : "must be at least 1. Use at least 1 env copy (CleanRL: 4).", Param::parseInt,
            "Env copies stepped in lock-step (CleanRL num_envs: 4).");
    public static final Param<Integer> NUM_STEPS = add("numSteps", Integer.class, 128,
            v -> v >= 1 ? null : "must be at least 1. Use at least 1 step per env per rollout (CleanRL: 128).",
            Param::parseInt, "Steps per env copy per rollout (CleanRL num_steps: 128).");
    public static final Param<Boolean> ANNEAL_LR = add("annealLr", Boolean.class, true, v -> null,
            Param::parseBoolean, "Anneal the learning rate linearly towards 0 over the run (CleanRL anneal_lr: true).");
    public static final Param<Double> GAMMA = add("gamma", Double.class, 0.99,
            unit("The discount must lie in [0, 1]; CleanRL uses 0.99."), Param::parseDouble,
            "The discount γ (CleanRL: 0.99).");
    public static final Param<Double> GAE_LAMBDA = add("gaeLambda", Double.class, 0.95,
            unit("GAE's λ must lie in [0, 1]; CleanRL uses 0.95."), Param::parseDouble,
            "GAE's λ (Schulman et al. 2016; CleanRL: 0.95).");
    public static final Param<Integer> NUM_MINIBATCHES = add("numMinibatches", Integer.class, 4,
            v -> v >= 1 ? null : "must be at least 1 (CleanRL: 4).", Param::parseInt,
            "Minibatches the rollout is split into per epoch (CleanRL num_minibatches: 4).");
    public static final Param<Integer> UPDATE_EPOCHS = add("updateEpochs", Integer.class, 4,
            v -> v >= 1 ? null : "must be at least 1. Use at least 1 epoch (CleanRL: 4).", Param::parseInt,
            "Passes over the rollout per update (CleanRL update_epochs: 4).");
    public static final Param<Boolean> NORM_ADV = add("normAdv", Boolean.class, true, v -> null, Param::parseBoolean,
            "Normalise advantages per minibatch (CleanRL norm_adv: true).");
    public static final Param<Double> CLIP = add("clip", Double.class, 0.2,
            v -> v > 0 && Double.isFinite(v) ? null : "must be a positive finite number; the PPO paper and CleanRL"
                    + " use 0.2.",
            Param::parseDouble, "The clip range ε of the surrogate and of value clipping (CleanRL clip_coef: 0.2).");
    public static final Param<Boolean> CLIP_VLOSS = add("clipVloss", Boolean.class, true, v -> null,
            Param::parseBoolean, "Clip the value loss like the policy (CleanRL clip_vloss: true).");
    public static final Param<Double> ENT_COEF = add("entCoef", Double.class, 0.01,
            nonNegative("CleanRL uses 0.01 (0 for continuous control)."), Param::parseDouble,
            "Weight of the entropy bonus (CleanRL ent_coef: 0.01; 0 for continuous control).");
    public static final Param<Boolean> ANNEAL_ENT = add("annealEnt", Boolean.class, false, v -> null,
            Param::parseBoolean, "Anneal entCoef linearly towards 0 like the learning rate (not in CleanRL).");
    public static final Param<Double> VF_COEF = add("vfCoef", Double.class, 0.5, nonNegative("CleanRL uses 0.5."),
            Param::parseDouble, "Weight of the value loss (CleanRL vf_coef: 0.5).");
    public static final Param<Double> MAX_GRAD_NORM = add("maxGradNorm", Double.class, 0.5,
            v -> v > 0 ? null : "must be positive; use Infinity to turn gradient clipping off (CleanRL: 0.5).",
            Param::parseDouble, "Global gradient-norm clip; Infinity turns it off (CleanRL max_grad_norm: 0.5).");
    static final String TARGET_KL_NAME = "targetKl";
    public static final Param<Double> TARGET_KL = add(TARGET_KL_NAME, Double.class, Double.NaN,
            v -> v.isNaN() || (v > 0 && Double.isFinite(v)) ? null : "must be positive and finite, or none for no"
                    + " early stop (CleanRL suggests 0.015 when used).",
            Param::parseDouble, "Stop an update's epochs once approx KL exceeds this; none (NaN) for never"
                    + " (CleanRL target_kl: None).");
    public static final Param<Double> ADAM_EPS = add("adamEps", Double.class, 1e-5,
            v -> v > 0 && Double.isFinite(v) ? null : "must be a positive finite number (CleanRL: 1e-5).",
            Param::parseDouble, "Adam's ε (CleanRL: 1e-5, not torch's 1e-8).");
    public static final Param<Boolean> BOOTSTRAP_TRUNCATED = add("bootstrapTruncated", Boolean.class, true,
            v -> null, Param::parseBoolean, "Bootstrap a truncated episode with V(final observation); false treats"
                    + " a time limit as termination, as CleanRL's code does.");
    public static final Param<Boolean> NORMALIZE_OBSERVATION = add("normalizeObservation", Boolean.class, false,
            v -> null, Param::parseBoolean, "Normalise observations with running statistics, clipped to ±10"
                    + " (Gymnasium NormalizeObservation; CleanRL continuous: true).");
    public static final Param<Boolean> NORMALIZE_REWARD = add("normalizeReward", Boolean.class, false, v -> null,
            Param::parseBoolean, "Scale rewards by the std of the discounted return, clipped to ±10 (Gymnasium"
                    + " NormalizeReward; CleanRL continuous: true).");
    public static final Param<Boolean> CLIP_ACTION = add("clipAction", Boolean.class, true, v -> null,
            Param::parseBoolean, "Clip Gaussian actions into a bounded Box before the env sees them; the rollout"
                    + " keeps the raw sample (CleanRL ClipAction).");
    public static final Param<Double> LOG_STD_INIT = add("logStdInit", Double.class, 0.0,
            v -> Double.isFinite(v) ? null : "must be finite (CleanRL: 0, i.e. σ = 1).", Param::parseDouble,
            "Initial state-independent log σ of a Gaussian head (CleanRL: 0).");
    public static final Param<ContinuousActions> CONTINUOUS_ACTIONS = add("continuousActions",
            ContinuousActions.class, ContinuousActions.CLIP, v -> null, ContinuousActions::fromId,
            "How a Box action space is handled: clip (a Gaussian whose samples are clipped into the box on the way to"
                    + " the env, CleanRL) or tanh (a tanh-squashed Gaussian with the exact log-probability; needs a"
                    + " bounded box).");
    public static final Param<LogStdBound> LOG_STD_BOUND = add("logStdBound", LogStdBound.class, LogStdBound.NONE,
            v -> null, LogStdBound::parse, "Bound on the Gaussian's log σ so it cannot collapse: none (CleanRL),"
                    + " clamp(-20.0, 2.0) or tanh(-5.0, 2.0) (smooth).");
    public static final Param<NetworkFactory> NETWORK = add("network", NetworkFactory.class, Network.DEFAULT,
            v -> null, Network::parse, "The actor-critic architecture (CleanRL: separate 64-64 tanh actor and"
                    + " critic): separate(actor=[64, 64], critic=[64, 64], tanh) or shared([64, 64], relu).");

    private Params() {}

    /** Every setting, in CleanRL's order. */
    public static List<Param<?>> all() {
        return Collections.unmodifiableList(ALL);
    }

    /** The names of every setting, in CleanRL's order. */
    public static List<String> names() {
        List<String> names = new ArrayList<>();
        for (Param<?> p : ALL) {
            names.add(p.name());
        }
        return names;
    }

    /**
     * The setting called {@code name}.
     *
     * @throws IllegalArgumentException naming the closest known setting
     */
    public static Param<?> named(String name) {
        return Param.named(name);
    }

    private static <T> Param<T> add(String name, Class<T> type, T dflt, Function<T, String> check,
            Function<String, T> parser, String doc) {
        Param<T> p = new Param<>(ALL.size(), name, type, dflt, check, parser, doc);
        ALL.add(p);
        return p;
    }

    private static Function<Double, String> unit(String fix) {
        return v -> v >= 0 && v <= 1 ? null : "is outside [0, 1]. " + fix;
    }

    private static Function<Double, String> nonNegative(String fix) {
        return v -> v >= 0 && Double.isFinite(v) ? null : "must be a finite number >= 0. " + fix;
    }
}
