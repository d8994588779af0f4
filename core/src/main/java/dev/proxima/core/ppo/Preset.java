package dev.proxima.core.ppo;

import dev.proxima.core.env.Env;
import dev.proxima.core.env.EnvSpec;
import dev.proxima.core.nn.Network;
import dev.proxima.core.space.Box;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Named sets of hyperparameters, applied by {@link PpoConfig.Builder#preset} to the settings the user did not give.
 *
 * <ul>
 *   <li>{@link #CLEANRL}: CleanRL's defaults for the env's kind: {@code ppo.py} for discrete actions (the builder's
 *       own defaults) and {@code ppo_continuous_action.py} for continuous ones (1 env × 2048 steps, 32 minibatches,
 *       10 epochs, lr 3e-4, no entropy bonus, observation and reward normalisation).</li>
 *   <li>{@link #TUNED}: per-env values that reach the env's target at the step budgets of {@code BENCHMARKS.md}; each
 *       entry says where its values come from (rl-baselines3-zoo {@code hyperparams/ppo.yml}, CleanRL) and what was
 *       changed.</li>
 * </ul>
 */
public enum Preset {
    CLEANRL {
        @Override
        Map<String, Object> values(EnvSpec<?, ?> spec) {
            Map<String, Object> v = new LinkedHashMap<>();
            if (continuous(spec)) {
                // cleanrl/ppo_continuous_action.py Args
                v.put("numEnvs", 1);
                v.put("numSteps", 2048);
                v.put("learningRate", 3e-4);
                v.put("numMinibatches", 32);
                v.put("updateEpochs", 10);
                v.put("entCoef", 0.0);
                v.put("normalizeObservation", true);
                v.put("normalizeReward", true);
            }
            return v;
        }
    },
    TUNED {
        @Override
        Map<String, Object> values(EnvSpec<?, ?> spec) {
            Map<String, Object> v = new LinkedHashMap<>();
            switch (spec.id()) {
                case "CartPole-v1" -> {
                    // rl-zoo3 ppo.yml CartPole-v1 (n_envs 8, n_steps 32, batch 256, gae_lambda 0.8, gamma 0.98,
                    // n_epochs 20, ent 0, lr lin_1e-3); zoo also anneals the clip range, we keep clip 0.2.
                    v.put("numEnvs", 8);
                    v.put("numSteps", 32);
                    v.put("numMinibatches", 8);
                    v.put("updateEpochs", 20);
                    v.put("gamma", 0.98);
                    v.put("gaeLambda", 0.8);
                    v.put("learningRate", 1e-3);
                    v.put("entCoef", 0.0);
                }
                case "Acrobot-v1" -> {
                    // CleanRL ppo.py with lr 1e-3 held constant and no entropy bonus: measured to learn faster than
                    // both CleanRL's defaults and rl-zoo3's (16 envs × 256 steps, 1M-step budget).
                    v.put("learningRate", 1e-3);
                    v.put("annealLr", false);
                    v.put("entCoef", 0.0);
                }
                case "MountainCar-v0" -> {
                    // rl-zoo3 ppo.yml MountainCar-v0: normalize, 16 envs × 16 steps, gae_lambda 0.98, gamma 0.99,
                    // 4 epochs, ent 0, batch 64 (4 minibatches of 256 rows).
                    v.put("numEnvs", 16);
                    v.put("numSteps", 16);
                    v.put("numMinibatches", 4);
                    v.put("updateEpochs", 4);
                    v.put("gamma", 0.99);
                    v.put("gaeLambda", 0.98);
                    v.put("entCoef", 0.0);
                    v.put("normalizeObservation", true);
                    v.put("normalizeReward", true);
                }
                case "Pendulum-v1" -> {
                    // rl-zoo3 ppo.yml Pendulum-v1 (gamma 0.9, gae_lambda 0.95, 10 epochs, lr 1e-3, ent 0) without
                    // gSDE, with 4 envs × 256 steps and 8 minibatches instead of 4 × 1024 / 64 (more updates per step
                    // budget), lr constant, observation and reward normalisation as CleanRL.
                    v.put("numEnvs", 4);
                    v.put("numSteps", 256);
                    v.put("numMinibatches", 8);
                    v.put("updateEpochs", 10);
                    v.put("gamma", 0.9);
                    v.put("gaeLambda", 0.95);
                    v.put("learningRate", 1e-3);
                    v.put("annealLr", false);
                    v.put("entCoef", 0.0);
                    v.put("normalizeObservation", true);
                    v.put("normalizeReward", true);
                }
                case "MountainCarContinuous-v0" -> {
                    // rl-zoo3 ppo.yml MountainCarContinuous-v0: normalize, 1 env × 8 steps, gamma 0.9999, lr 7.77e-5,
                    // ent 0.00429, clip 0.1, 10 epochs, gae_lambda 0.9, max_grad_norm 5, vf_coef 0.19,
                    // log_std_init -3.29, 64-64; zoo also uses gSDE, which Proxima does not have.
                    v.put("numEnvs", 1);
                    v.put("numSteps", 8);
                    v.put("numMinibatches", 1);
                    v.put("updateEpochs", 10);
                    v.put("gamma", 0.9999);
                    v.put("gaeLambda", 0.9);
                    v.put("learningRate", 7.77e-5);
                    v.put("entCoef", 0.00429);
                    v.put("clip", 0.1);
                    v.put("maxGradNorm", 5.0);
                    v.put("vfCoef", 0.19);
                    v.put("logStdInit", -3.29);
                    v.put("normalizeObservation", true);
                    v.put("normalizeReward", true);
                    v.put("network", Network.separate(new int[] {64, 64}, new int[] {64, 64}));
                }
                default -> throw new IllegalArgumentException("no tuned preset for env " + spec.id()
                        + ". Presets exist for " + String.join(", ", new TreeSet<>(TUNED_IDS))
                        + "; for other envs set the hyperparameters yourself or use Preset.CLEANRL.");
            }
            return v;
        }
    };

    private static final java.util.List<String> TUNED_IDS = java.util.List.of("CartPole-v1", "Acrobot-v1",
            "MountainCar-v0", "Pendulum-v1", "MountainCarContinuous-v0");

    /** The values this preset gives for {@code spec}'s env. */
    abstract Map<String, Object> values(EnvSpec<?, ?> spec);

    /** The settings this preset gives for an env, by CleanRL name (for documentation and display). */
    public Map<String, Object> settingsFor(EnvSpec<?, ?> spec) {
        return java.util.Collections.unmodifiableMap(values(spec));
    }

    /** Env ids with a {@link #TUNED} entry. */
    public static java.util.List<String> tunedIds() {
        return TUNED_IDS;
    }

    void apply(EnvSpec<?, ?> spec, PpoConfig.Builder b) {
        values(spec).forEach(b::presetValue);
    }

    private static boolean continuous(EnvSpec<?, ?> spec) {
        try (Env<?, ?> probe = spec.makeUnwrapped(0)) {
            return probe.actionSpace() instanceof Box;
        }
    }
}
