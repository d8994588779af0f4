package dev.proxima.envs.box2d;

import dev.proxima.core.env.EnvSpec;
import java.util.List;
import java.util.Objects;
import java.util.function.LongFunction;

/**
 * The four Box2D envs with Gymnasium's ids, time limits and reward thresholds, and builders for Gymnasium's options:
 * <table>
 * <caption>Box2D specs</caption>
 * <tr><th>Id</th><th>Class</th><th>Time limit</th><th>Reward threshold</th></tr>
 * <tr><td>{@code LunarLander-v3}</td><td>{@link LunarLander}</td><td>1000</td><td>200</td></tr>
 * <tr><td>{@code LunarLanderContinuous-v3}</td><td>{@link LunarLanderContinuous}</td><td>1000</td><td>200</td></tr>
 * <tr><td>{@code BipedalWalker-v3}</td><td>{@link BipedalWalker}</td><td>1600</td><td>300</td></tr>
 * <tr><td>{@code BipedalWalkerHardcore-v3}</td><td>{@link BipedalWalker} (hardcore)</td><td>2000</td><td>300</td></tr>
 * </table>
 *
 * <pre>{@code
 * EnvSpec<float[], Integer> lander = Box2dEnvs.lunarLander().spec();               // = EnvRegistry id LunarLander-v3
 * EnvSpec<float[], Integer> windy = Box2dEnvs.lunarLander()
 *         .gravity(-9.81).enableWind(true).windPower(10).turbulencePower(1).spec();  // Gymnasium's kwargs
 * EnvSpec<float[], float[]> walker = Box2dEnvs.bipedalWalker().hardcore(true).spec(); // BipedalWalkerHardcore-v3
 * }</pre>
 *
 * <p>{@code spec.make(seed)} gives the env as Gymnasium's {@code make} does: contract-checked and time-limited.
 * {@link Box2dProvider} registers the default specs with {@link dev.proxima.core.env.EnvRegistry}. A spec with options
 * keeps the id, as {@code gym.make("LunarLander-v3", gravity=-5)} does.
 */
public final class Box2dEnvs {
    private static final EnvSpec<float[], Integer> LUNAR_LANDER = lunarLander().spec();
    private static final EnvSpec<float[], float[]> LUNAR_LANDER_CONTINUOUS = lunarLanderContinuous().spec();
    private static final EnvSpec<float[], float[]> BIPEDAL_WALKER = bipedalWalker().spec();
    private static final EnvSpec<float[], float[]> BIPEDAL_WALKER_HARDCORE = bipedalWalker().hardcore(true).spec();
    private static final List<EnvSpec<?, ?>> ALL =
            List.of(LUNAR_LANDER, LUNAR_LANDER_CONTINUOUS, BIPEDAL_WALKER, BIPEDAL_WALKER_HARDCORE);

    private Box2dEnvs() {}

    /** Options of {@code LunarLander-v3} (discrete actions), starting from Gymnasium's defaults. */
    public static LunarLanderBuilder<Integer> lunarLander() {
        return new LunarLanderBuilder<>(false, -10.0, false, 15.0, 1.5, Box2dEnv::defaultRandom);
    }

    /** Options of {@code LunarLanderContinuous-v3}, starting from Gymnasium's defaults. */
    public static LunarLanderBuilder<float[]> lunarLanderContinuous() {
        return new LunarLanderBuilder<>(true, -10.0, false, 15.0, 1.5, Box2dEnv::defaultRandom);
    }

    /** Options of {@code BipedalWalker-v3}; {@code hardcore(true)} gives {@code BipedalWalkerHardcore-v3}. */
    public static BipedalWalkerBuilder bipedalWalker() {
        return new BipedalWalkerBuilder(false, Box2dEnv::defaultRandom);
    }

    /** The default specs, in the order of the table above. */
    public static List<EnvSpec<?, ?>> all() {
        return ALL;
    }

    /**
     * Gymnasium's {@code LunarLander} keyword arguments. Immutable: every setter returns a new builder.
     *
     * @param <A> {@code Integer} for {@code LunarLander-v3}, {@code float[]} for {@code LunarLanderContinuous-v3}
     */
    public static final class LunarLanderBuilder<A> {
        private final boolean continuous;
        private final double gravity;
        private final boolean enableWind;
        private final double windPower;
        private final double turbulencePower;
        private final LongFunction<EnvRandom> random;

        private LunarLanderBuilder(boolean continuous, double gravity, boolean enableWind, double windPower,
                double turbulencePower, LongFunction<EnvRandom> random) {
            this.continuous = continuous;
            this.gravity = gravity;
            this.enableWind = enableWind;
            this.windPower = windPower;
            this.turbulencePower = turbulencePower;
            this.random = random;
        }

        /** Gymnasium's {@code gravity}: in (-12, 0), default -10. */
        public LunarLanderBuilder<A> gravity(double gravity) {
            return new LunarLanderBuilder<>(continuous, gravity, enableWind, windPower, turbulencePower, random);
        }

        /** Gymnasium's {@code enable_wind}: wind and turbulence while no leg touches. Default off. */
        public LunarLanderBuilder<A> enableWind(boolean enableWind) {
            return new LunarLanderBuilder<>(continuous, gravity, enableWind, windPower, turbulencePower, random);
        }

        /** Gymnasium's {@code wind_power}: the largest wind force, default 15 (recommended 0-20). */
        public LunarLanderBuilder<A> windPower(double windPower) {
            return new LunarLanderBuilder<>(continuous, gravity, enableWind, windPower, turbulencePower, random);
        }

        /** Gymnasium's {@code turbulence_power}: the largest turbulence torque, default 1.5 (recommended 0-2). */
        public LunarLanderBuilder<A> turbulencePower(double turbulencePower) {
            return new LunarLanderBuilder<>(continuous, gravity, enableWind, windPower, turbulencePower, random);
        }

        /**
         * Where the env's random draws come from: called with the seed of every {@code reset(seed)}. The default is
         * core's {@link dev.proxima.core.run.Rng}; tests pass a source that replays Gymnasium's logged draws.
         */
        public LunarLanderBuilder<A> random(LongFunction<EnvRandom> random) {
            Objects.requireNonNull(random, "random");
            return new LunarLanderBuilder<>(continuous, gravity, enableWind, windPower, turbulencePower, random);
        }

        /** A new unwrapped env with these options (no time limit). */
        public LunarLanderEnv<A> build() {
            LunarLanderEnv.warnOptions(windPower, turbulencePower);
            return create();
        }

        @SuppressWarnings("unchecked")
        private LunarLanderEnv<A> create() {
            return continuous
                    ? (LunarLanderEnv<A>) new LunarLanderContinuous(gravity, enableWind, windPower, turbulencePower,
                            random)
                    : (LunarLanderEnv<A>) new LunarLander(gravity, enableWind, windPower, turbulencePower, random);
        }

        /**
         * The spec: id {@code LunarLander-v3} or {@code LunarLanderContinuous-v3}, 1000 steps, solved at 200. The
         * options are checked now, so a bad value fails here rather than in a sampling worker.
         */
        public EnvSpec<float[], A> spec() {
            LunarLanderEnv.checkOptions(gravity, windPower, turbulencePower);
            LunarLanderEnv.warnOptions(windPower, turbulencePower);
            return new EnvSpec<>(continuous ? "LunarLanderContinuous-v3" : "LunarLander-v3", seed -> create(), 1000,
                    200);
        }
    }

    /** Gymnasium's {@code BipedalWalker} keyword arguments. Immutable: every setter returns a new builder. */
    public static final class BipedalWalkerBuilder {
        private final boolean hardcore;
        private final LongFunction<EnvRandom> random;

        private BipedalWalkerBuilder(boolean hardcore, LongFunction<EnvRandom> random) {
            this.hardcore = hardcore;
            this.random = random;
        }

        /** Gymnasium's {@code hardcore}: stumps, stairs and pits, and the id {@code BipedalWalkerHardcore-v3}. */
        public BipedalWalkerBuilder hardcore(boolean hardcore) {
            return new BipedalWalkerBuilder(hardcore, random);
        }

        /** Where the env's random draws come from; see {@link LunarLanderBuilder#random}. */
        public BipedalWalkerBuilder random(LongFunction<EnvRandom> random) {
            Objects.requireNonNull(random, "random");
            return new BipedalWalkerBuilder(hardcore, random);
        }

        /** A new unwrapped env (no time limit). */
        public BipedalWalker build() {
            return new BipedalWalker(hardcore, random);
        }

        /**
         * The spec: {@code BipedalWalker-v3} (1600 steps) or {@code BipedalWalkerHardcore-v3} (2000 steps), both solved
         * at 300. Gymnasium's {@code make("BipedalWalker-v3", hardcore=True)} keeps the 1600-step limit of the id it
         * was made from; here {@code hardcore(true)} is the registered hardcore id.
         */
        public EnvSpec<float[], float[]> spec() {
            return new EnvSpec<>(hardcore ? "BipedalWalkerHardcore-v3" : "BipedalWalker-v3", seed -> build(),
                    hardcore ? 2000 : 1600, 300);
        }
    }
}
